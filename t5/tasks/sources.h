#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "t5/tasks/example.h"
#include "t5/util/json.h"

namespace t5 {

// Sources read the files of a split in the format the data set is published
// in, one record at a time (constant memory, any file size):
//
//   format    records                                  options (JSON, default)
//   tsv       one per line; object column -> string    header (true), columns ([]),
//                                                      quoting ("none" | "csv"),
//                                                      delimiter ("\t")
//   csv       RFC 4180 rows, quoted multi-line fields  delimiter (",")
//   jsonl     one JSON object per line                 -
//   c4        jsonl whose objects have a string "text" -
//   squad     one per question of a SQuAD JSON file    -
//   text      {"text": ...} per line, paragraph,       unit ("line"), keep_blank (false)
//             file or WikiExtractor <doc>
//   parallel  {lang: line, ...} from line-aligned      -
//             files, one per language
//
// GLUE's TSV files are read with quoting "none": their quotes are part of
// the text (QNLI and MRPC have fields that open a quote and never close it).
// Every format reads .gz files too. A malformed record throws RecordError
// ("file:line: reason") and the reader goes on after it when asked again.

// The files of one split: paths relative to the data root (or absolute),
// where the last component may hold the wildcards * and ?. A pattern with
// wildcards may match nothing; a plain path must exist; the split as a whole
// must name at least one file.
struct SplitSpec {
  std::vector<std::string> files;
  // The "parallel" format's files: language -> path (no wildcards).
  std::map<std::string, std::string> aligned;
  // Format options for this split only, over the source's (e.g. CoLA's
  // test.tsv has a header where its train.tsv has none).
  Json options = Json::object();

  // Reads a split entry: "path", ["a", "b"], or {"files": ..., plus
  // options}. The parallel format takes {"files": {"en": ..., "de": ...}}.
  static SplitSpec from_json(const Json& json, const std::string& where);
  Json to_json() const;
};

struct SourceSpec {
  std::string format;
  Json options = Json::object();
  std::map<std::string, SplitSpec> splits;  // "train", "validation", "test", ...

  // Reads {"format": ..., "splits": {...}, <format options>}; checks the
  // format name and its options (unknown keys are errors).
  static SourceSpec from_json(const Json& json, const std::string& where);
  Json to_json() const;
};

// Reads records from one file (or one set of aligned files).
class RecordReader {
 public:
  virtual ~RecordReader() = default;

  // Reads the next record; false at the end. Throws RecordError for a
  // malformed record (the next call reads on after it) and t5::Error for a
  // problem with the whole file (it cannot be read on).
  virtual bool next(Record& record) = 0;
};

// The files of `split` under `data_dir`, in order (wildcard matches sorted
// by name). Throws t5::Error naming every path looked for when a plain path
// is missing or nothing matches.
std::vector<std::filesystem::path> resolve_split_files(const std::filesystem::path& data_dir,
                                                       const SplitSpec& split,
                                                       const std::string& where);

// Same for the parallel format: language -> file.
std::map<std::string, std::filesystem::path> resolve_aligned_files(
    const std::filesystem::path& data_dir, const SplitSpec& split, const std::string& where);

// Known format names: tsv, csv, jsonl, c4, squad, text, parallel.
std::vector<std::string> source_format_names();

// Checks `options` for `format` (unknown keys and bad values throw t5::Error
// naming `where` and the nearest known key).
void check_source_options(const std::string& format, const Json& options, const std::string& where);

// Opens a reader over one file of a split (every format but "parallel").
std::unique_ptr<RecordReader> open_record_reader(const std::string& format, const Json& options,
                                                 const std::filesystem::path& file);

// Opens the "parallel" reader over aligned files.
std::unique_ptr<RecordReader> open_parallel_reader(
    const std::map<std::string, std::filesystem::path>& files);

// Format-specific readers, for tests and C++ users.
struct TsvOptions {
  bool header = true;                // the first line names the columns
  std::vector<std::string> columns;  // column names when there is no header
  bool csv_quoting = false;          // "quoting": "csv" reads "..." fields RFC 4180 style
  char delimiter = '\t';

  static TsvOptions from_json(const Json& json, const std::string& where);
};
std::unique_ptr<RecordReader> open_tsv_reader(const std::filesystem::path& file,
                                              const TsvOptions& options);

struct CsvOptions {
  char delimiter = ',';

  static CsvOptions from_json(const Json& json, const std::string& where);
};
std::unique_ptr<RecordReader> open_csv_reader(const std::filesystem::path& file,
                                              const CsvOptions& options);

// `require_text`: each object must have a string "text" (C4).
std::unique_ptr<RecordReader> open_json_lines_reader(const std::filesystem::path& file,
                                                     bool require_text);

std::unique_ptr<RecordReader> open_squad_reader(const std::filesystem::path& file);

enum class TextUnit {
  kLine,       // each line
  kParagraph,  // runs of non-blank lines, joined with "\n"
  kFile,       // the whole file
  kDoc,        // WikiExtractor: the lines between <doc ...> and </doc>
};
struct TextOptions {
  TextUnit unit = TextUnit::kLine;
  bool keep_blank = false;  // also return blank units

  static TextOptions from_json(const Json& json, const std::string& where);
};
std::unique_ptr<RecordReader> open_text_reader(const std::filesystem::path& file,
                                               const TextOptions& options);

// Reads records and applies the bad-record policy: under kSkip a
// RecordError is counted in stats() (and its message kept) and reading goes
// on; under kFail it propagates.
class RecordStream {
 public:
  RecordStream(std::unique_ptr<RecordReader> reader, OnBadRecord policy);

  bool next(Record& record);
  const ReadStats& stats() const { return stats_; }

 private:
  std::unique_ptr<RecordReader> reader_;
  OnBadRecord policy_;
  ReadStats stats_;
};

}  // namespace t5

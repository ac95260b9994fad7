#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "t5/tasks/input_file.h"
#include "t5/tasks/sources.h"

namespace t5 {

// Internal to the tsv and csv sources: one reader for delimited rows, with
// the quoting rule and the column names as options.
struct DelimitedFormat {
  char delimiter = '\t';
  bool rfc_quoting = false;          // "..." fields with "" escapes and line breaks
  bool header = true;                // the first row names the columns
  std::vector<std::string> columns;  // names when there is no header
  std::string kind = "tab-separated";
};

// Reads one row into `fields`; false at the end of the file. `start_line`
// receives the row's first line. On a malformed row (an unterminated or
// badly closed quote) `error` is set and the row is consumed whole.
bool read_rfc_row(InputFile& in, char delimiter, std::vector<std::string>& fields,
                  int64_t& start_line, std::string& error);

std::unique_ptr<RecordReader> open_delimited_reader(const std::filesystem::path& file,
                                                    DelimitedFormat format);

}  // namespace t5

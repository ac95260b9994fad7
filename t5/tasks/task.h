#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "t5/tasks/example.h"
#include "t5/tasks/postprocessors.h"
#include "t5/tasks/preprocessors.h"
#include "t5/tasks/sources.h"
#include "t5/tasks/template.h"
#include "t5/util/json.h"
#include "t5/util/log.h"

namespace t5 {

// A metric a task is scored with, by name, with its options, e.g.
// {"name": "f1", "options": {"positive": "equivalent"}}. Names are checked
// by the hook in TaskLoadOptions (the metrics layer knows them).
struct MetricSpec {
  std::string name;
  Json options = Json::object();

  // Reads "name" or {"name": ..., "options": {...}}.
  static MetricSpec from_json(const Json& json, const std::string& where);
  Json to_json() const;
};

// Token budgets of the output features (REFERENCE.md: GLUE 512/84,
// SuperGLUE 512/62, SQuAD 512/97, CNN/DM and WMT 512/512).
struct FeatureLengths {
  int64_t inputs = 512;   /// inputs tokens, EOS included
  int64_t targets = 512;  /// targets tokens, EOS included
};

// A task as declared in a JSON spec (data/tasks/*.json), or filled in C++.
//
//   {"name": "glue_rte",
//    "source": {"format": "tsv", "splits": {"validation": "glue/RTE/dev.tsv"}},
//    "fields": {"sentence1": "sentence1", "sentence2": "sentence2", "label": "label"},
//    "inputs": "rte sentence1: {sentence1} sentence2: {sentence2}",
//    "targets": "{label}",
//    "label_names": ["entailment", "not_entailment"],
//    "postprocessor": "label",
//    "metrics": ["accuracy"]}
struct TaskSpec {
  std::string name;         // letters, digits, '_', '.' and '-' (see check_name)
  std::string description;  // one line for `t5 tasks list`
  SourceSpec source;
  // Example field -> the record key it comes from ("a.b" reaches into
  // nested objects; TSV columns by header name, or by the "columns" names).
  // The "label" field may be missing in a record (test splits).
  std::map<std::string, std::string> fields;
  std::string preprocessor = "fields";  // a C++ preprocessor by name
  Json preprocessor_options = Json::object();
  std::string inputs;   // template, e.g. "cola sentence: {sentence}"
  std::string targets;  // template, e.g. "{label}"
  // Class names: a "label" field holding an index (0, 1, true, false) or
  // one of these names becomes the name; a missing label becomes "<unk>".
  std::vector<std::string> label_names;
  bool collapse_whitespace = false;  // collapse whitespace runs in inputs and targets
  bool drop_empty_targets = false;   // skip (and count) examples whose targets are empty
  std::string postprocessor = "identity";
  std::vector<MetricSpec> metrics;
  FeatureLengths lengths;
  // Known example counts per split (the reference's, for mixing rates);
  // a split not listed is counted by reading it.
  std::map<std::string, int64_t> examples;
  OnBadRecord on_bad_record = OnBadRecord::kFail;
  // Where the spec came from (a file path, or "C++"), for messages.
  std::string origin = "C++";

  // Reads a spec; unknown keys are errors naming the nearest known key.
  static TaskSpec from_json(const Json& json, const std::string& origin);
  Json to_json() const;
};

// Where and how a split is read.
struct DataOptions {
  std::filesystem::path data_dir;            // the data root (--data-dir, T5_DATA_DIR)
  std::optional<OnBadRecord> on_bad_record;  // overrides the task's policy when set
  const Logger* logger = nullptr;            // nullptr: default_logger()
};

class Task;

// Streams the formatted examples of one split, record by record (made by
// Task::read; the task must outlive it). Logs a warning with the counts
// when malformed records were skipped.
class ExampleReader {
 public:
  ExampleReader(const Task& task, std::string split, std::vector<std::filesystem::path> files,
                std::map<std::string, std::filesystem::path> aligned, const DataOptions& options);
  ~ExampleReader();
  ExampleReader(ExampleReader&&) noexcept;

  // The next example; false at the end of the split.
  bool next(Example& example);
  const ReadStats& stats() const { return stats_; }

 private:
  bool next_record(Record& record);
  void finish();

  const Task* task_;
  std::string split_;
  std::vector<std::filesystem::path> files_;
  std::map<std::string, std::filesystem::path> aligned_;
  DataOptions options_;
  OnBadRecord policy_;
  size_t next_file_ = 0;
  std::unique_ptr<RecordReader> reader_;
  std::vector<Example> pending_;
  size_t pending_index_ = 0;
  ReadStats stats_;
  bool finished_ = false;
};

// The processors a spec may name; the built-in ones unless a C++ user adds
// more.
struct Processors {
  PreprocessorRegistry preprocessors;
  PostprocessorRegistry postprocessors;

  // The built-in preprocessors and postprocessors.
  static Processors builtin();
};

// A task: its spec, checked, with the named processors resolved.
class Task {
 public:
  // Checks the spec (name, templates against the fields the preprocessor
  // and the field map provide, label names, processor names) and throws
  // t5::Error naming spec.origin on the first problem.
  Task(TaskSpec spec, const Processors& processors);

  const std::string& name() const { return spec_.name; }
  const TaskSpec& spec() const { return spec_; }
  std::vector<std::string> splits() const;
  bool has_split(const std::string& split) const;

  // Opens a split; throws t5::Error for an unknown split (naming the known
  // ones) or a missing file (naming the path looked for).
  ExampleReader read(const std::string& split, const DataOptions& options) const;

  // The number of examples of a split: the declared count, else counted by
  // reading the split.
  int64_t num_examples(const std::string& split, const DataOptions& options) const;

  // Turns one record into examples: the preprocessor, the labels, the
  // templates. Throws RecordError for a malformed record.
  void process(const Record& record, const std::string& split, std::vector<Example>& out) const;

  Postprocessed postprocess(const std::string& text, const Example& example, bool is_target) const {
    return postprocessor_(text, example, is_target);
  }

 private:
  void resolve_processors(const Processors& processors, const std::string& where);
  void check_fields(const std::string& where);
  void extract_fields(const Record& record, Example& example) const;
  void finish_example(Example& example) const;

  TaskSpec spec_;
  PreprocessorInfo preprocessor_;
  Postprocessor postprocessor_;
  Template inputs_;
  Template targets_;
};

// Task and mixture names: letters, digits, '_', '.', '-', starting with a
// letter or digit. Throws t5::Error naming `where` otherwise.
void check_name(const std::string& name, const std::string& what, const std::string& where);

}  // namespace t5

#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "t5/util/error.h"
#include "t5/util/json.h"

namespace t5 {

// One text-to-text example: the string fields a preprocessor extracted from
// a source record (e.g. "premise", "label"), the formatted "inputs" and
// "targets", and, for tasks where several answers are correct (SQuAD,
// ReCoRD), all of them in "answers".
struct Example {
  // Named string fields, kept for postprocessors and metrics (the label of
  // WSC, the raw score of STS-B).
  std::map<std::string, std::string> fields;
  std::string inputs;
  std::string targets;
  // Every correct answer, when there are several; empty otherwise.
  std::vector<std::string> answers;
  // Identifies the example in its split: the record's own id where the data
  // set has one (SQuAD id, MultiRC "paragraph-question-answer"), else the
  // file and line it came from.
  std::string id;
  // Examples scored together (one MultiRC question, one ReCoRD query);
  // empty when each example stands alone.
  std::string group;

  // The field's value, or "" when the example has no such field.
  std::string field(const std::string& name) const;
};

// Where a record came from: "glue/RTE/dev.tsv:57". Line 0 means the whole
// file (an error found before any record, such as a bad header).
struct RecordLocation {
  std::string file;
  int64_t line = 0;

  std::string str() const;
};

// One record read from a data file, before any preprocessing: a JSON object
// (a TSV or CSV row becomes an object of column name -> string).
struct Record {
  Json value;
  RecordLocation where;
};

// A malformed record (wrong column count, bad JSON, bad UTF-8, a missing
// field). The message starts with "file:line: ". Readers throw it and stay
// usable: the next read continues after the bad record, so a "skip" policy
// can count it and go on.
class RecordError : public Error {
 public:
  RecordError(const RecordLocation& where, const std::string& reason);

  const RecordLocation& where() const { return where_; }
  const std::string& reason() const { return reason_; }

 private:
  RecordLocation where_;
  std::string reason_;
};

// What to do with a malformed record.
enum class OnBadRecord {
  kFail,  // throw the RecordError (the default)
  kSkip,  // count it in ReadStats, log it, and read on
};

// Parses "fail" or "skip"; anything else throws t5::Error naming `where`.
OnBadRecord parse_on_bad_record(const std::string& text, const std::string& where);
std::string on_bad_record_name(OnBadRecord policy);

// Counts kept while streaming a split.
struct ReadStats {
  int64_t records = 0;   // records read from the files (good ones)
  int64_t examples = 0;  // examples produced from them
  int64_t skipped = 0;   // malformed records skipped under OnBadRecord::kSkip
  int64_t filtered = 0;  // records a task dropped on purpose (e.g. WSC train keeps label=True)
  // The messages of the first few skipped records (at most kMaxMessages).
  std::vector<std::string> skipped_messages;

  static constexpr size_t kMaxMessages = 5;

  void add_skipped(const std::string& message);
  // "records=872 examples=872 skipped=0 filtered=0".
  std::string summary() const;
};

}  // namespace t5

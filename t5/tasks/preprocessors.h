#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "t5/tasks/example.h"
#include "t5/util/json.h"

namespace t5 {

// What a preprocessor sees besides the record.
struct PreprocessContext {
  std::string task;
  std::string split;
  Json options = Json::object();  // the spec's "preprocessor": {"options": ...}
};

// Turns one source record into zero or more examples. `base` holds the
// fields the spec's "fields" map extracted from the record (and the
// record's location as id); the preprocessor adjusts or expands it and
// appends the results to `out`. The task then maps labels and fills the
// inputs and targets templates. Throws RecordError for a malformed record.
using Preprocessor =
    std::function<void(const Record& record, const Example& base, const PreprocessContext& context,
                       std::vector<Example>& out)>;

// A preprocessor and what the spec loader checks it against.
struct PreprocessorInfo {
  Preprocessor run;
  // Fields it needs from the spec's "fields" map.
  std::vector<std::string> requires_fields;
  // Fields it adds (templates may use them).
  std::vector<std::string> provides_fields;
  // Option keys it accepts in "preprocessor": {"options": ...}.
  std::vector<std::string> option_keys;
  std::string description;
};

// The C++ preprocessors that task specs name, by name. Filled explicitly by
// add_builtin_preprocessors; C++ users add their own before loading specs.
class PreprocessorRegistry {
 public:
  // Throws t5::Error when the name is taken.
  void add(const std::string& name, PreprocessorInfo info);
  // Throws t5::Error naming the nearest known names on a miss.
  const PreprocessorInfo& get(const std::string& name) const;
  bool contains(const std::string& name) const;
  std::vector<std::string> list() const;

 private:
  std::map<std::string, PreprocessorInfo> preprocessors_;
};

// Adds: fields (the default: the mapped fields as they are), stsb, wsc,
// wnli_wsc, squad, record, multirc.
void add_builtin_preprocessors(PreprocessorRegistry& registry);

// The format rules of REFERENCE.md, as functions (tested one by one).

// STS-B: a score rounded to the nearest 0.2 (half to even, in float32 as
// the reference computes it) with one decimal: 2.57 -> "2.6", 3.25 -> "3.2".
std::string format_stsb_score(float score);

// ReCoRD: "\n@highlight\n" after . ? ! " ' becomes that mark and a space;
// any other becomes ". ".
std::string format_record_passage(const std::string& passage);

// MultiRC: "<br>" becomes a space; "<b>" and "</b>" are removed.
std::string strip_multirc_markup(const std::string& text);

// WSC: the word at `index` (words split on single spaces) wrapped as
// *pronoun*. When that word is not the pronoun, the pronoun followed by
// punctuation at that index ("him,\"" -> "*him* ,\"") or the nearest word
// equal to it is marked instead, as the reference's special cases do.
// Throws t5::Error when the pronoun is not found.
std::string mark_wsc_pronoun(const std::string& text, int64_t index, const std::string& pronoun);

// WNLI in the WSC format (evaluation only): finds the pronoun of the
// premise that the hypothesis resolves, marks it, and extracts the referent
// from the hypothesis. inputs = "wsc: " + marked premise.
struct WnliAsWsc {
  std::string text;      // the premise with *pronoun* marked
  std::string referent;  // the candidate referent, as written in the hypothesis
};
// Throws t5::Error when the premise has no pronoun or no candidate is found.
WnliAsWsc convert_wnli_to_wsc(const std::string& premise, const std::string& hypothesis);

}  // namespace t5

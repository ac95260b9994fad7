#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "t5/tasks/example.h"

namespace t5 {

// What a postprocessor makes of a generated text (is_target false) or of an
// example's target (is_target true), for the metrics to compare.
struct Postprocessed {
  // A class id (0-based; -1 when the text is not one of the label names,
  // which then counts as wrong), a number (STS-B; -1 when unparsable), or 0
  // for text tasks.
  double value = 0;
  // The text (predictions of SQuAD and ReCoRD, summaries, translations).
  std::string text;
  // Every correct answer (targets of SQuAD and ReCoRD); empty otherwise.
  std::vector<std::string> answers;
  // The group scored together (MultiRC question, ReCoRD query); empty when
  // the example stands alone.
  std::string group;
};

using Postprocessor =
    std::function<Postprocessed(const std::string& text, const Example& example, bool is_target)>;

// Makes a task's postprocessor from its label names (empty when the task
// has none).
using PostprocessorFactory =
    std::function<Postprocessor(const std::vector<std::string>& label_names)>;

// The postprocessors task specs name, by name. Filled explicitly by
// add_builtin_postprocessors.
class PostprocessorRegistry {
 public:
  void add(const std::string& name, PostprocessorFactory factory, bool needs_label_names = false);
  // Throws t5::Error naming the nearest known names on a miss.
  const PostprocessorFactory& get(const std::string& name) const;
  bool needs_label_names(const std::string& name) const;
  bool contains(const std::string& name) const;
  std::vector<std::string> list() const;

 private:
  struct Entry {
    PostprocessorFactory factory;
    bool needs_label_names = false;
  };
  std::map<std::string, Entry> entries_;
};

// Adds:
//   identity  text as it is
//   label     value = the class id of the text among the label names, -1 otherwise
//   float     value = the text as a number (STS-B), -1 when unparsable
//   qa        text; targets carry all answers (SQuAD)
//   record    as qa, plus the query as group (ReCoRD)
//   multirc   value = class id among False/True, group = the question
//   wsc       value = 1 when the text names the target's referent, 0 when
//             not, -1 when empty; targets give the example's label (0/1)
void add_builtin_postprocessors(PostprocessorRegistry& registry);

// The rules behind them.

// The index of `text` in `label_names` (exact match), or -1.
int label_to_class(const std::string& text, const std::vector<std::string>& label_names);

// `text` as a number (surrounding whitespace allowed, like Python's
// float()), or `fallback` when it is not one.
double parse_float_or(const std::string& text, double fallback);

// WSC matching (REFERENCE.md): lowercase, drop determiners, then 1 when
// either word set contains the other, 0 when not (or when only one side has
// an apostrophe: "Bob" is not "Bob's hat"), -1 when the prediction is empty
// after cleaning.
int wsc_referent_match(const std::string& prediction, const std::string& referent);

}  // namespace t5

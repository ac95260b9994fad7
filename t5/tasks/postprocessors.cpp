#include "t5/tasks/postprocessors.h"

#include <cmath>
#include <cstdlib>
#include <set>

#include "t5/tasks/text_ops.h"
#include "t5/util/names.h"

namespace t5 {
namespace {

// Words that do not change which entity a WSC answer names.
const std::set<std::string> kDeterminers = {
    "a",    "an",   "few", "her",   "his",   "each", "every", "many",  "much",  "my",  "our",
    "some", "that", "the", "their", "these", "this", "those", "which", "whose", "your"};

std::string clean_referent(const std::string& text) {
  std::vector<std::string> kept;
  for (auto& word : split(ascii_lower(strip(text)), ' ')) {
    if (kDeterminers.count(word) == 0) kept.push_back(std::move(word));
  }
  return join(kept, " ");
}

bool contains_all(const std::set<std::string>& outer, const std::set<std::string>& inner) {
  for (const auto& word : inner) {
    if (outer.count(word) == 0) return false;
  }
  return true;
}

Postprocessor text_postprocessor(const std::vector<std::string>&) {
  return [](const std::string& text, const Example&, bool) {
    Postprocessed out;
    out.text = text;
    return out;
  };
}

Postprocessor label_postprocessor(const std::vector<std::string>& label_names) {
  return [label_names](const std::string& text, const Example&, bool) {
    Postprocessed out;
    out.text = text;
    out.value = label_to_class(text, label_names);
    return out;
  };
}

Postprocessor float_postprocessor(const std::vector<std::string>&) {
  return [](const std::string& text, const Example&, bool) {
    Postprocessed out;
    out.text = text;
    out.value = parse_float_or(text, -1.0);
    return out;
  };
}

Postprocessor qa_postprocessor(bool grouped) {
  return [grouped](const std::string& text, const Example& example, bool is_target) {
    Postprocessed out;
    out.text = text;
    if (is_target) out.answers = example.answers;
    if (grouped) out.group = example.group;
    return out;
  };
}

Postprocessor multirc_postprocessor(const std::vector<std::string>&) {
  return [](const std::string& text, const Example& example, bool) {
    Postprocessed out;
    out.text = text;
    out.value = label_to_class(text, {"False", "True"});
    out.group = example.group;
    return out;
  };
}

Postprocessor wsc_postprocessor(const std::vector<std::string>&) {
  return [](const std::string& text, const Example& example, bool is_target) {
    Postprocessed out;
    out.text = text;
    if (is_target) {
      // The label says whether the example's referent is the right one.
      std::string label = example.field("label");
      out.value = (label == "true" || label == "True" || label == "1")     ? 1
                  : (label == "false" || label == "False" || label == "0") ? 0
                                                                           : -1;
    } else {
      out.value = wsc_referent_match(text, example.targets);
    }
    return out;
  };
}

}  // namespace

int label_to_class(const std::string& text, const std::vector<std::string>& label_names) {
  for (size_t i = 0; i < label_names.size(); ++i) {
    if (label_names[i] == text) return static_cast<int>(i);
  }
  return -1;
}

double parse_float_or(const std::string& text, double fallback) {
  std::string trimmed = strip(text);
  if (trimmed.empty()) return fallback;
  char* end = nullptr;
  double value = std::strtod(trimmed.c_str(), &end);
  if (end != trimmed.c_str() + trimmed.size()) return fallback;
  // strtod also reads hexadecimal, which Python's float() does not.
  if (trimmed.find_first_of("xX") != std::string::npos) return fallback;
  return value;
}

int wsc_referent_match(const std::string& prediction, const std::string& referent) {
  std::string cleaned_prediction = clean_referent(prediction);
  if (cleaned_prediction.empty()) return -1;
  std::string cleaned_referent = clean_referent(referent);
  bool prediction_apostrophe = cleaned_prediction.find('\'') != std::string::npos;
  bool referent_apostrophe = cleaned_referent.find('\'') != std::string::npos;
  if (prediction_apostrophe != referent_apostrophe) return 0;
  auto prediction_words = split(cleaned_prediction, ' ');
  auto referent_words = split(cleaned_referent, ' ');
  std::set<std::string> a(prediction_words.begin(), prediction_words.end());
  std::set<std::string> b(referent_words.begin(), referent_words.end());
  return contains_all(a, b) || contains_all(b, a) ? 1 : 0;
}

void PostprocessorRegistry::add(const std::string& name, PostprocessorFactory factory,
                                bool needs_label_names) {
  T5_CHECK(!name.empty() && factory != nullptr, "a postprocessor needs a name and a function");
  T5_CHECK(entries_.count(name) == 0, "postprocessor '{}' is already registered", name);
  entries_[name] = {std::move(factory), needs_label_names};
}

const PostprocessorFactory& PostprocessorRegistry::get(const std::string& name) const {
  auto it = entries_.find(name);
  T5_CHECK(it != entries_.end(), "no postprocessor named '{}'{}; known: {}", name,
           did_you_mean(name, list()), join(list(), ", "));
  return it->second.factory;
}

bool PostprocessorRegistry::needs_label_names(const std::string& name) const {
  auto it = entries_.find(name);
  return it != entries_.end() && it->second.needs_label_names;
}

bool PostprocessorRegistry::contains(const std::string& name) const {
  return entries_.count(name) > 0;
}

std::vector<std::string> PostprocessorRegistry::list() const {
  std::vector<std::string> names;
  for (const auto& entry : entries_) names.push_back(entry.first);
  return names;
}

void add_builtin_postprocessors(PostprocessorRegistry& registry) {
  registry.add("identity", text_postprocessor);
  registry.add("label", label_postprocessor, /*needs_label_names=*/true);
  registry.add("float", float_postprocessor);
  registry.add("qa", [](const std::vector<std::string>&) { return qa_postprocessor(false); });
  registry.add("record", [](const std::vector<std::string>&) { return qa_postprocessor(true); });
  registry.add("multirc", multirc_postprocessor);
  registry.add("wsc", wsc_postprocessor);
}

}  // namespace t5

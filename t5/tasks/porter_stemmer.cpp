#include "t5/tasks/porter_stemmer.h"

#include <functional>
#include <map>
#include <vector>

namespace t5 {
namespace {

// Porter's definitions: a, e, i, o, u are vowels; y is a vowel when it
// follows a consonant; every other letter is a consonant.
bool is_consonant(const std::string& word, size_t i) {
  char c = word[i];
  if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') return false;
  if (c == 'y') return i == 0 || !is_consonant(word, i - 1);
  return true;
}

// m in [C](VC)^m[V]: the number of vowel-to-consonant transitions.
int measure(const std::string& stem) {
  int m = 0;
  for (size_t i = 1; i < stem.size(); ++i) {
    if (!is_consonant(stem, i - 1) && is_consonant(stem, i)) ++m;
  }
  return m;
}

bool contains_vowel(const std::string& stem) {
  for (size_t i = 0; i < stem.size(); ++i) {
    if (!is_consonant(stem, i)) return true;
  }
  return false;
}

// *d: the stem ends with a double consonant.
bool ends_double_consonant(const std::string& word) {
  size_t n = word.size();
  return n >= 2 && word[n - 1] == word[n - 2] && is_consonant(word, n - 1);
}

// *o: the stem ends consonant-vowel-consonant, the last not w, x or y. NLTK
// also counts a two-letter vowel-consonant stem.
bool ends_cvc(const std::string& word) {
  size_t n = word.size();
  if (n >= 3) {
    char last = word[n - 1];
    return is_consonant(word, n - 3) && !is_consonant(word, n - 2) && is_consonant(word, n - 1) &&
           last != 'w' && last != 'x' && last != 'y';
  }
  return n == 2 && !is_consonant(word, 0) && is_consonant(word, 1);
}

bool ends_with(const std::string& word, const std::string& suffix) {
  return word.size() >= suffix.size() &&
         word.compare(word.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string drop_suffix(const std::string& word, size_t length) {
  return word.substr(0, word.size() - length);
}

// One rule: when the word ends with `suffix`, the stem before it replaces
// the suffix by `replacement` if `condition` holds on the stem.
struct Rule {
  std::string suffix;
  std::string replacement;
  std::function<bool(const std::string&)> condition;
};

// Applies the first rule whose suffix the word ends with; as in Porter's
// paper, a failed condition on that rule ends the step (no later rule is
// tried).
std::string apply_first_matching(const std::string& word, const std::vector<Rule>& rules) {
  for (const auto& rule : rules) {
    if (!ends_with(word, rule.suffix)) continue;
    std::string stem = drop_suffix(word, rule.suffix.size());
    if (!rule.condition || rule.condition(stem)) return stem + rule.replacement;
    return word;
  }
  return word;
}

bool positive_measure(const std::string& stem) { return measure(stem) > 0; }

std::string step_1a(const std::string& word) {
  if (word.size() == 4 && ends_with(word, "ies")) return drop_suffix(word, 3) + "ie";
  return apply_first_matching(
      word,
      {{"sses", "ss", nullptr}, {"ies", "i", nullptr}, {"ss", "ss", nullptr}, {"s", "", nullptr}});
}

// After removing -ed or -ing: restore an e, undouble a consonant, or add e
// to a short stem.
std::string tidy_after_1b(const std::string& stem) {
  if (ends_with(stem, "at") || ends_with(stem, "bl") || ends_with(stem, "iz")) return stem + "e";
  if (ends_double_consonant(stem)) {
    char last = stem.back();
    if (last != 'l' && last != 's' && last != 'z') return stem.substr(0, stem.size() - 1);
    return stem;
  }
  if (measure(stem) == 1 && ends_cvc(stem)) return stem + "e";
  return stem;
}

std::string step_1b(const std::string& word) {
  if (ends_with(word, "ied")) return drop_suffix(word, 3) + (word.size() == 4 ? "ie" : "i");
  if (ends_with(word, "eed")) {
    std::string stem = drop_suffix(word, 3);
    return measure(stem) > 0 ? stem + "ee" : word;
  }
  for (const char* suffix : {"ed", "ing"}) {
    if (!ends_with(word, suffix)) continue;
    std::string stem = drop_suffix(word, std::string(suffix).size());
    if (contains_vowel(stem)) return tidy_after_1b(stem);
  }
  return word;
}

// y -> i after a consonant that is not the word's only letter before it
// ("happy" -> "happi", "enjoy" and "sky" unchanged).
std::string step_1c(const std::string& word) {
  if (!ends_with(word, "y")) return word;
  std::string stem = drop_suffix(word, 1);
  if (stem.size() > 1 && is_consonant(stem, stem.size() - 1)) return stem + "i";
  return word;
}

std::string step_2(const std::string& word) {
  if (ends_with(word, "alli") && positive_measure(drop_suffix(word, 4))) {
    return step_2(drop_suffix(word, 4) + "al");
  }
  // "logi" keeps its l in the measured stem, so "geologi" qualifies.
  auto logi_condition = [&word](const std::string&) {
    return positive_measure(drop_suffix(word, 3));
  };
  return apply_first_matching(
      word, {{"ational", "ate", positive_measure}, {"tional", "tion", positive_measure},
             {"enci", "ence", positive_measure},   {"anci", "ance", positive_measure},
             {"izer", "ize", positive_measure},    {"bli", "ble", positive_measure},
             {"alli", "al", positive_measure},     {"entli", "ent", positive_measure},
             {"eli", "e", positive_measure},       {"ousli", "ous", positive_measure},
             {"ization", "ize", positive_measure}, {"ation", "ate", positive_measure},
             {"ator", "ate", positive_measure},    {"alism", "al", positive_measure},
             {"iveness", "ive", positive_measure}, {"fulness", "ful", positive_measure},
             {"ousness", "ous", positive_measure}, {"aliti", "al", positive_measure},
             {"iviti", "ive", positive_measure},   {"biliti", "ble", positive_measure},
             {"fulli", "ful", positive_measure},   {"logi", "log", logi_condition}});
}

std::string step_3(const std::string& word) {
  return apply_first_matching(word, {{"icate", "ic", positive_measure},
                                     {"ative", "", positive_measure},
                                     {"alize", "al", positive_measure},
                                     {"iciti", "ic", positive_measure},
                                     {"ical", "ic", positive_measure},
                                     {"ful", "", positive_measure},
                                     {"ness", "", positive_measure}});
}

std::string step_4(const std::string& word) {
  auto long_stem = [](const std::string& stem) { return measure(stem) > 1; };
  auto ion_stem = [](const std::string& stem) {
    return measure(stem) > 1 && !stem.empty() && (stem.back() == 's' || stem.back() == 't');
  };
  return apply_first_matching(word, {{"al", "", long_stem},
                                     {"ance", "", long_stem},
                                     {"ence", "", long_stem},
                                     {"er", "", long_stem},
                                     {"ic", "", long_stem},
                                     {"able", "", long_stem},
                                     {"ible", "", long_stem},
                                     {"ant", "", long_stem},
                                     {"ement", "", long_stem},
                                     {"ment", "", long_stem},
                                     {"ent", "", long_stem},
                                     {"ion", "", ion_stem},
                                     {"ou", "", long_stem},
                                     {"ism", "", long_stem},
                                     {"ate", "", long_stem},
                                     {"iti", "", long_stem},
                                     {"ous", "", long_stem},
                                     {"ive", "", long_stem},
                                     {"ize", "", long_stem}});
}

std::string step_5a(const std::string& word) {
  if (!ends_with(word, "e")) return word;
  std::string stem = drop_suffix(word, 1);
  int m = measure(stem);
  if (m > 1 || (m == 1 && !ends_cvc(stem))) return stem;
  return word;
}

std::string step_5b(const std::string& word) {
  if (ends_with(word, "ll") && measure(drop_suffix(word, 1)) > 1) return drop_suffix(word, 1);
  return word;
}

// NLTK's irregular forms, looked up before the steps.
const std::map<std::string, std::string>& irregular_forms() {
  static const std::map<std::string, std::string> forms = {
      {"sky", "sky"},        {"skies", "sky"},        {"dying", "die"},
      {"lying", "lie"},      {"tying", "tie"},        {"news", "news"},
      {"innings", "inning"}, {"inning", "inning"},    {"outings", "outing"},
      {"outing", "outing"},  {"cannings", "canning"}, {"canning", "canning"},
      {"howe", "howe"},      {"proceed", "proceed"},  {"exceed", "exceed"},
      {"succeed", "succeed"}};
  return forms;
}

}  // namespace

std::string porter_stem(const std::string& word) {
  const auto& irregular = irregular_forms();
  auto found = irregular.find(word);
  if (found != irregular.end()) return found->second;
  if (word.size() <= 2) return word;
  std::string stem = step_1a(word);
  stem = step_1b(stem);
  stem = step_1c(stem);
  stem = step_2(stem);
  stem = step_3(stem);
  stem = step_4(stem);
  stem = step_5a(stem);
  return step_5b(stem);
}

}  // namespace t5

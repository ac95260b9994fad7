// WSC in T5's "simple" format (the pronoun marked, the referent as target)
// and GLUE's WNLI converted to it for evaluation.
#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "t5/tasks/preprocessors.h"
#include "t5/tasks/text_ops.h"

namespace t5 {
namespace {

bool is_end_mark(char c) { return c == '.' || c == ',' || c == '?' || c == '!'; }

bool is_all_punctuation(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u < 0x80 && !std::isalnum(u) && !std::isspace(u);
  });
}

// Escapes the ECMAScript regex syntax characters.
std::string regex_escape(const std::string& text) {
  static const std::string kSpecial = R"(^$\.*+?()[]{}|/)";
  std::string out;
  for (char c : text) {
    if (kSpecial.find(c) != std::string::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// Lowercased words with one trailing . , ? or ! removed, empty ones dropped.
std::vector<std::string> clean_words(const std::string& text) {
  std::vector<std::string> words;
  for (auto& word : split(ascii_lower(strip(text)), ' ')) {
    if (!word.empty() && is_end_mark(word.back())) word.pop_back();
    if (!word.empty()) words.push_back(std::move(word));
  }
  return words;
}

// The longest prefix of `words` (as joined text) found in `haystack`.
size_t matching_prefix(const std::string& haystack, const std::vector<std::string>& words) {
  std::string prefix;
  for (size_t i = 0; i < words.size(); ++i) {
    prefix += (i > 0 ? " " : "") + words[i];
    if (haystack.find(prefix) == std::string::npos) return i;
  }
  return words.size();
}

struct PronounMatch {
  size_t score = 0;
  size_t index = 0;
  std::string candidate;
};

std::string search_group(const std::vector<std::string>& parts, const std::string& text) {
  std::smatch match;
  std::regex pattern(join(parts, " "));
  return std::regex_search(text, match, pattern) ? match[1].str() : std::string();
}

// Scores the pronoun at `index` by how many words around it the hypothesis
// repeats, and extracts what the hypothesis has in its place.
PronounMatch match_pronoun(const std::vector<std::string>& premise,
                           const std::vector<std::string>& hypothesis, size_t index) {
  std::vector<std::string> before(premise.begin(), premise.begin() + index);
  std::vector<std::string> after(premise.begin() + index + 1, premise.end());
  std::vector<std::string> hypothesis_reversed(hypothesis.rbegin(), hypothesis.rend());
  std::vector<std::string> before_reversed(before.rbegin(), before.rend());
  size_t pre = matching_prefix(join(hypothesis_reversed, " "), before_reversed);
  size_t post = matching_prefix(join(hypothesis, " "), after);
  PronounMatch match{pre + post, index, ""};
  if (match.score == 0) return match;

  // Try the candidate between the matched words, then at the start, then at
  // the end of the hypothesis.
  std::vector<std::string> pre_words, post_words;
  for (size_t i = before.size() - pre; i < before.size(); ++i) {
    pre_words.push_back(regex_escape(before[i]));
  }
  for (size_t i = 0; i < post; ++i) post_words.push_back(regex_escape(after[i]));
  std::string joined = join(hypothesis, " ");
  std::vector<std::string> middle = pre_words;
  middle.push_back("(.+)");
  middle.insert(middle.end(), post_words.begin(), post_words.end());
  match.candidate = search_group(middle, joined);
  if (match.candidate.empty()) {
    std::vector<std::string> start = {"^(.+)"};
    start.insert(start.end(), post_words.begin(), post_words.end());
    match.candidate = search_group(start, joined);
  }
  if (match.candidate.empty()) {
    std::vector<std::string> end = pre_words;
    end.push_back("(.+)$");
    match.candidate = search_group(end, joined);
  }
  return match;
}

// Cuts everything before the last article the candidate starts over at,
// then finds it, with its case and punctuation, in the hypothesis.
std::string find_referent(const std::string& candidate, const std::string& hypothesis) {
  std::vector<std::string> words = split(candidate, ' ');
  size_t article = 0;
  for (const char* name : {"a", "an", "the"}) {
    auto it = std::find(words.begin(), words.end(), name);
    if (it != words.end()) article = std::max<size_t>(article, it - words.begin());
  }
  words.erase(words.begin(), words.begin() + article);
  std::vector<std::string> parts;
  for (const auto& word : words) parts.push_back(regex_escape(word) + R"((?:\.|,|\?|\!)?)");
  std::smatch match;
  std::regex pattern("(" + join(parts, " ") + ")", std::regex::icase);
  T5_CHECK(std::regex_search(hypothesis, match, pattern),
           "cannot find the candidate \"{}\" in the hypothesis \"{}\"", join(words, " "),
           hypothesis);
  std::string referent = match[1].str();
  if (!referent.empty() && is_end_mark(referent.back())) referent.pop_back();
  // Targets are never possessive, even where the pronoun is.
  if (referent.size() >= 1 && referent.back() == '\'') {
    referent.pop_back();
  } else if (referent.size() >= 2 && referent.compare(referent.size() - 2, 2, "'s") == 0) {
    referent.erase(referent.size() - 2);
  }
  return referent;
}

bool is_true_label(const std::string& label) {
  return label == "true" || label == "True" || label == "1";
}

void run_wsc(const Record& record, const Example& base, const PreprocessContext& context,
             std::vector<Example>& out) {
  bool correct_only = context.options.value("train_correct_only", false);
  if (correct_only && context.split == "train" && !is_true_label(base.field("label"))) return;
  Example example = base;
  const std::string& index_text = base.field("span2_index");
  char* end = nullptr;
  long long index = std::strtoll(index_text.c_str(), &end, 10);
  if (index_text.empty() || *end != '\0') {
    throw RecordError(record.where,
                      fmt::format("span2_index '{}' is not a word index", index_text));
  }
  try {
    example.fields["text"] = mark_wsc_pronoun(base.field("text"), index, base.field("span2_text"));
  } catch (const RecordError&) {
    throw;
  } catch (const Error& e) {
    throw RecordError(record.where, e.what());
  }
  out.push_back(std::move(example));
}

void run_wnli_wsc(const Record& record, const Example& base, const PreprocessContext&,
                  std::vector<Example>& out) {
  Example example = base;
  try {
    WnliAsWsc converted = convert_wnli_to_wsc(base.field("sentence1"), base.field("sentence2"));
    example.fields["text"] = std::move(converted.text);
    example.fields["referent"] = std::move(converted.referent);
  } catch (const RecordError&) {
    throw;
  } catch (const Error& e) {
    throw RecordError(record.where, e.what());
  }
  out.push_back(std::move(example));
}

}  // namespace

std::string mark_wsc_pronoun(const std::string& text, int64_t index, const std::string& pronoun) {
  std::vector<std::string> words = split(text, ' ');
  auto size = static_cast<int64_t>(words.size());
  T5_CHECK(!pronoun.empty(), "the pronoun (span2_text) is empty");
  if (index >= 0 && index < size) {
    std::string& word = words[index];
    if (word == pronoun) {
      word = "*" + pronoun + "*";
      return join(words, " ");
    }
    if (word.rfind(pronoun, 0) == 0 && is_all_punctuation(word.substr(pronoun.size()))) {
      word = "*" + pronoun + "* " + word.substr(pronoun.size());
      return join(words, " ");
    }
  }
  // The reference fixes a few records whose index points next to the
  // pronoun; the nearest word equal to it is that fix in general.
  for (int64_t distance = 1; distance < size + std::abs(index); ++distance) {
    for (int64_t candidate : {index - distance, index + distance}) {
      if (candidate >= 0 && candidate < size && words[candidate] == pronoun) {
        words[candidate] = "*" + pronoun + "*";
        return join(words, " ");
      }
    }
  }
  fail("the pronoun '{}' (span2_text) is not a word of the text (span2_index {})", pronoun, index);
}

WnliAsWsc convert_wnli_to_wsc(const std::string& premise, const std::string& hypothesis) {
  static const std::vector<std::string> kPronouns = {"he",  "she",   "they", "it", "her",
                                                     "his", "their", "them", "him"};
  std::vector<std::string> premise_words = clean_words(premise);
  std::vector<std::string> hypothesis_words = clean_words(hypothesis);
  bool found = false;
  PronounMatch best;
  for (size_t i = 0; i < premise_words.size(); ++i) {
    if (std::find(kPronouns.begin(), kPronouns.end(), premise_words[i]) == kPronouns.end()) {
      continue;
    }
    PronounMatch match = match_pronoun(premise_words, hypothesis_words, i);
    // The first pronoun wins a tie, as Python's max() does.
    if (!found || match.score > best.score) best = match;
    found = true;
  }
  T5_CHECK(found, "the premise has no pronoun to resolve: \"{}\"", premise);
  std::string referent = find_referent(best.candidate, hypothesis);

  // Mark the pronoun; a trailing . , ? or ! stays outside the stars.
  std::vector<std::string> words = split(premise, ' ');
  T5_CHECK(best.index < words.size() && !words[best.index].empty(),
           "the premise's words do not line up with its pronoun (double spaces?): \"{}\"", premise);
  std::string& word = words[best.index];
  if (is_end_mark(word.back())) {
    word = "*" + word.substr(0, word.size() - 1) + "* " + word.back();
  } else {
    word = "*" + word + "*";
  }
  return {join(words, " "), referent};
}

void add_wsc_preprocessors(PreprocessorRegistry& registry) {
  registry.add("wsc", {run_wsc,
                       {"text", "span2_index", "span2_text"},
                       {},
                       {"train_correct_only"},
                       "WSC: the pronoun marked *like this* in text"});
  registry.add("wnli_wsc", {run_wnli_wsc,
                            {"sentence1", "sentence2"},
                            {"text", "referent"},
                            {},
                            "WNLI as WSC: the premise's pronoun marked, the referent extracted"});
}

}  // namespace t5

#include "t5/tasks/squad_metrics.h"

#include <algorithm>
#include <map>

#include "t5/tasks/unicode_text.h"

namespace t5 {
namespace {

bool is_ascii_punctuation(char32_t code) {
  return (code >= 0x21 && code <= 0x2F) || (code >= 0x3A && code <= 0x40) ||
         (code >= 0x5B && code <= 0x60) || (code >= 0x7B && code <= 0x7E);
}

// A word character of Python's regular expressions (\w): letters, numbers
// and the underscore.
bool is_word_char(char32_t code) {
  if (code < 0x80) {
    return (code >= 'a' && code <= 'z') || (code >= 'A' && code <= 'Z') ||
           (code >= '0' && code <= '9') || code == '_';
  }
  CharClass found = char_class(code);
  return found == CharClass::kLetter || found == CharClass::kNumber;
}

// The length of the article starting at `pos` between word boundaries, or 0.
// Tries "a", "an", "the" in that order, like the script's \b(a|an|the)\b.
size_t article_at(const std::u32string& text, size_t pos) {
  if (pos > 0 && is_word_char(text[pos - 1])) return 0;
  for (const std::u32string article : {U"a", U"an", U"the"}) {
    if (text.compare(pos, article.size(), article) != 0) continue;
    size_t end = pos + article.size();
    if (end == text.size() || !is_word_char(text[end])) return article.size();
  }
  return 0;
}

std::u32string remove_articles(const std::u32string& text) {
  std::u32string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t length = article_at(text, pos);
    if (length > 0) {
      out.push_back(U' ');
      pos += length;
    } else {
      out.push_back(text[pos++]);
    }
  }
  return out;
}

}  // namespace

std::string normalize_squad_answer(const std::string& text) {
  std::u32string lowered = to_lower(utf8_to_u32(text));
  std::u32string without_punctuation;
  for (char32_t code : lowered) {
    if (!is_ascii_punctuation(code)) without_punctuation.push_back(code);
  }
  return u32_to_utf8(collapse_whitespace(remove_articles(without_punctuation)));
}

double squad_exact_match(const std::string& prediction, const std::string& reference) {
  return normalize_squad_answer(prediction) == normalize_squad_answer(reference) ? 1.0 : 0.0;
}

double squad_f1(const std::string& prediction, const std::string& reference) {
  auto predicted = split_whitespace_utf8(normalize_squad_answer(prediction));
  auto expected = split_whitespace_utf8(normalize_squad_answer(reference));
  std::map<std::string, int64_t> remaining;
  for (const auto& token : expected) ++remaining[token];
  int64_t shared = 0;
  for (const auto& token : predicted) {
    auto it = remaining.find(token);
    if (it != remaining.end() && it->second > 0) {
      --it->second;
      ++shared;
    }
  }
  if (shared == 0) return 0.0;
  double precision = static_cast<double>(shared) / static_cast<double>(predicted.size());
  double recall = static_cast<double>(shared) / static_cast<double>(expected.size());
  return 2.0 * precision * recall / (precision + recall);
}

namespace {

MetricScores best_answer_scores(const MetricInputs& inputs, const Json& options,
                                const std::string& metric) {
  check_metric_inputs(inputs, metric);
  Json object = metric_options_object(options, metric);
  JsonFields(object, "metric " + metric + " options").finish();
  double exact_total = 0.0, f1_total = 0.0;
  for (size_t i = 0; i < inputs.predictions.size(); ++i) {
    double best_exact = 0.0, best_f1 = 0.0;
    for (const auto& reference : inputs.references[i]) {
      best_exact = std::max(best_exact, squad_exact_match(inputs.predictions[i], reference));
      best_f1 = std::max(best_f1, squad_f1(inputs.predictions[i], reference));
    }
    exact_total += best_exact;
    f1_total += best_f1;
  }
  double examples = static_cast<double>(inputs.predictions.size());
  return {{"em", 100.0 * exact_total / examples}, {"f1", 100.0 * f1_total / examples}};
}

}  // namespace

MetricScores squad_metric(const MetricInputs& inputs, const Json& options) {
  return best_answer_scores(inputs, options, "squad");
}

MetricScores record_metric(const MetricInputs& inputs, const Json& options) {
  return best_answer_scores(inputs, options, "record");
}

}  // namespace t5

#include "t5/tasks/bleu.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <unordered_map>

#include "t5/tasks/unicode_text.h"
#include "t5/util/error.h"
#include "t5/util/names.h"

namespace t5 {
namespace {

using CharTest = std::function<bool(char32_t)>;

// Where the spaces go when a pattern "(A)(B)" is rewritten, in the notation
// of the regular expressions sacreBLEU uses.
enum class PairLayout {
  kSpaceAfterEach,   // "\1 \2 "
  kSpaceBeforeEach,  // " \1 \2"
};

// Rewrites each non-overlapping pair (a, b) with first(a) and second(b),
// scanning left to right as Python's re.sub does: a matched pair is consumed
// whole, so its second character cannot start the next match.
std::u32string split_pairs(const std::u32string& text, const CharTest& first,
                           const CharTest& second, PairLayout layout) {
  std::u32string out;
  out.reserve(text.size() * 2);
  size_t pos = 0;
  while (pos < text.size()) {
    if (pos + 1 < text.size() && first(text[pos]) && second(text[pos + 1])) {
      if (layout == PairLayout::kSpaceBeforeEach) out.push_back(U' ');
      out.push_back(text[pos]);
      out.push_back(U' ');
      out.push_back(text[pos + 1]);
      if (layout == PairLayout::kSpaceAfterEach) out.push_back(U' ');
      pos += 2;
    } else {
      out.push_back(text[pos++]);
    }
  }
  return out;
}

// Puts a space on both sides of every character that passes `test`.
std::u32string pad_chars(const std::u32string& text, const CharTest& test) {
  std::u32string out;
  out.reserve(text.size() * 2);
  for (char32_t code : text) {
    if (test(code)) {
      out.push_back(U' ');
      out.push_back(code);
      out.push_back(U' ');
    } else {
      out.push_back(code);
    }
  }
  return out;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
}

bool is_ascii_digit(char32_t code) { return code >= U'0' && code <= U'9'; }

// mteval-v13a's "language-dependent" class: ASCII punctuation and symbols
// except . , - and the apostrophe, plus the space itself.
bool is_13a_separated(char32_t code) {
  return (code >= 0x20 && code <= 0x26) || (code >= 0x28 && code <= 0x2B) || code == 0x2F ||
         (code >= 0x3A && code <= 0x40) || (code >= 0x5B && code <= 0x60) ||
         (code >= 0x7B && code <= 0x7E);
}

bool is_period_or_comma(char32_t code) { return code == U'.' || code == U','; }

std::u32string rstrip(const std::u32string& text) {
  size_t end = text.size();
  while (end > 0 && is_python_space(text[end - 1])) --end;
  return text.substr(0, end);
}

using NgramCounts = std::unordered_map<std::string, int64_t>;

// Every n-gram of order 1..4 of the tokens, counted; keys are the tokens
// joined by spaces (tokens hold no spaces, so keys of different orders and
// contents never collide).
NgramCounts count_ngrams(const std::vector<std::string>& tokens) {
  NgramCounts counts;
  for (size_t start = 0; start < tokens.size(); ++start) {
    std::string key;
    for (size_t n = 1; n <= static_cast<size_t>(kBleuMaxOrder) && start + n <= tokens.size(); ++n) {
      if (n > 1) key.push_back(' ');
      key += tokens[start + n - 1];
      ++counts[key];
    }
  }
  return counts;
}

size_t order_of(const std::string& key) { return 1 + std::count(key.begin(), key.end(), ' '); }

BleuOptions read_bleu_options(const Json& options) {
  Json object = metric_options_object(options, "bleu");
  BleuOptions result;
  JsonFields fields(object, "metric bleu options");
  fields.get("tokenize", result.tokenize);
  fields.get("lowercase", result.lowercase);
  fields.get("smooth_method", result.smooth_method);
  fields.finish();
  const std::vector<std::string> tokenizers = {"intl", "13a", "none"};
  T5_CHECK(std::find(tokenizers.begin(), tokenizers.end(), result.tokenize) != tokenizers.end(),
           "metric bleu: option 'tokenize' is '{}'{}; expected intl (T5), 13a or none",
           result.tokenize, did_you_mean(result.tokenize, tokenizers));
  T5_CHECK(result.smooth_method == "exp" || result.smooth_method == "none",
           "metric bleu: option 'smooth_method' is '{}'; expected exp (T5) or none",
           result.smooth_method);
  return result;
}

// Lowercases (when asked), strips trailing whitespace and tokenizes, as
// sacreBLEU prepares every hypothesis and reference.
std::vector<std::string> prepare_segment(const std::string& text, const BleuOptions& options) {
  std::u32string line = utf8_to_u32(text);
  if (options.lowercase) line = to_lower(line);
  std::string stripped = u32_to_utf8(rstrip(line));
  if (options.tokenize == "13a") return split_whitespace_utf8(tokenize_13a(stripped));
  if (options.tokenize == "intl") return split_whitespace_utf8(tokenize_intl(stripped));
  return split_whitespace_utf8(stripped);
}

}  // namespace

std::string tokenize_13a(const std::string& line) {
  std::string text = line;
  replace_all(text, "<skipped>", "");
  replace_all(text, "-\n", "");
  replace_all(text, "\n", " ");
  replace_all(text, "&quot;", "\"");
  replace_all(text, "&amp;", "&");
  replace_all(text, "&lt;", "<");
  replace_all(text, "&gt;", ">");

  // The surrounding spaces let a final period split off ("in 2019 .").
  std::u32string chars = utf8_to_u32(" " + text + " ");
  auto not_digit = [](char32_t c) { return !is_ascii_digit(c); };
  chars = pad_chars(chars, is_13a_separated);
  chars = split_pairs(chars, not_digit, is_period_or_comma, PairLayout::kSpaceAfterEach);
  chars = split_pairs(chars, is_period_or_comma, not_digit, PairLayout::kSpaceBeforeEach);
  chars = split_pairs(
      chars, is_ascii_digit, [](char32_t c) { return c == U'-'; }, PairLayout::kSpaceAfterEach);
  return u32_to_utf8(collapse_whitespace(chars));
}

std::string tokenize_intl(const std::string& line) {
  auto is_punctuation = [](char32_t c) { return char_class(c) == CharClass::kPunctuation; };
  auto not_number = [](char32_t c) { return char_class(c) != CharClass::kNumber; };
  auto is_symbol = [](char32_t c) { return char_class(c) == CharClass::kSymbol; };
  std::u32string chars = utf8_to_u32(line);
  chars = split_pairs(chars, not_number, is_punctuation, PairLayout::kSpaceAfterEach);
  chars = split_pairs(chars, is_punctuation, not_number, PairLayout::kSpaceBeforeEach);
  chars = pad_chars(chars, is_symbol);
  return u32_to_utf8(collapse_whitespace(chars));
}

BleuStats& BleuStats::operator+=(const BleuStats& other) {
  hypothesis_length += other.hypothesis_length;
  reference_length += other.reference_length;
  for (int n = 0; n < kBleuMaxOrder; ++n) {
    correct[n] += other.correct[n];
    total[n] += other.total[n];
  }
  return *this;
}

BleuStats bleu_segment_stats(const std::vector<std::string>& hypothesis,
                             const std::vector<std::vector<std::string>>& references) {
  T5_CHECK(!references.empty(), "bleu: a segment needs at least one reference");
  BleuStats stats;
  stats.hypothesis_length = static_cast<int64_t>(hypothesis.size());

  // Clip each n-gram by the most any single reference has; take the
  // reference length closest to the hypothesis, the shorter on a tie.
  NgramCounts reference_counts;
  int64_t closest = -1;
  for (const auto& reference : references) {
    for (const auto& [key, count] : count_ngrams(reference)) {
      auto& slot = reference_counts[key];
      slot = std::max(slot, count);
    }
    auto length = static_cast<int64_t>(reference.size());
    int64_t distance = std::llabs(length - stats.hypothesis_length);
    int64_t best = std::llabs(closest - stats.hypothesis_length);
    if (closest < 0 || distance < best || (distance == best && length < closest)) closest = length;
  }
  stats.reference_length = closest;

  for (const auto& [key, count] : count_ngrams(hypothesis)) {
    size_t n = order_of(key) - 1;
    stats.total[n] += count;
    auto found = reference_counts.find(key);
    if (found != reference_counts.end()) stats.correct[n] += std::min(count, found->second);
  }
  return stats;
}

double bleu_from_stats(const BleuStats& stats, const std::string& smooth_method) {
  // sacreBLEU's log of a zero precision: a huge negative number instead of
  // -inf, so the mean stays finite and the score becomes 0.
  constexpr double kLogOfZero = -9999999999.0;
  bool any_match = std::any_of(stats.correct.begin(), stats.correct.end(),
                               [](int64_t count) { return count > 0; });
  if (!any_match) return 0.0;

  double brevity_penalty = 1.0;
  if (stats.hypothesis_length < stats.reference_length) {
    brevity_penalty = stats.hypothesis_length > 0
                          ? std::exp(1.0 - static_cast<double>(stats.reference_length) /
                                               static_cast<double>(stats.hypothesis_length))
                          : 0.0;
  }

  std::array<double, kBleuMaxOrder> precisions{};
  double smoothing = 1.0;
  for (int n = 0; n < kBleuMaxOrder; ++n) {
    if (stats.total[n] == 0) break;
    auto total = static_cast<double>(stats.total[n]);
    if (stats.correct[n] > 0) {
      precisions[n] = 100.0 * static_cast<double>(stats.correct[n]) / total;
    } else if (smooth_method == "exp") {
      smoothing *= 2.0;
      precisions[n] = 100.0 / (smoothing * total);
    }
  }
  double log_sum = 0.0;
  for (double precision : precisions) log_sum += precision > 0.0 ? std::log(precision) : kLogOfZero;
  return brevity_penalty * std::exp(log_sum / kBleuMaxOrder);
}

MetricScores bleu_metric(const MetricInputs& inputs, const Json& options) {
  check_metric_inputs(inputs, "bleu");
  BleuOptions parsed = read_bleu_options(options);
  BleuStats corpus;
  for (size_t i = 0; i < inputs.predictions.size(); ++i) {
    std::vector<std::vector<std::string>> references;
    for (const auto& reference : inputs.references[i]) {
      references.push_back(prepare_segment(reference, parsed));
    }
    corpus += bleu_segment_stats(prepare_segment(inputs.predictions[i], parsed), references);
  }
  return {{"bleu", bleu_from_stats(corpus, parsed.smooth_method)}};
}

}  // namespace t5

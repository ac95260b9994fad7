#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "t5/tasks/metrics.h"

namespace t5 {

// Corpus BLEU as sacreBLEU 2.x computes it, which is how T5 scores WMT:
// tokenizer "intl", exponential smoothing, case-sensitive, n-grams up to 4,
// n-gram counts clipped by the most any one reference has, and the
// reference length closest to each hypothesis (the shorter on a tie).

// The highest n-gram order.
constexpr int kBleuMaxOrder = 4;

// Options of the bleu metric (JSON keys as the field names).
struct BleuOptions {
  /// Tokenizer: "intl" (mteval-v14 international, T5's choice; default),
  /// "13a" (mteval-v13a, sacreBLEU's default) or "none" (split on spaces).
  std::string tokenize = "intl";
  /// Lowercase hypotheses and references first (default false).
  bool lowercase = false;
  /// Smoothing of zero n-gram matches: "exp" (default: the k-th zero
  /// precision becomes 1 / (2^k x n-gram count)) or "none".
  std::string smooth_method = "exp";
};

// sacreBLEU's "13a" tokenizer: drops "<skipped>", joins "-\n" line breaks,
// turns &quot; &amp; &lt; &gt; back into characters, splits off ASCII
// punctuation and symbols, splits . and , unless between digits, and splits
// a - that follows a digit. Returns the tokens joined by single spaces.
std::string tokenize_13a(const std::string& line);

// sacreBLEU's "intl" tokenizer (mteval-v14 international): splits off
// Unicode punctuation (general category P) unless both neighbours are
// numbers (N), and every Unicode symbol (category S). A number followed by
// a final "." keeps it ("2019."), as mteval-v14 does.
std::string tokenize_intl(const std::string& line);

// Sufficient statistics of BLEU, summed over segments.
struct BleuStats {
  int64_t hypothesis_length = 0;
  int64_t reference_length = 0;
  // Matched (clipped) and total hypothesis n-grams; index 0 = unigrams.
  std::array<int64_t, kBleuMaxOrder> correct{};
  std::array<int64_t, kBleuMaxOrder> total{};

  BleuStats& operator+=(const BleuStats& other);
};

// Statistics of one tokenized segment against its tokenized references.
BleuStats bleu_segment_stats(const std::vector<std::string>& hypothesis,
                             const std::vector<std::vector<std::string>>& references);

// BLEU x100 from corpus statistics: brevity penalty exp(1 - r/c) when the
// hypotheses are shorter (0 when empty), times the geometric mean of the
// n-gram precisions. 0 when nothing matches; an order with no hypothesis
// n-gram at all (every hypothesis shorter than n) gives 0 too.
double bleu_from_stats(const BleuStats& stats, const std::string& smooth_method);

// {"bleu"}: corpus BLEU x100 of all predictions against their references
// (any number per example). Options: BleuOptions.
MetricScores bleu_metric(const MetricInputs& inputs, const Json& options);

}  // namespace t5

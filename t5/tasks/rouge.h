#pragma once

#include <string>
#include <vector>

#include "t5/tasks/metrics.h"

namespace t5 {

// ROUGE as Google's rouge-score package computes it, which is what T5
// reports for CNN/Daily Mail. Scores of an example with several references
// are the best F-measure over them (rouge-score's score_multi); the corpus
// score is the mean over examples. T5 reports the median of 1000 bootstrap
// resamples of that mean (random, and within noise of the plain mean
// reported here).

// Options of the rouge metric (JSON keys as the field names).
struct RougeOptions {
  /// Porter-stem tokens longer than 3 characters (default false: T5's
  /// rouge() builds its scorer with rouge-score's default, no stemming).
  bool use_stemmer = false;
  /// Put a newline after every " . " in predictions and references before
  /// scoring, as T5 does, so that rougeLsum sees one sentence per line
  /// (default true; rouge1/2/L are unaffected).
  bool split_periods = true;
};

// One score of a prediction against a reference.
struct RougeScore {
  double precision = 0.0;
  double recall = 0.0;
  double fmeasure = 0.0;
};

// rouge-score's tokenizer: lowercase, every run of characters other than
// a-z and 0-9 becomes a separator, and (with `use_stemmer`) tokens longer
// than 3 characters are Porter-stemmed. "The cats, RUNNING!" -> [the, cats,
// running], stemmed [the, cat, run].
std::vector<std::string> rouge_tokenize(const std::string& text, bool use_stemmer);

// T5's summary preparation: " . " becomes " .\n" (left to right, matches do
// not overlap), so sentences end up on lines of their own.
std::string split_sentences_at_periods(const std::string& text);

// ROUGE-N: clipped n-gram overlap; precision over the prediction's n-grams,
// recall over the reference's (0 when there are none).
RougeScore rouge_n(const std::vector<std::string>& reference,
                   const std::vector<std::string>& prediction, int n);

// ROUGE-L: longest common subsequence of the token lists (0 when either is
// empty).
RougeScore rouge_l(const std::vector<std::string>& reference,
                   const std::vector<std::string>& prediction);

// ROUGE-Lsum: summary-level LCS over sentences. For each reference sentence
// the union of its LCS positions with every prediction sentence counts as
// hits, each token counted no more often than it occurs in both summaries
// (as ROUGE-1.5.5 and rouge-score do).
RougeScore rouge_lsum(const std::vector<std::vector<std::string>>& reference_sentences,
                      const std::vector<std::vector<std::string>>& prediction_sentences);

// {"rouge1", "rouge2", "rougeL", "rougeLsum"}: mean F-measure x100.
// rougeLsum splits texts into sentences at newlines (see split_periods).
// Options: RougeOptions.
MetricScores rouge_metric(const MetricInputs& inputs, const Json& options);

}  // namespace t5

#include "t5/tasks/rouge.h"

#include <algorithm>
#include <map>
#include <set>

#include "t5/tasks/porter_stemmer.h"
#include "t5/tasks/unicode_text.h"

namespace t5 {
namespace {

// rouge-score stems only tokens longer than this.
constexpr size_t kShortestStemmedToken = 4;

double fmeasure(double precision, double recall) {
  return precision + recall > 0.0 ? 2.0 * precision * recall / (precision + recall) : 0.0;
}

RougeScore make_score(double hits, double prediction_count, double reference_count) {
  RougeScore score;
  score.precision = hits / prediction_count;
  score.recall = hits / reference_count;
  score.fmeasure = fmeasure(score.precision, score.recall);
  return score;
}

std::map<std::vector<std::string>, int64_t> count_ngrams(const std::vector<std::string>& tokens,
                                                         size_t n) {
  std::map<std::vector<std::string>, int64_t> counts;
  for (size_t start = 0; start + n <= tokens.size(); ++start) {
    ++counts[std::vector<std::string>(tokens.begin() + start, tokens.begin() + start + n)];
  }
  return counts;
}

// The LCS length table: cell (i, j) holds the LCS length of the first i
// reference tokens and the first j prediction tokens; (rows+1) x (cols+1).
class LcsTable {
 public:
  LcsTable(const std::vector<std::string>& reference, const std::vector<std::string>& prediction)
      : cols_(prediction.size() + 1), cells_((reference.size() + 1) * cols_, 0) {
    for (size_t i = 1; i <= reference.size(); ++i) {
      for (size_t j = 1; j <= prediction.size(); ++j) {
        at(i, j) = reference[i - 1] == prediction[j - 1] ? at(i - 1, j - 1) + 1
                                                         : std::max(at(i - 1, j), at(i, j - 1));
      }
    }
  }

  int64_t at(size_t i, size_t j) const { return cells_[i * cols_ + j]; }
  int64_t& at(size_t i, size_t j) { return cells_[i * cols_ + j]; }

 private:
  size_t cols_;
  std::vector<int64_t> cells_;
};

// Reference positions of one LCS, read back from the table's corner. Ties
// step left in the prediction only when that keeps a strictly longer LCS,
// as rouge-score does, so the union over sentences matches its counts.
std::vector<size_t> lcs_positions(const std::vector<std::string>& reference,
                                  const std::vector<std::string>& prediction) {
  LcsTable table(reference, prediction);
  std::vector<size_t> positions;
  size_t i = reference.size(), j = prediction.size();
  while (i > 0 && j > 0) {
    if (reference[i - 1] == prediction[j - 1]) {
      positions.push_back(i - 1);
      --i;
      --j;
    } else if (table.at(i, j - 1) > table.at(i - 1, j)) {
      --j;
    } else {
      --i;
    }
  }
  std::reverse(positions.begin(), positions.end());
  return positions;
}

std::vector<std::vector<std::string>> tokenize_sentences(const std::string& text,
                                                         bool use_stemmer) {
  std::vector<std::vector<std::string>> sentences;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    // Empty lines are no sentence; a line with no token still is one.
    if (end > start)
      sentences.push_back(rouge_tokenize(text.substr(start, end - start), use_stemmer));
    start = end + 1;
  }
  return sentences;
}

RougeOptions read_rouge_options(const Json& options) {
  Json object = metric_options_object(options, "rouge");
  RougeOptions result;
  JsonFields fields(object, "metric rouge options");
  fields.get("use_stemmer", result.use_stemmer);
  fields.get("split_periods", result.split_periods);
  fields.finish();
  return result;
}

// The four scores of one prediction against one reference.
std::map<std::string, RougeScore> score_pair(const std::string& reference,
                                             const std::string& prediction,
                                             const RougeOptions& options) {
  auto reference_tokens = rouge_tokenize(reference, options.use_stemmer);
  auto prediction_tokens = rouge_tokenize(prediction, options.use_stemmer);
  return {{"rouge1", rouge_n(reference_tokens, prediction_tokens, 1)},
          {"rouge2", rouge_n(reference_tokens, prediction_tokens, 2)},
          {"rougeL", rouge_l(reference_tokens, prediction_tokens)},
          {"rougeLsum", rouge_lsum(tokenize_sentences(reference, options.use_stemmer),
                                   tokenize_sentences(prediction, options.use_stemmer))}};
}

}  // namespace

std::vector<std::string> rouge_tokenize(const std::string& text, bool use_stemmer) {
  std::vector<std::string> tokens;
  std::string current;
  auto flush = [&]() {
    if (current.empty()) return;
    bool stem = use_stemmer && current.size() >= kShortestStemmedToken;
    tokens.push_back(stem ? porter_stem(current) : current);
    current.clear();
  };
  // Lowercasing first matters beyond ASCII: U+0130 and the Kelvin sign
  // lowercase to "i" (plus a combining dot) and "k".
  for (char32_t code : to_lower(utf8_to_u32(text))) {
    bool kept = (code >= U'a' && code <= U'z') || (code >= U'0' && code <= U'9');
    if (kept) {
      current.push_back(static_cast<char>(code));
    } else {
      flush();
    }
  }
  flush();
  return tokens;
}

std::string split_sentences_at_periods(const std::string& text) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t found = text.find(" . ", pos);
    if (found == std::string::npos) break;
    out.append(text, pos, found - pos);
    out += " .\n";
    pos = found + 3;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

RougeScore rouge_n(const std::vector<std::string>& reference,
                   const std::vector<std::string>& prediction, int n) {
  auto reference_counts = count_ngrams(reference, static_cast<size_t>(n));
  auto prediction_counts = count_ngrams(prediction, static_cast<size_t>(n));
  int64_t overlap = 0, reference_total = 0, prediction_total = 0;
  for (const auto& [ngram, count] : reference_counts) {
    reference_total += count;
    auto found = prediction_counts.find(ngram);
    if (found != prediction_counts.end()) overlap += std::min(count, found->second);
  }
  for (const auto& entry : prediction_counts) prediction_total += entry.second;
  return make_score(static_cast<double>(overlap),
                    static_cast<double>(std::max<int64_t>(prediction_total, 1)),
                    static_cast<double>(std::max<int64_t>(reference_total, 1)));
}

RougeScore rouge_l(const std::vector<std::string>& reference,
                   const std::vector<std::string>& prediction) {
  if (reference.empty() || prediction.empty()) return {};
  LcsTable table(reference, prediction);
  return make_score(static_cast<double>(table.at(reference.size(), prediction.size())),
                    static_cast<double>(prediction.size()), static_cast<double>(reference.size()));
}

RougeScore rouge_lsum(const std::vector<std::vector<std::string>>& reference_sentences,
                      const std::vector<std::vector<std::string>>& prediction_sentences) {
  std::map<std::string, int64_t> reference_left, prediction_left;
  int64_t reference_total = 0, prediction_total = 0;
  for (const auto& sentence : reference_sentences) {
    for (const auto& token : sentence) ++reference_left[token];
    reference_total += static_cast<int64_t>(sentence.size());
  }
  for (const auto& sentence : prediction_sentences) {
    for (const auto& token : sentence) ++prediction_left[token];
    prediction_total += static_cast<int64_t>(sentence.size());
  }
  if (reference_total == 0 || prediction_total == 0) return {};

  int64_t hits = 0;
  for (const auto& reference : reference_sentences) {
    std::set<size_t> union_positions;
    for (const auto& prediction : prediction_sentences) {
      for (size_t position : lcs_positions(reference, prediction)) union_positions.insert(position);
    }
    for (size_t position : union_positions) {
      const auto& token = reference[position];
      if (reference_left[token] > 0 && prediction_left[token] > 0) {
        ++hits;
        --reference_left[token];
        --prediction_left[token];
      }
    }
  }
  return make_score(static_cast<double>(hits), static_cast<double>(prediction_total),
                    static_cast<double>(reference_total));
}

MetricScores rouge_metric(const MetricInputs& inputs, const Json& options) {
  check_metric_inputs(inputs, "rouge");
  RougeOptions parsed = read_rouge_options(options);
  MetricScores totals = {{"rouge1", 0.0}, {"rouge2", 0.0}, {"rougeL", 0.0}, {"rougeLsum", 0.0}};
  for (size_t i = 0; i < inputs.predictions.size(); ++i) {
    std::string prediction = inputs.predictions[i];
    if (parsed.split_periods) prediction = split_sentences_at_periods(prediction);
    // Best F-measure over the references, per ROUGE type.
    MetricScores best = {{"rouge1", 0.0}, {"rouge2", 0.0}, {"rougeL", 0.0}, {"rougeLsum", 0.0}};
    for (std::string reference : inputs.references[i]) {
      if (parsed.split_periods) reference = split_sentences_at_periods(reference);
      for (const auto& [type, score] : score_pair(reference, prediction, parsed)) {
        best[type] = std::max(best[type], score.fmeasure);
      }
    }
    for (auto& [type, total] : totals) total += best[type];
  }
  for (auto& entry : totals) entry.second *= 100.0 / static_cast<double>(inputs.predictions.size());
  return totals;
}

}  // namespace t5

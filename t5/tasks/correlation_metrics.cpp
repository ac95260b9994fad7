#include "t5/tasks/correlation_metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include "t5/tasks/unicode_text.h"
#include "t5/util/error.h"

namespace t5 {
namespace {

// T5's STS-B postprocessor maps an unparsable prediction to this value.
constexpr double kUnparsablePrediction = -1.0;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// True when `text` is [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?.
bool is_plain_decimal(const std::string& text) {
  size_t pos = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
  size_t integer_digits = 0, fraction_digits = 0;
  while (pos < text.size() && is_digit(text[pos])) ++pos, ++integer_digits;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos, ++fraction_digits;
  }
  if (integer_digits + fraction_digits == 0) return false;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
    size_t exponent_digits = 0;
    while (pos < text.size() && is_digit(text[pos])) ++pos, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return pos == text.size();
}

// The references and predictions of a regression task as numbers.
std::pair<std::vector<double>, std::vector<double>> parse_series(const MetricInputs& inputs,
                                                                 const Json& options,
                                                                 const std::string& metric) {
  check_metric_inputs(inputs, metric);
  Json object = metric_options_object(options, metric);
  JsonFields(object, "metric " + metric + " options").finish();
  std::vector<double> references, predictions;
  for (size_t i = 0; i < inputs.predictions.size(); ++i) {
    const auto& text = inputs.references[i].front();
    auto reference = parse_python_float(text);
    if (!reference.has_value()) {
      fail_example(i + 1,
                   "metric {}: the reference of example {} is '{}', expected a number such as "
                   "3.8 (STS-B similarity); fix the reference",
                   metric, i + 1, text);
    }
    references.push_back(*reference);
    predictions.push_back(
        parse_python_float(inputs.predictions[i]).value_or(kUnparsablePrediction));
  }
  T5_CHECK(references.size() >= 2,
           "metric {}: a correlation needs at least 2 examples, got {}; score the whole split",
           metric, references.size());
  return {references, predictions};
}

}  // namespace

std::optional<double> parse_python_float(const std::string& text) {
  std::string trimmed = u32_to_utf8(collapse_whitespace(utf8_to_u32(text)));
  if (trimmed.find(' ') != std::string::npos || !is_plain_decimal(trimmed)) return std::nullopt;
  // from_chars reads no leading '+' and ignores the locale, unlike strtod.
  const char* begin = trimmed.data() + (trimmed[0] == '+' ? 1 : 0);
  double value = 0.0;
  auto result = std::from_chars(begin, trimmed.data() + trimmed.size(), value);
  if (result.ec != std::errc() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::vector<double> average_ranks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  size_t start = 0;
  while (start < order.size()) {
    size_t end = start + 1;
    while (end < order.size() && values[order[end]] == values[order[start]]) ++end;
    // Positions start..end-1 hold ranks start+1..end; each gets their mean.
    double mean_rank = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2.0;
    for (size_t k = start; k < end; ++k) ranks[order[k]] = mean_rank;
    start = end;
  }
  return ranks;
}

double pearson_correlation(const std::vector<double>& x, const std::vector<double>& y) {
  T5_CHECK(x.size() == y.size() && x.size() >= 2,
           "pearson correlation: expected two series of equal length >= 2, got {} and {} values",
           x.size(), y.size());
  // Checked exactly: the mean of equal values can differ from them in the
  // last bit, which would turn rounding noise into a correlation.
  auto constant = [](const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [&](double value) { return value == v.front(); });
  };
  if (constant(x) || constant(y)) return 0.0;
  double n = static_cast<double>(x.size());
  double mean_x = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double mean_y = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double cross = 0.0, square_x = 0.0, square_y = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    double dx = x[i] - mean_x;
    double dy = y[i] - mean_y;
    cross += dx * dy;
    square_x += dx * dx;
    square_y += dy * dy;
  }
  // Clamp rounding just past +-1.
  return std::clamp(cross / std::sqrt(square_x * square_y), -1.0, 1.0);
}

MetricScores pearson_metric(const MetricInputs& inputs, const Json& options) {
  auto [references, predictions] = parse_series(inputs, options, "pearson");
  return {{"pearson", 100.0 * pearson_correlation(references, predictions)}};
}

MetricScores spearman_metric(const MetricInputs& inputs, const Json& options) {
  auto [references, predictions] = parse_series(inputs, options, "spearman");
  return {{"spearman",
           100.0 * pearson_correlation(average_ranks(references), average_ranks(predictions))}};
}

}  // namespace t5

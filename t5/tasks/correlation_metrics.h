#pragma once

#include <optional>
#include <string>
#include <vector>

#include "t5/tasks/metrics.h"

namespace t5 {

// Correlation metrics for regression written as text (STS-B: the model
// writes "3.8"). Predictions that do not parse as a finite number score as
// -1, as T5's STS-B postprocessor maps them; references must parse (the
// error names the example). No options.

// {"pearson"}: 100 x Pearson's r between references and predictions.
MetricScores pearson_metric(const MetricInputs& inputs, const Json& options);

// {"spearman"}: 100 x Spearman's rho: Pearson's r of the ranks, tied values
// sharing the mean of their ranks.
MetricScores spearman_metric(const MetricInputs& inputs, const Json& options);

// Pearson's r of two equally long series. Returns 0 when a series is
// constant (r is undefined there; scipy would return NaN, which would
// poison every average it enters). Needs at least 2 values (throws).
double pearson_correlation(const std::vector<double>& x, const std::vector<double>& y);

// Ranks 1..n in the order of the values; tied values get the mean of the
// ranks they span ([10, 20, 20, 30] -> [1, 2.5, 2.5, 4]).
std::vector<double> average_ranks(const std::vector<double>& values);

// Parses text the way Python's float() does for plain decimal numbers:
// surrounding whitespace allowed, sign, digits, point, exponent. Returns
// nothing for anything else, including "nan", "inf", hexadecimal, digit
// separators "1_000" and non-ASCII digits (Python accepts the last two; no
// STS-B output uses them).
std::optional<double> parse_python_float(const std::string& text);

}  // namespace t5

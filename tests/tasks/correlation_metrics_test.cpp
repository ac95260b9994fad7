#include "t5/tasks/correlation_metrics.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "t5/util/error.h"

namespace {

constexpr double kTolerance = 1e-12;

t5::MetricInputs series(const std::vector<std::string>& predictions,
                        const std::vector<std::string>& references) {
  t5::MetricInputs inputs;
  inputs.predictions = predictions;
  for (const auto& reference : references) inputs.references.push_back({reference});
  return inputs;
}

}  // namespace

TEST_CASE("pearson correlation matches a hand computation", "[tasks][metrics]") {
  // x = 1 2 3, y = 1 3 2: deviations (-1 0 1) and (-1 1 0); sum of
  // products 1, sums of squares 2 and 2: r = 1 / sqrt(4) = 0.5.
  auto scores = t5::pearson_metric(series({"1", "3", "2"}, {"1", "2", "3"}), nullptr);
  CHECK(scores.at("pearson") == Approx(50.0).epsilon(kTolerance));
}

TEST_CASE("spearman correlation gives tied values the mean of their ranks", "[tasks][metrics]") {
  CHECK(t5::average_ranks({10, 20, 20, 30}) == std::vector<double>{1, 2.5, 2.5, 4});
  CHECK(t5::average_ranks({3, 1, 3, 3}) == std::vector<double>{3, 1, 3, 3});
  // References 1 2 2 3 rank 1 2.5 2.5 4; predictions 1 3 2 4 rank 1 3 2 4.
  // Both mean 2.5; deviations (-1.5 0 0 1.5) and (-1.5 .5 -.5 1.5):
  // products 4.5, squares 4.5 and 5: rho = 4.5 / sqrt(22.5) = sqrt(0.9).
  auto scores = t5::spearman_metric(series({"1", "3", "2", "4"}, {"1", "2", "2", "3"}), nullptr);
  CHECK(scores.at("spearman") == Approx(100.0 * std::sqrt(0.9)).epsilon(kTolerance));
}

TEST_CASE("unparsable STS-B predictions score as -1", "[tasks][metrics]") {
  // Predictions 1, "x" -> -1, 3 against 1 2 3: deviations (-1 0 1) and
  // (0 -2 2) around means 2 and 1: r = 2 / sqrt(2 * 8) = 0.5.
  auto scores = t5::pearson_metric(series({"1", "x", "3"}, {"1", "2", "3"}), nullptr);
  CHECK(scores.at("pearson") == Approx(50.0).epsilon(kTolerance));
}

TEST_CASE("correlations of a constant series are 0, not NaN", "[tasks][metrics]") {
  auto constant = series({"2.6", "2.6", "2.6"}, {"1", "2", "3"});
  CHECK(t5::pearson_metric(constant, nullptr).at("pearson") == 0.0);
  CHECK(t5::spearman_metric(constant, nullptr).at("spearman") == 0.0);
}

TEST_CASE("python float parsing accepts plain decimals and nothing else", "[tasks][metrics]") {
  CHECK(t5::parse_python_float("3.8") == 3.8);
  CHECK(t5::parse_python_float(" -2 ") == -2.0);
  CHECK(t5::parse_python_float("+.5") == 0.5);
  CHECK(t5::parse_python_float("1e2") == 100.0);
  CHECK(t5::parse_python_float("4.") == 4.0);
  CHECK_FALSE(t5::parse_python_float("").has_value());
  CHECK_FALSE(t5::parse_python_float("3.8 4").has_value());
  CHECK_FALSE(t5::parse_python_float("nan").has_value());
  CHECK_FALSE(t5::parse_python_float("inf").has_value());
  CHECK_FALSE(t5::parse_python_float("0x10").has_value());
  CHECK_FALSE(t5::parse_python_float("1e999").has_value());
  CHECK_FALSE(t5::parse_python_float("e5").has_value());
}

TEST_CASE("correlation metrics refuse unparsable references and single examples",
          "[tasks][metrics]") {
  CHECK_THROWS_WITH(t5::pearson_metric(series({"1", "2"}, {"1", "high"}), nullptr),
                    Catch::Contains("reference of example 2 is 'high'"));
  CHECK_THROWS_WITH(t5::spearman_metric(series({"1"}, {"1"}), nullptr),
                    Catch::Contains("at least 2 examples, got 1"));
}

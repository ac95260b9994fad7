#include "t5/tasks/metrics.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "t5/util/error.h"

namespace {

constexpr double kTolerance = 1e-12;

t5::MetricInputs single_references(const std::vector<std::string>& predictions,
                                   const std::vector<std::string>& references) {
  t5::MetricInputs inputs;
  inputs.predictions = predictions;
  for (const auto& reference : references) inputs.references.push_back({reference});
  return inputs;
}

t5::MetricScores score(const std::string& metric, const t5::MetricInputs& inputs,
                       const t5::Json& options = nullptr) {
  t5::MetricRegistry registry;
  t5::register_builtin_metrics(registry);
  return registry.get(metric)(inputs, options);
}

}  // namespace

TEST_CASE("metric registry holds the built-in metrics by name", "[tasks][metrics]") {
  t5::MetricRegistry registry;
  t5::register_builtin_metrics(registry);
  CHECK(registry.names() == std::vector<std::string>{"accuracy", "bleu", "f1", "f1_macro",
                                                     "matthews_corrcoef", "multirc", "pearson",
                                                     "record", "rouge", "spearman", "squad"});
  CHECK(registry.contains("bleu"));
  CHECK_FALSE(registry.contains("BLEU"));
}

TEST_CASE("metric registry miss names the near names", "[tasks][metrics]") {
  t5::MetricRegistry registry;
  t5::register_builtin_metrics(registry);
  CHECK_THROWS_AS(registry.get("acuracy"), t5::Error);
  CHECK_THROWS_WITH(registry.get("acuracy"), Catch::Contains("unknown metric 'acuracy'") &&
                                                 Catch::Contains("did you mean 'accuracy'") &&
                                                 Catch::Contains("known metrics: accuracy, bleu"));
}

TEST_CASE("metric registry refuses a second metric of the same name", "[tasks][metrics]") {
  t5::MetricRegistry registry;
  t5::register_builtin_metrics(registry);
  CHECK_THROWS_WITH(registry.add("bleu", [](const t5::MetricInputs&,
                                            const t5::Json&) { return t5::MetricScores{}; }),
                    Catch::Contains("'bleu' is already registered"));
}

TEST_CASE("accuracy counts predictions equal to one of their references", "[tasks][metrics]") {
  // 3 of 4 right (the third matches its second reference): 75.
  t5::MetricInputs inputs;
  inputs.predictions = {"positive", "negative", "b", "negative"};
  inputs.references = {{"positive"}, {"negative"}, {"a", "b"}, {"positive"}};
  CHECK(score("accuracy", inputs).at("accuracy") == Approx(75.0).epsilon(kTolerance));
}

TEST_CASE("binary f1 scores the positive label and counts invalid predictions as wrong",
          "[tasks][metrics]") {
  // References E E N N N (E = equivalent), predictions E N E N "maybe".
  // TP = 1 (first), FN = 1 (second), FP = 1 (third); "maybe" is no label
  // and its reference is N, so it counts as a false positive: FP = 2.
  // F1 = 2TP / (2TP + FP + FN) = 2 / 5 = 40.
  auto inputs = single_references(
      {"equivalent", "not_equivalent", "equivalent", "not_equivalent", "maybe"},
      {"equivalent", "equivalent", "not_equivalent", "not_equivalent", "not_equivalent"});
  CHECK(score("f1", inputs, {{"positive", "equivalent"}}).at("f1") ==
        Approx(40.0).epsilon(kTolerance));

  SECTION("without option positive the error says how to give it") {
    CHECK_THROWS_WITH(score("f1", inputs), Catch::Contains("option 'positive' is required") &&
                                               Catch::Contains("--option positive="));
  }
  SECTION("a numeric positive label names the label of that text") {
    auto numeric = single_references({"1", "0"}, {"1", "1"});
    // TP = 1, FN = 1: F1 = 2 / 3.
    CHECK(score("f1", numeric, {{"positive", 1}}).at("f1") ==
          Approx(200.0 / 3.0).epsilon(kTolerance));
  }
}

TEST_CASE("macro f1 averages the per-class F1 over the labels", "[tasks][metrics]") {
  // References e e c n, predictions e c c x ("x" is no label).
  // e: TP 1, FN 1 -> F1 2/3; c: TP 1, FP 1 -> 2/3; n: FN 1 -> 0.
  // Mean (2/3 + 2/3 + 0) / 3 = 4/9 -> 44.44...
  auto inputs = single_references({"e", "c", "c", "x"}, {"e", "e", "c", "n"});
  CHECK(score("f1_macro", inputs).at("f1_macro") == Approx(400.0 / 9.0).epsilon(kTolerance));

  SECTION("option labels adds a class no reference has, scoring 0") {
    // A fourth class with no reference and no prediction: (4/3) / 4 = 1/3.
    auto scores = score("f1_macro", inputs, {{"labels", {"e", "c", "n", "other"}}});
    CHECK(scores.at("f1_macro") == Approx(100.0 / 3.0).epsilon(kTolerance));
  }
  SECTION("a reference outside option labels is an error naming the example") {
    CHECK_THROWS_WITH(score("f1_macro", inputs, {{"labels", {"e", "c"}}}),
                      Catch::Contains("example 4") && Catch::Contains("'n'"));
  }
}

TEST_CASE("matthews correlation matches the binary formula on a hand case", "[tasks][metrics]") {
  // References 1 1 1 0 0, predictions 1 1 0 0 1: TP 2, FN 1, TN 1, FP 1.
  // MCC = (TP TN - FP FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))
  //     = (2 - 1) / sqrt(3 * 3 * 2 * 2) = 1/6.
  auto inputs = single_references({"a", "a", "u", "u", "a"}, {"a", "a", "a", "u", "u"});
  CHECK(score("matthews_corrcoef", inputs).at("matthews_corrcoef") ==
        Approx(100.0 / 6.0).epsilon(kTolerance));

  SECTION("the value does not depend on which class is positive") {
    auto swapped = score("matthews_corrcoef", inputs, {{"positive", "u"}});
    CHECK(swapped.at("matthews_corrcoef") == Approx(100.0 / 6.0).epsilon(kTolerance));
  }
  SECTION("an invalid prediction forms a class of its own, as T5's -1 does") {
    // References a a u u, predictions a x u u. Classes a, u, invalid:
    // s = 4, c = 3, t = (2, 2, 0), p = (1, 2, 1).
    // MCC = (c s - sum p t) / sqrt((s^2 - sum p^2)(s^2 - sum t^2))
    //     = (12 - 6) / sqrt((16 - 6)(16 - 8)) = 6 / sqrt(80).
    auto with_invalid = single_references({"a", "x", "u", "u"}, {"a", "a", "u", "u"});
    CHECK(score("matthews_corrcoef", with_invalid).at("matthews_corrcoef") ==
          Approx(600.0 / std::sqrt(80.0)).epsilon(kTolerance));
  }
  SECTION("predictions all of one class give 0, the undefined case") {
    auto constant = single_references({"a", "a", "a"}, {"a", "u", "u"});
    CHECK(score("matthews_corrcoef", constant).at("matthews_corrcoef") == 0.0);
  }
}

TEST_CASE("multirc groups answers by question for exact match", "[tasks][metrics]") {
  // Question q1: answers T F, both right. q2: answers T T, one wrong.
  // q3: answer F, right. EM = mean(100, 0, 100) = 66.67.
  // F1 over all answers with positive True: references T F T T F,
  // predictions T F T F F: TP 2, FN 1, FP 0 -> F1 = 4/5 = 80.
  t5::MetricInputs inputs;
  inputs.predictions = {"True", "False", "True", "False", "False"};
  inputs.references = {{"True"}, {"False"}, {"True"}, {"True"}, {"False"}};
  inputs.groups = {"q1", "q1", "q2", "q2", "q3"};
  auto scores = score("multirc", inputs);
  CHECK(scores.at("em") == Approx(200.0 / 3.0).epsilon(kTolerance));
  CHECK(scores.at("f1a") == Approx(80.0).epsilon(kTolerance));

  SECTION("without group ids the error says what to give") {
    inputs.groups.clear();
    CHECK_THROWS_WITH(score("multirc", inputs), Catch::Contains("--groups"));
  }
}

TEST_CASE("benchmark average takes each task's mean, then the mean over tasks",
          "[tasks][metrics]") {
  // Task 1 (one metric) 90; task 2 (MRPC-like, F1 80 and accuracy 70) 75;
  // benchmark (90 + 75) / 2 = 82.5, not the mean of all three values (80).
  std::vector<t5::MetricScores> tasks = {{{"accuracy", 90.0}}, {{"f1", 80.0}, {"accuracy", 70.0}}};
  CHECK(t5::benchmark_average(tasks) == Approx(82.5).epsilon(kTolerance));
  CHECK_THROWS_WITH(t5::benchmark_average({}), Catch::Contains("at least one task"));
  CHECK_THROWS_WITH(t5::benchmark_average({{{"accuracy", 1.0}}, {}}),
                    Catch::Contains("task 2 of 2 has no scores"));
}

TEST_CASE("metric inputs that do not line up are refused with their counts", "[tasks][metrics]") {
  t5::MetricInputs inputs;
  inputs.predictions = {"a", "b"};
  inputs.references = {{"a"}};
  CHECK_THROWS_WITH(score("accuracy", inputs),
                    Catch::Contains("2 predictions but 1 reference lists"));
  inputs.references = {{"a"}, {}};
  CHECK_THROWS_WITH(score("accuracy", inputs), Catch::Contains("example 2 has no reference"));
  inputs.references = {{"a"}, {"b"}};
  inputs.groups = {"g"};
  CHECK_THROWS_WITH(score("accuracy", inputs), Catch::Contains("1 group ids for 2 examples"));
  CHECK_THROWS_WITH(score("accuracy", t5::MetricInputs{}), Catch::Contains("got no examples"));
}

TEST_CASE("metric options that are unknown or not an object are refused", "[tasks][metrics]") {
  auto inputs = single_references({"a"}, {"a"});
  CHECK_THROWS_WITH(score("accuracy", inputs, {{"positve", "a"}}),
                    Catch::Contains("unknown key 'positve'"));
  CHECK_THROWS_WITH(score("f1", inputs, {{"positve", "a"}}),
                    Catch::Contains("did you mean 'positive'"));
  CHECK_THROWS_WITH(score("accuracy", inputs, t5::Json::array({1, 2})),
                    Catch::Contains("options must be a JSON object"));
}

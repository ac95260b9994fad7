#include "t5/tasks/squad_metrics.h"

#include <catch2/catch.hpp>

namespace {

constexpr double kTolerance = 1e-12;

}  // namespace

TEST_CASE("squad normalisation applies each rule of the official script", "[tasks][metrics]") {
  SECTION("lowercase, beyond ASCII too") {
    CHECK(t5::normalize_squad_answer("Paris") == "paris");
    CHECK(t5::normalize_squad_answer("\xC3\x85RHUS") == "\xC3\xA5rhus");  // U+00C5 -> U+00E5
  }
  SECTION("ASCII punctuation is deleted, not replaced by a space") {
    CHECK(t5::normalize_squad_answer("Eiffel-Tower!") == "eiffeltower");
    CHECK(t5::normalize_squad_answer("U.S.") == "us");
  }
  SECTION("articles are removed as whole words only") {
    CHECK(t5::normalize_squad_answer("The cat and a dog, an owl") == "cat and dog owl");
    CHECK(t5::normalize_squad_answer("theater anthem") == "theater anthem");
    // A letter beyond ASCII is a word character: no boundary inside "thé".
    CHECK(t5::normalize_squad_answer("th\xC3\xA9") == "th\xC3\xA9");
  }
  SECTION("whitespace runs collapse and the ends are trimmed") {
    CHECK(t5::normalize_squad_answer("  big \t\n red ") == "big red");
  }
}

TEST_CASE("squad f1 matches a hand computation", "[tasks][metrics]") {
  // "the cat sat on the mat" -> "cat sat on mat" (4 tokens); "a cat on a
  // mat" -> "cat on mat" (3). Shared: cat, on, mat = 3. P = 3/4, R = 1,
  // F1 = 2 * 3/4 / (7/4) = 6/7.
  CHECK(t5::squad_f1("the cat sat on the mat", "a cat on a mat") ==
        Approx(6.0 / 7.0).epsilon(kTolerance));
  // Tokens match as a multiset: "x x y" and "x y y" share one x and one
  // y: P = R = 2/3.
  CHECK(t5::squad_f1("x x y", "x y y") == Approx(2.0 / 3.0).epsilon(kTolerance));
  CHECK(t5::squad_f1("the", "a") == 0.0);
  CHECK(t5::squad_exact_match("The Cat.", "cat") == 1.0);
}

TEST_CASE("squad metric takes the best reference per example", "[tasks][metrics]") {
  // Example 1 matches its second answer exactly (EM 1, F1 1). Example 2
  // "blue sky" vs "sky": P = 1/2, R = 1, F1 = 2/3, EM 0.
  // EM = 100 * (1 + 0) / 2 = 50; F1 = 100 * (1 + 2/3) / 2 = 83.33.
  t5::MetricInputs inputs;
  inputs.predictions = {"Denver Broncos", "blue sky"};
  inputs.references = {{"Broncos", "the Denver Broncos"}, {"sky"}};
  auto scores = t5::squad_metric(inputs, nullptr);
  CHECK(scores.at("em") == Approx(50.0).epsilon(kTolerance));
  CHECK(scores.at("f1") == Approx(250.0 / 3.0).epsilon(kTolerance));

  SECTION("record scores the same way") {
    auto record = t5::record_metric(inputs, nullptr);
    CHECK(record.at("em") == scores.at("em"));
    CHECK(record.at("f1") == scores.at("f1"));
  }
}

#include "t5/objectives/noise.h"

#include <catch2/catch.hpp>

#include <map>

TEST_CASE("round_half_even sends ties to the even neighbour", "[objectives]") {
  // Python's round() and tf.math.round: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2.
  CHECK(t5::round_half_even(0.5) == 0);
  CHECK(t5::round_half_even(1.5) == 2);
  CHECK(t5::round_half_even(2.5) == 2);
  CHECK(t5::round_half_even(85.2) == 85);
  CHECK(t5::round_half_even(170.55) == 171);
}

TEST_CASE("the span-corruption planner reproduces the reference's golden lengths", "[objectives]") {
  struct Row {
    int64_t inputs_length;
    double density;
    double mean_span;
    int64_t raw, inputs, targets;
  };
  // REFERENCE.md, Objectives: the golden table (the reference's
  // random_spans_helper, whose targets have no closing sentinel).
  const std::vector<Row> table = {
      {512, 0.15, 3, 568, 512, 114},    {568, 0.15, 3, 630, 568, 126},
      {1024, 0.15, 3, 1137, 1024, 229}, {512, 0.15, 8, 588, 512, 100},
      {114, 0.15, 3, 126, 114, 26},
  };
  for (const auto& row : table) {
    INFO("inputs " << row.inputs_length << " density " << row.density << " span " << row.mean_span);
    auto plan = t5::plan_span_corruption(row.inputs_length, row.density, row.mean_span,
                                         /*final_sentinel=*/false);
    CHECK(plan.raw == row.raw);
    CHECK(plan.inputs == row.inputs);
    CHECK(plan.targets == row.targets);
    // The paper's layout adds the closing sentinel to the targets only.
    auto closed = t5::plan_span_corruption(row.inputs_length, row.density, row.mean_span,
                                           /*final_sentinel=*/true);
    CHECK(closed.raw == row.raw);
    CHECK(closed.inputs == row.inputs);
    CHECK(closed.targets == row.targets + 1);
  }
}

TEST_CASE("the planner shortens the raw length by one at density 0.5", "[objectives]") {
  // Hand computation, inputs 512, density 0.5, mean span 3: raw 767 has
  // round(383.5) = 384 noise tokens and round(128) = 128 spans, so inputs
  // 767 - 384 + 128 + 1 = 512 fit but targets 384 + 128 + 1 = 513 exceed
  // them; the reference drops to raw 766: noise 383, spans round(127.67) =
  // 128, inputs 766 - 383 + 128 + 1 = 512, targets 383 + 128 + 1 = 512.
  auto plan = t5::plan_span_corruption(512, 0.5, 3, /*final_sentinel=*/false);
  CHECK(plan.raw == 766);
  CHECK(plan.inputs == 512);
  CHECK(plan.targets == 512);
  // Any other density keeps the largest raw length: at 0.4999 raw 767 has
  // round(383.42) = 383 noise, inputs 767 - 383 + 128 + 1 = 513 > 512, so
  // raw stays 766 there too, with targets 383 + 128 + 1 = 512.
  CHECK(t5::plan_span_corruption(512, 0.4999, 3, false).raw == 766);
}

TEST_CASE("the planner refuses inputs lengths that leave no room", "[objectives]") {
  CHECK_THROWS_WITH(t5::plan_span_corruption(2, 0.15, 3, true),
                    Catch::Contains("inputs_length 2") && Catch::Contains("at least 3"));
}

TEST_CASE("span-noise masks have the planned counts and alternate starting with kept tokens",
          "[objectives]") {
  for (double density : {0.15, 0.5, 0.8}) {
    for (double mean_span : {1.0, 3.0, 8.0}) {
      for (int64_t length = 2; length <= 300; ++length) {
        t5::Rng rng(static_cast<uint64_t>(length * 7919 + mean_span * 13 + density * 101));
        auto mask = t5::random_spans_noise_mask(length, density, mean_span, rng);
        auto counts = t5::span_counts(length, density, mean_span);
        INFO("length " << length << " density " << density << " span " << mean_span);
        REQUIRE(static_cast<int64_t>(mask.size()) == length);
        int64_t noise = 0, spans = 0;
        for (size_t i = 0; i < mask.size(); ++i) {
          noise += mask[i];
          spans += mask[i] && (i == 0 || !mask[i - 1]);
        }
        CHECK(noise == counts.noise);
        CHECK(spans == counts.spans);
        CHECK(mask.front() == 0);
        CHECK(mask.back() == 1);
      }
    }
  }
}

TEST_CASE("random segmentation draws every composition equally often", "[objectives]") {
  // 5 items in 3 non-empty runs: C(4, 2) = 6 compositions, each with
  // probability 1/6. Over 60000 draws the count of each is binomial with
  // mean 10000 and sd sqrt(60000 * 1/6 * 5/6) = 91; allow 5 sd.
  t5::Rng rng(5);
  std::map<std::vector<int64_t>, int> counts;
  for (int i = 0; i < 60000; ++i) ++counts[t5::random_segmentation(5, 3, rng)];
  CHECK(counts.size() == 6);
  for (const auto& [composition, count] : counts) CHECK(std::abs(count - 10000) < 5 * 91);
}

TEST_CASE("observed noise share and mean span length match the parameters over 1e5 tokens",
          "[objectives]") {
  for (auto [density, mean_span, raw] :
       {std::tuple{0.15, 3.0, 568}, std::tuple{0.15, 8.0, 588}, std::tuple{0.5, 3.0, 766}}) {
    t5::Rng rng(11);
    int64_t tokens = 0, noise = 0, spans = 0;
    while (tokens < 100000) {
      auto mask = t5::random_spans_noise_mask(raw, density, mean_span, rng);
      for (size_t i = 0; i < mask.size(); ++i) {
        noise += mask[i];
        spans += mask[i] && (i == 0 || !mask[i - 1]);
      }
      tokens += raw;
    }
    INFO("density " << density << " span " << mean_span);
    // The counts per chunk are rounded, not random: the noise share is off
    // by at most 0.5 / raw (< 0.001) and the mean span by the rounding of
    // the span count (85 / 28 = 3.04 at 568 tokens; 88 / 11 = 8 at 588;
    // 383 / 128 = 2.99 at 766), so 1% and 2% bound them.
    CHECK(static_cast<double>(noise) / tokens == Approx(density).epsilon(0.01));
    CHECK(static_cast<double>(noise) / spans == Approx(mean_span).epsilon(0.02));
  }
}

TEST_CASE("i.i.d. masks hit the noise density within binomial error", "[objectives]") {
  for (double density : {0.0, 0.1, 0.15, 0.5, 1.0}) {
    t5::Rng rng(3);
    const int64_t n = 100000;
    auto mask = t5::iid_noise_mask(n, density, rng);
    int64_t noise = 0;
    for (auto flag : mask) noise += flag;
    // Binomial sd of the share: sqrt(p (1 - p) / n) <= 0.0016; allow 5 sd.
    double sd = std::sqrt(density * (1 - density) / n);
    INFO("density " << density);
    CHECK(std::abs(static_cast<double>(noise) / n - density) <= 5 * sd + 1e-12);
  }
}

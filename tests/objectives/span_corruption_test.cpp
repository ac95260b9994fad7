#include "t5/objectives/span_corruption.h"

#include <catch2/catch.hpp>

#include "t5/objectives/corruption.h"
#include "tests/objectives/fixtures.h"

namespace {

using t5::testing::random_text;
using t5::testing::with_eos;

// The paper's running example, "Thank you for inviting me to your party
// last week .", as ids 101 ... 111 (one token a word).
const std::vector<int64_t> kThankYou = {101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111};
constexpr int64_t kX = 32099;  // <extra_id_0>
constexpr int64_t kY = 32098;  // <extra_id_1>
constexpr int64_t kZ = 32097;  // <extra_id_2>

t5::ObjectiveContext context(int64_t inputs, int64_t targets) {
  t5::ObjectiveContext c;
  c.lengths = {inputs, targets};
  c.where = "test.objective";
  return c;
}

// Sentinel indices of `feature`, in order.
std::vector<int64_t> sentinels_of(const std::vector<int64_t>& feature) {
  auto ids = t5::testing::t5_ids();
  std::vector<int64_t> indices;
  for (int64_t id : feature) {
    if (ids.is_sentinel(id)) indices.push_back(ids.sentinel_index(id));
  }
  return indices;
}

}  // namespace

TEST_CASE("sentinel layouts reproduce the paper's running example", "[objectives]") {
  auto ids = t5::testing::t5_ids();
  t5::SentinelLayout layout;

  SECTION("random spans") {
    // REFERENCE.md: "Thank you <X> to <Y> week ." -> "<X> for inviting me
    // <Y> your party last <Z>"; noise is "for inviting me" and "your party
    // last".
    t5::NoiseMask mask = {0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0};
    auto example = t5::replace_spans_with_sentinels(kThankYou, mask, ids, layout, "test");
    CHECK(example.inputs == std::vector<int64_t>{101, 102, kX, 106, kY, 110, 111, 1});
    CHECK(example.targets == std::vector<int64_t>{kX, 103, 104, 105, kY, 107, 108, 109, kZ, 1});
  }
  SECTION("i.i.d. noise, replace spans") {
    // REFERENCE.md: "Thank you <X> me to your party <Y> week ." -> "<X> for
    // inviting <Y> last <Z>".
    t5::NoiseMask mask = {0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0};
    auto example = t5::replace_spans_with_sentinels(kThankYou, mask, ids, layout, "test");
    CHECK(example.inputs ==
          std::vector<int64_t>{101, 102, kX, 105, 106, 107, 108, kY, 110, 111, 1});
    CHECK(example.targets == std::vector<int64_t>{kX, 103, 104, kY, 109, kZ, 1});
  }
  SECTION("i.i.d. noise, drop tokens") {
    // REFERENCE.md: "Thank you me to your party week ." -> "for inviting
    // last".
    t5::NoiseMask mask = {0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0};
    auto example = t5::drop_noise_tokens(kThankYou, mask, ids);
    CHECK(example.inputs == std::vector<int64_t>{101, 102, 105, 106, 107, 108, 110, 111, 1});
    CHECK(example.targets == std::vector<int64_t>{103, 104, 109, 1});
  }
}

TEST_CASE("span corruption inputs and targets restore the original text", "[objectives]") {
  auto ids = t5::testing::t5_ids();
  for (auto [inputs, targets] : {std::pair<int64_t, int64_t>{0, 0}, {512, 0}, {114, 27}}) {
    t5::SpanCorruption objective({}, context(inputs, targets));
    int64_t longest = inputs == 0 ? 300 : objective.raw_length();
    for (int64_t length = 1; length <= longest; ++length) {
      for (uint64_t seed : {1u, 2u, 3u}) {
        auto text = random_text(length, seed * 1000 + length);
        t5::Rng rng(seed);
        auto example = objective.apply(text, rng);
        INFO("budget " << inputs << " length " << length << " seed " << seed);
        CHECK(t5::restore_from_sentinels(example.inputs, example.targets, ids) == text);
      }
    }
  }
}

TEST_CASE("span corruption sentinels run in order and the targets close with one more",
          "[objectives]") {
  t5::SpanCorruption objective({}, context(0, 0));
  for (int64_t length = 1; length <= 300; ++length) {
    t5::Rng rng(static_cast<uint64_t>(length));
    auto example = objective.apply(random_text(length, length), rng);
    auto in = sentinels_of(example.inputs);
    auto out = sentinels_of(example.targets);
    INFO("length " << length);
    // Inputs: <extra_id_0>, <extra_id_1>, ... ; targets: the same, then one
    // more; targets start with <extra_id_0> and end with the last, then EOS.
    for (size_t i = 0; i < in.size(); ++i) CHECK(in[i] == static_cast<int64_t>(i));
    REQUIRE(out.size() == in.size() + 1);
    for (size_t i = 0; i < out.size(); ++i) CHECK(out[i] == static_cast<int64_t>(i));
    CHECK(example.targets.front() == kX);
    REQUIRE(example.targets.size() >= 2);
    CHECK(example.targets[example.targets.size() - 2] == 32099 - static_cast<int64_t>(in.size()));
    CHECK(example.targets.back() == 1);
    CHECK(example.inputs.back() == 1);
  }
}

TEST_CASE("span corruption never exceeds its planned budgets", "[objectives]") {
  for (int64_t budget : {3, 4, 5, 8, 13, 32, 114, 200, 512}) {
    for (double density : {0.15, 0.5}) {
      for (double mean_span : {1.0, 3.0, 8.0}) {
        t5::SpanCorruptionOptions options;
        options.noise_density = density;
        options.mean_noise_span_length = mean_span;
        options.wrap_sentinels = true;
        t5::SpanCorruption objective(options, context(budget, 0));
        const auto& plan = objective.plan();
        INFO("budget " << budget << " density " << density << " span " << mean_span);
        CHECK(plan.inputs <= budget);
        // Every chunk length up to the raw length fits; the full chunk
        // fills the inputs exactly as planned.
        for (int64_t length = 1; length <= plan.raw; ++length) {
          t5::Rng rng(static_cast<uint64_t>(length + budget));
          auto example = objective.apply(random_text(length, length), rng);
          CHECK(static_cast<int64_t>(example.inputs.size()) <= plan.inputs);
          CHECK(static_cast<int64_t>(example.targets.size()) <= plan.targets);
          if (length == plan.raw) {
            CHECK(static_cast<int64_t>(example.inputs.size()) == plan.inputs);
            CHECK(static_cast<int64_t>(example.targets.size()) == plan.targets);
          }
        }
      }
    }
  }
}

TEST_CASE("span corruption in the Google-code layout fits 512 inputs and 114 targets exactly",
          "[objectives]") {
  t5::SpanCorruptionOptions options;
  options.final_sentinel = false;
  t5::SpanCorruption objective(options, context(512, 114));
  CHECK(objective.raw_length() == 568);
  t5::Rng rng(9);
  auto example = objective.apply(random_text(568, 4), rng);
  // REFERENCE.md's golden row: inputs 512, targets 114. The mask ends with
  // noise, so the targets end with a noise token, then EOS.
  CHECK(example.inputs.size() == 512);
  CHECK(example.targets.size() == 114);
  CHECK(!t5::testing::t5_ids().is_sentinel(example.targets[112]));
  CHECK(t5::testing::t5_ids().is_sentinel(example.inputs[510]));
}

TEST_CASE("span corruption refuses a targets budget below its plan", "[objectives]") {
  // The paper layout needs 114 + 1 targets at 512 inputs.
  CHECK_THROWS_WITH(t5::SpanCorruption({}, context(512, 114)),
                    Catch::Contains("test.objective") && Catch::Contains("targets of 115") &&
                        Catch::Contains("set the targets length to 115"));
  CHECK_NOTHROW(t5::SpanCorruption({}, context(512, 115)));
}

TEST_CASE("span corruption refuses plans with more spans than sentinels unless they wrap",
          "[objectives]") {
  // Density 0.5, mean span 3 at 512 inputs: 128 spans (see the planner
  // test), 129 sentinels with the closing one, against T5's 100.
  t5::SpanCorruptionOptions options;
  options.noise_density = 0.5;
  CHECK_THROWS_WITH(t5::SpanCorruption(options, context(512, 0)),
                    Catch::Contains("needs 129 sentinels but 100 are available") &&
                        Catch::Contains("wrap_sentinels"));
  options.wrap_sentinels = true;
  t5::SpanCorruption wrapped(options, context(512, 0));
  t5::Rng rng(1);
  auto text = random_text(wrapped.raw_length(), 8);
  auto example = wrapped.apply(text, rng);
  auto in = sentinels_of(example.inputs);
  REQUIRE(in.size() == 128);
  // Span 100 reuses <extra_id_0>; order still restores the text.
  CHECK(in[100] == 0);
  CHECK(t5::restore_from_sentinels(example.inputs, example.targets, t5::testing::t5_ids()) == text);
}

TEST_CASE("span corruption handles texts of 0, 1, 2 and 3 tokens", "[objectives]") {
  t5::SpanCorruption objective({}, context(512, 0));
  t5::Rng rng(4);
  // 0 tokens: nothing to corrupt; the targets are the closing sentinel.
  auto empty = objective.apply({}, rng);
  CHECK(empty.inputs == std::vector<int64_t>{1});
  CHECK(empty.targets == std::vector<int64_t>{kX, 1});
  // 1 token: the reference's mask for length 2 is [kept, noise], cut to 1.
  auto one = objective.apply({7}, rng);
  CHECK(one.inputs == std::vector<int64_t>{7, 1});
  CHECK(one.targets == std::vector<int64_t>{kX, 1});
  // 2 tokens: one kept, then one noise token (1 = clamp(round(0.3), 1, 1)).
  auto two = objective.apply({7, 8}, rng);
  CHECK(two.inputs == std::vector<int64_t>{7, kX, 1});
  CHECK(two.targets == std::vector<int64_t>{kX, 8, kY, 1});
  // 3 tokens: one noise token (round(0.45) = 0, clamped to 1) in one span
  // that ends the text, after 2 kept tokens.
  auto three = objective.apply({7, 8, 9}, rng);
  CHECK(three.inputs == std::vector<int64_t>{7, 8, kX, 1});
  CHECK(three.targets == std::vector<int64_t>{kX, 9, kY, 1});
}

TEST_CASE("span corruption is deterministic given the seed", "[objectives]") {
  t5::SpanCorruption objective({}, context(512, 0));
  auto text = random_text(568, 21);
  t5::Rng a(77), b(77), c(78);
  auto first = objective.apply(text, a);
  CHECK(objective.apply(text, b) == first);
  CHECK(!(objective.apply(text, c) == first));
}

TEST_CASE("span corruption refuses a chunk longer than its raw length", "[objectives]") {
  t5::SpanCorruption objective({}, context(114, 0));
  t5::Rng rng(1);
  CHECK_THROWS_WITH(objective.apply(random_text(127, 1), rng),
                    Catch::Contains("127 tokens") && Catch::Contains("at most 126"));
}

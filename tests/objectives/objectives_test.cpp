#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "t5/objectives/corruption.h"
#include "t5/objectives/language_modeling.h"
#include "t5/objectives/masking.h"
#include "t5/objectives/mixture.h"
#include "t5/objectives/registry.h"
#include "tests/objectives/fixtures.h"

namespace {

using t5::testing::random_text;
using t5::testing::with_eos;

t5::ObjectiveRegistry builtin_registry() {
  t5::ObjectiveRegistry registry;
  t5::register_builtin_objectives(registry);
  return registry;
}

std::unique_ptr<t5::Objective> make(const t5::Json& spec, int64_t inputs, int64_t targets) {
  static const t5::ObjectiveRegistry registry = builtin_registry();
  t5::ObjectiveContext context;
  context.lengths = {inputs, targets};
  context.where = "test.objective";
  return registry.create(spec, context);
}

// Every built-in objective that makes examples from its name alone (a
// mixture of denoisers needs its member list; it has its own tests).
std::vector<std::string> producing_objectives() {
  auto names = builtin_registry().names();
  for (const char* name : {"none", "mixture_of_denoisers"}) {
    names.erase(std::remove(names.begin(), names.end(), name), names.end());
  }
  return names;
}

bool ends_with_eos(const std::vector<int64_t>& feature) {
  return !feature.empty() && feature.back() == 1;
}

}  // namespace

TEST_CASE("every objective keeps its budgets, ends features with EOS and emits valid ids",
          "[objectives]") {
  const auto ids = t5::testing::t5_ids();
  for (const auto& name : producing_objectives()) {
    auto objective = make(name, 128, 128);
    auto limits = objective->output_lengths();
    INFO(name);
    REQUIRE(objective->raw_length() > 0);
    CHECK(limits.inputs <= 128);
    CHECK(limits.targets <= 128);
    for (int64_t length = 1; length <= 300; ++length) {
      auto text = random_text(std::min(length, objective->raw_length()), length);
      t5::Rng rng(static_cast<uint64_t>(length));
      const auto& leaf = objective->select(rng);
      auto example = leaf.apply(
          std::vector<int64_t>(text.begin(),
                               text.begin() + std::min<int64_t>(text.size(), leaf.raw_length())),
          rng);
      INFO("length " << length);
      CHECK(static_cast<int64_t>(example.inputs.size()) <= 128);
      CHECK(static_cast<int64_t>(example.targets.size()) <= 128);
      CHECK((example.inputs.empty() || ends_with_eos(example.inputs)));
      CHECK(ends_with_eos(example.targets));
      for (const auto* feature : {&example.inputs, &example.targets}) {
        for (int64_t id : *feature) {
          CHECK(id != ids.pad);
          CHECK((id >= 0 && id < ids.vocab_size + ids.extra_ids));
        }
      }
    }
  }
}

TEST_CASE("every objective handles texts of 1, 2 and 3 tokens with and without budgets",
          "[objectives]") {
  for (const auto& name : producing_objectives()) {
    for (int64_t budget : {0, 128}) {
      auto objective = make(name, budget, budget);
      for (int64_t length : {1, 2, 3}) {
        INFO(name << " budget " << budget << " length " << length);
        auto text = random_text(length, 5);
        t5::Rng rng(1);
        t5::EncodedExample example;
        REQUIRE_NOTHROW(example = objective->apply(text, rng));
        CHECK(ends_with_eos(example.targets));
        // Nothing is lost: every token of the text is in the example.
        for (int64_t token : text) {
          bool found = std::count(example.inputs.begin(), example.inputs.end(), token) +
                           std::count(example.targets.begin(), example.targets.end(), token) >
                       0;
          CHECK(found);
        }
      }
    }
  }
}

TEST_CASE("every objective is deterministic given the seed", "[objectives]") {
  for (const auto& name : producing_objectives()) {
    auto objective = make(name, 128, 128);
    auto text = random_text(std::min<int64_t>(objective->raw_length(), 120), 17);
    INFO(name);
    std::vector<t5::EncodedExample> runs[2];
    for (auto& run : runs) {
      t5::Rng rng(2024);
      for (int i = 0; i < 20; ++i) run.push_back(objective->apply(text, rng));
    }
    CHECK(runs[0] == runs[1]);
    // Another seed changes something, except for objectives that use no
    // randomness.
    t5::Rng other(2025);
    bool differs = false;
    for (int i = 0; i < 20; ++i) differs |= !(objective->apply(text, other) == runs[0][i]);
    CHECK((differs || name == "language_modeling"));
  }
}

TEST_CASE("i.i.d. replace spans restores the text and hits its noise share", "[objectives]") {
  const auto ids = t5::testing::t5_ids();
  for (double density : {0.0, 0.15, 0.5, 1.0}) {
    auto objective =
        make(t5::Json{{"name", "iid_replace_spans"}, {"noise_density", density}}, 0, 0);
    int64_t tokens = 0, noise = 0;
    for (uint64_t seed = 0; tokens < 100000; ++seed) {
      auto text = random_text(1 + seed % 300, seed);
      t5::Rng rng(seed);
      auto example = objective->apply(text, rng);
      REQUIRE(t5::restore_from_sentinels(example.inputs, example.targets, ids) == text);
      int64_t sentinels = 0;
      for (int64_t id : example.targets) sentinels += ids.is_sentinel(id);
      tokens += text.size();
      noise += example.targets.size() - sentinels - 1;
    }
    // Binomial: sd of the share is at most sqrt(0.25 / 1e5) = 0.0016; 5 sd.
    INFO("density " << density);
    CHECK(std::abs(static_cast<double>(noise) / tokens - density) < 0.008);
  }
}

TEST_CASE("i.i.d. drop tokens splits the text into two ordered parts", "[objectives]") {
  auto objective = make(t5::Json{{"name", "iid_drop_tokens"}, {"noise_density", 0.3}}, 0, 0);
  int64_t tokens = 0, dropped = 0;
  for (uint64_t seed = 0; tokens < 100000; ++seed) {
    auto text = random_text(1 + seed % 300, seed);
    t5::Rng rng(seed);
    auto example = objective->apply(text, rng);
    // Inputs and targets (without EOS) are subsequences of the text whose
    // sizes add up to it.
    REQUIRE(example.inputs.size() + example.targets.size() == text.size() + 2);
    auto is_subsequence = [&](const std::vector<int64_t>& part) {
      size_t j = 0;
      for (size_t i = 0; i + 1 < part.size(); ++i) {
        while (j < text.size() && text[j] != part[i]) ++j;
        if (j == text.size()) return false;
        ++j;
      }
      return true;
    };
    CHECK(is_subsequence(example.inputs));
    CHECK(is_subsequence(example.targets));
    tokens += text.size();
    dropped += example.targets.size() - 1;
  }
  // Binomial sd sqrt(0.21 / 1e5) = 0.0015; 5 sd.
  CHECK(std::abs(static_cast<double>(dropped) / tokens - 0.3) < 0.0075);
}

TEST_CASE("BERT-style masking splits corrupted tokens 80/10/10 and targets the original",
          "[objectives]") {
  auto objective = make("bert_style", 512, 512);
  const int64_t mask = 32099;  // <extra_id_0>, the paper's mask token
  int64_t tokens = 0, masked = 0, replaced = 0;
  for (uint64_t seed = 0; tokens < 200000; ++seed) {
    auto text = random_text(511, seed);
    t5::Rng rng(seed);
    auto example = objective->apply(text, rng);
    REQUIRE(example.targets == with_eos(text));
    REQUIRE(example.inputs.size() == text.size() + 1);
    for (size_t i = 0; i < text.size(); ++i) {
      masked += example.inputs[i] == mask;
      replaced += example.inputs[i] != mask && example.inputs[i] != text[i];
    }
    tokens += text.size();
  }
  // Expected shares: 0.15 x 0.8 = 0.12 masked; 0.15 x 0.1 = 0.015 random
  // (a random draw equal to the original, 1 in 31997, counts as kept).
  // Binomial sd over 2e5 tokens: 0.00073 and 0.00027; allow 5 sd.
  CHECK(std::abs(static_cast<double>(masked) / tokens - 0.12) < 0.0037);
  CHECK(std::abs(static_cast<double>(replaced) / tokens - 0.015) < 0.0014);
}

TEST_CASE("MASS-style masking masks span tokens one for one and targets the original",
          "[objectives]") {
  auto objective = make("mass_style", 0, 0);
  for (int64_t length = 1; length <= 300; ++length) {
    auto text = random_text(length, length);
    t5::Rng rng(static_cast<uint64_t>(length));
    auto example = objective->apply(text, rng);
    REQUIRE(example.targets == with_eos(text));
    REQUIRE(example.inputs.size() == text.size() + 1);
    int64_t masked = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if (example.inputs[i] == 32099) {
        ++masked;
      } else {
        CHECK(example.inputs[i] == text[i]);
      }
    }
    // The span-corruption mask's count (the 1-token text stays whole).
    int64_t expected = length == 1 ? 0 : t5::span_counts(length, 0.15, 3.0).noise;
    CHECK(masked == expected);
  }
}

TEST_CASE("deshuffling permutes the text and targets the original", "[objectives]") {
  auto objective = make("deshuffling", 0, 0);
  for (int64_t length = 1; length <= 300; ++length) {
    auto text = random_text(length, length);
    t5::Rng rng(static_cast<uint64_t>(length));
    auto example = objective->apply(text, rng);
    REQUIRE(example.targets == with_eos(text));
    auto sorted_inputs = example.inputs;
    auto sorted_text = with_eos(text);
    std::sort(sorted_inputs.begin(), sorted_inputs.end());
    std::sort(sorted_text.begin(), sorted_text.end());
    CHECK(sorted_inputs == sorted_text);
    CHECK(example.inputs.back() == 1);
  }
}

TEST_CASE("prefix LM splits the text at a uniform point between its first and last token",
          "[objectives]") {
  auto objective = make("prefix_lm", 0, 0);
  std::map<int64_t, int> splits;
  for (uint64_t seed = 0; seed < 9000; ++seed) {
    auto text = random_text(10, seed);
    t5::Rng rng(seed);
    auto example = objective->apply(text, rng);
    std::vector<int64_t> joined(example.inputs.begin(), example.inputs.end() - 1);
    joined.insert(joined.end(), example.targets.begin(), example.targets.end() - 1);
    REQUIRE(joined == text);
    ++splits[static_cast<int64_t>(example.inputs.size()) - 1];
  }
  // Density 0.5: the split is uniform over [1, 9], 1000 expected each,
  // binomial sd sqrt(9000 / 9 * 8 / 9) = 30; allow 5 sd.
  REQUIRE(splits.size() == 9);
  for (const auto& [split, count] : splits) {
    CHECK(split >= 1);
    CHECK(split <= 9);
    CHECK(std::abs(count - 1000) < 150);
  }
  // A 1-token text goes to the targets; the inputs are just EOS.
  t5::Rng rng(1);
  auto one = objective->apply({42}, rng);
  CHECK(one.inputs == std::vector<int64_t>{1});
  CHECK(one.targets == std::vector<int64_t>{42, 1});
}

TEST_CASE("language modeling has no inputs and targets the whole text", "[objectives]") {
  auto objective = make("language_modeling", 0, 64);
  CHECK(objective->raw_length() == 63);
  t5::Rng rng(1);
  auto text = random_text(63, 3);
  auto example = objective->apply(text, rng);
  CHECK(example.inputs.empty());
  CHECK(example.targets == with_eos(text));
}

TEST_CASE("none makes no examples and marks the run as skipping pretraining", "[objectives]") {
  auto objective = make("none", 512, 114);
  CHECK(objective->skips_pretraining());
  CHECK(objective->raw_length() == 0);
  t5::Rng rng(1);
  CHECK(objective->apply(random_text(10, 1), rng).empty());
  for (const auto& name : producing_objectives()) CHECK(!make(name, 0, 0)->skips_pretraining());
}

TEST_CASE("the UL2 mixture draws its seven denoisers evenly with their paradigm tokens",
          "[objectives]") {
  auto objective = make("ul2", 512, 0);
  auto* mixture = dynamic_cast<t5::MixtureOfDenoisers*>(objective.get());
  REQUIRE(mixture != nullptr);
  REQUIRE(mixture->size() == 7);
  const auto ids = t5::testing::t5_ids();
  // [NLU] = <extra_id_99> = 32000, [NLG] = <extra_id_98> = 32001,
  // [S2S] = <extra_id_97> = 32002 (the defaults, see Ul2Options).
  const std::vector<int64_t> expected_tokens = {32000, 32000, 32001, 32001, 32001, 32001, 32002};
  std::map<int64_t, int> first_tokens;
  for (uint64_t seed = 0; seed < 1400; ++seed) {
    t5::Rng rng(seed);
    const auto& member = objective->select(rng);
    auto text = random_text(member.raw_length(), seed);
    auto example = member.apply(text, rng);
    ++first_tokens[example.inputs.front()];
    REQUIRE(static_cast<int64_t>(example.inputs.size()) <= 512);
    if (example.inputs.front() == 32002) continue;
    // The span denoisers restore the text once the paradigm token is off.
    std::vector<int64_t> inputs(example.inputs.begin() + 1, example.inputs.end());
    CHECK(t5::restore_from_sentinels(inputs, example.targets, ids) == text);
    // Spans stay below the reserved paradigm sentinels (wrapping at 97).
    for (int64_t id : example.targets) {
      if (ids.is_sentinel(id)) CHECK(ids.sentinel_index(id) < 97);
    }
  }
  for (size_t i = 0; i < 7; ++i) {
    t5::Rng rng(1);
    auto example = mixture->member(i).apply(random_text(5, 1), rng);
    CHECK(example.inputs.front() == expected_tokens[i]);
  }
  // Equal rates: [NLU] 2/7, [NLG] 4/7, [S2S] 1/7 of 1400 draws = 400, 800,
  // 200; binomial sd at most 18.5; allow 5 sd.
  CHECK(std::abs(first_tokens[32000] - 400) < 93);
  CHECK(std::abs(first_tokens[32001] - 800) < 93);
  CHECK(std::abs(first_tokens[32002] - 200) < 93);
}

TEST_CASE("a mixture draws members by rate and fits the budget left by the paradigm token",
          "[objectives]") {
  t5::Json spec = {{"name", "mixture_of_denoisers"},
                   {"denoisers",
                    {{{"objective", "prefix_lm"}, {"rate", 3.0}, {"paradigm_token", 7}},
                     {{"objective", "deshuffling"}, {"rate", 1.0}}}}};
  auto objective = make(spec, 64, 64);
  auto* mixture = dynamic_cast<t5::MixtureOfDenoisers*>(objective.get());
  REQUIRE(mixture != nullptr);
  // prefix_lm's inputs budget is 63 after the token, so its raw length is
  // 62; deshuffling keeps 63.
  CHECK(mixture->member(0).raw_length() == 62);
  CHECK(mixture->member(1).raw_length() == 63);
  CHECK(objective->raw_length() == 63);
  int prefixed = 0;
  for (uint64_t seed = 0; seed < 4000; ++seed) {
    t5::Rng rng(seed);
    auto example = objective->apply(random_text(63, seed), rng);
    CHECK(example.inputs.size() <= 64);
    prefixed += example.inputs.front() == 7;
  }
  // Rate 3 of 4: 3000 expected, binomial sd 27; allow 5 sd.
  CHECK(std::abs(prefixed - 3000) < 137);
}

#include <catch2/catch.hpp>

#include "t5/model/t5_model.h"
#include "t5/objectives/registry.h"
#include "t5/train/feature_converter.h"
#include "tests/objectives/fixtures.h"
#include "tests/support/tiny_model.h"

namespace {

// A tiny model over 64 ids: 54 base pieces and 10 sentinels.
t5::SpecialIds tiny_ids() {
  t5::SpecialIds ids;
  ids.vocab_size = 54;
  ids.extra_ids = 10;
  return ids;
}

t5::T5Model tiny_model(t5::Architecture architecture) {
  return t5::testing::tiny_model(architecture, /*seed=*/13);
}

// Examples of `objective` on random texts of 3 to 20 tokens.
std::vector<t5::EncodedExample> examples_of(const std::string& objective, int count) {
  t5::ObjectiveRegistry registry;
  t5::register_builtin_objectives(registry);
  t5::ObjectiveContext context;
  context.ids = tiny_ids();
  auto made = registry.create(objective, context);
  std::vector<t5::EncodedExample> examples;
  t5::Rng rng(8);
  for (int i = 0; i < count; ++i) {
    auto text = t5::testing::random_text(3 + (i * 7) % 18, i, context.ids);
    examples.push_back(made->apply(text, rng));
  }
  return examples;
}

// Summed weighted loss of every example, in order: packed rows are split
// by segment, unpacked rows are one example each.
std::vector<double> example_losses(t5::T5Model& model, const t5::Batch& batch) {
  torch::NoGradGuard no_grad;
  auto outputs = model->forward(batch.to_model_inputs());
  auto weighted = (outputs.per_token_loss * batch.decoder_loss_weights).to(torch::kDouble);
  std::vector<double> losses;
  for (int64_t r = 0; r < weighted.size(0); ++r) {
    int64_t segments = batch.decoder_segment_ids[r].max().item<int64_t>();
    for (int64_t s = 1; s <= segments; ++s) {
      losses.push_back((weighted[r] * (batch.decoder_segment_ids[r] == s)).sum().item<double>());
    }
  }
  return losses;
}

}  // namespace

TEST_CASE("a packed batch gives each example the loss it has unpacked", "[train]") {
  struct Case {
    t5::Architecture architecture;
    t5::FeatureLayout layout;
    const char* objective;
  };
  for (const auto& c :
       {Case{t5::Architecture::kEncoderDecoder, t5::FeatureLayout::kEncoderDecoder,
             "span_corruption"},
        Case{t5::Architecture::kPrefixLm, t5::FeatureLayout::kPrefixLm, "prefix_lm"},
        Case{t5::Architecture::kDecoderOnly, t5::FeatureLayout::kDecoderOnly,
             "language_modeling"}}) {
    INFO(t5::feature_layout_name(c.layout));
    auto model = tiny_model(c.architecture);
    auto examples = examples_of(c.objective, 12);
    t5::BatchingOptions options;
    options.layout = c.layout;
    options.inputs_length = 48;
    options.targets_length = 48;
    options.pack = true;
    auto packed = t5::make_batch(examples, options);
    options.pack = false;
    auto unpacked = t5::make_batch(examples, options);
    REQUIRE(packed.stats.rows < unpacked.stats.rows);
    CHECK(packed.stats.efficiency() > unpacked.stats.efficiency());

    auto packed_losses = example_losses(model, packed);
    auto unpacked_losses = example_losses(model, unpacked);
    REQUIRE(packed_losses.size() == examples.size());
    REQUIRE(unpacked_losses.size() == examples.size());
    // float32 sums of up to 48 per-token losses of ~4 nats computed over
    // different key sets: relative differences stay near 1e-6; 1e-4 is a
    // margin that still catches any leak across segments (>> 1e-2).
    for (size_t i = 0; i < examples.size(); ++i) {
      INFO("example " << i);
      CHECK(packed_losses[i] == Approx(unpacked_losses[i]).epsilon(1e-4));
    }
  }
}

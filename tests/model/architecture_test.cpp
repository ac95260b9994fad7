#include <ATen/CPUGeneratorImpl.h>

#include <catch2/catch.hpp>

#include "t5/model/t5_model.h"
#include "tests/support/tiny_model.h"

namespace {

t5::ModelConfig tiny_config(t5::Architecture architecture) {
  return t5::testing::tiny_model_config(architecture);
}

torch::Tensor random_ids(int64_t batch, int64_t length, uint64_t seed) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  return torch::randint(2, 64, {batch, length}, generator);
}

}  // namespace

TEST_CASE("preset parameter counts equal Hugging Face's", "[model]") {
  // The expected counts are those transformers reports for the released
  // checkpoints (num_parameters() of T5ForConditionalGeneration).
  std::vector<std::pair<std::string, int64_t>> expected = {
      {"t5-small", 60506624},      {"t5-base", 222903552},      {"t5-large", 737668096},
      {"t5-v1_1-small", 76961152}, {"t5-v1_1-base", 247577856},
  };
  for (const auto& [preset, count] : expected) {
    INFO(preset);
    CHECK(t5::ModelConfig::preset(preset).parameter_count() == count);
  }
  // The built modules agree with the count for the two small presets (the
  // larger ones take gigabytes to build).
  for (const char* preset : {"t5-small", "t5-v1_1-small"}) {
    INFO(preset);
    t5::T5Model model(t5::ModelConfig::preset(preset));
    CHECK(model->parameter_count() == t5::ModelConfig::preset(preset).parameter_count());
  }
}

TEST_CASE("the config's parameter count equals the built model's for every architecture",
          "[model]") {
  for (auto architecture :
       {t5::Architecture::kEncoderDecoder, t5::Architecture::kEncoderDecoderShared,
        t5::Architecture::kDecoderOnly, t5::Architecture::kPrefixLm}) {
    for (bool tied : {true, false}) {
      for (const char* ff : {"relu", "gated-gelu"}) {
        auto config = tiny_config(architecture);
        config.tie_word_embeddings = tied;
        config.feed_forward_proj = ff;
        if (architecture != t5::Architecture::kEncoderDecoderShared) config.num_decoder_layers = 3;
        INFO(t5::architecture_name(architecture) << " tied " << tied << " " << ff);
        t5::T5Model model(config);
        CHECK(model->parameter_count() == config.parameter_count());
      }
    }
  }
}

TEST_CASE("the shared encoder-decoder has one stack's parameters plus cross-attention", "[model]") {
  auto separate = tiny_config(t5::Architecture::kEncoderDecoder);
  auto shared = tiny_config(t5::Architecture::kEncoderDecoderShared);
  t5::T5Model separate_model(separate);
  t5::T5Model shared_model(shared);

  // Hand count for d_model 16, d_ff 32, 2 heads x 4, 2 + 2 blocks: the
  // shared model drops the decoder's self-attention (4 * 16 * 8), its norm
  // (16) and the feed-forward (2 * 16 * 32) and its norm (16) per block,
  // the decoder's position bias (32 * 2) and final norm (16).
  int64_t per_block = 4 * 16 * 8 + 16 + 2 * 16 * 32 + 16;
  int64_t dropped = 2 * per_block + 32 * 2 + 16;
  CHECK(shared_model->parameter_count() == separate_model->parameter_count() - dropped);

  // The decoder's names exist and point at the encoder's tensors.
  bool found = false;
  for (const auto& [alias, canonical] : shared_model->parameter_aliases()) {
    if (alias == "decoder.block.1.layer.2.DenseReluDense.wi.weight") {
      CHECK(canonical == "encoder.block.1.layer.1.DenseReluDense.wi.weight");
      found = true;
    }
  }
  CHECK(found);
}

TEST_CASE("the decoder-only language model is causal", "[model]") {
  t5::T5Model model(tiny_config(t5::Architecture::kDecoderOnly));
  model->reset_parameters(7);
  model->eval();
  auto ids = random_ids(2, 9, 1);
  auto changed = ids.clone();
  changed.index_put_({torch::indexing::Slice(), torch::indexing::Slice(5, 9)}, 3);

  t5::ModelInputs a, b;
  a.decoder_input_ids = ids;
  b.decoder_input_ids = changed;
  torch::NoGradGuard no_grad;
  auto logits_a = model->forward(a).logits;
  auto logits_b = model->forward(b).logits;
  using torch::indexing::Slice;
  // Positions before the change see the same tokens: identical logits.
  CHECK(
      torch::equal(logits_a.index({Slice(), Slice(0, 5)}), logits_b.index({Slice(), Slice(0, 5)})));
  // Later positions see the change.
  CHECK(!torch::allclose(logits_a.index({Slice(), Slice(5, 9)}),
                         logits_b.index({Slice(), Slice(5, 9)})));
}

TEST_CASE("the prefix LM sees its whole prefix and is causal after it", "[model]") {
  t5::T5Model model(tiny_config(t5::Architecture::kPrefixLm));
  model->reset_parameters(11);
  model->eval();
  // REFERENCE.md's prefix-LM layout: inputs [9,4,6,1], targets [3,9,1],
  // fully visible over the first 5 positions.
  auto targets = torch::tensor({{9, 4, 6, 1, 3, 9, 1, 0, 0, 0}});
  auto causal = torch::tensor({{1, 1, 1, 1, 1, 0, 0, 0, 0, 0}});
  auto decoder_inputs = t5::shift_right(targets, 0, 0);

  auto run = [&](const torch::Tensor& inputs) {
    t5::ModelInputs batch;
    batch.decoder_input_ids = inputs;
    batch.decoder_causal_attention = causal;
    torch::NoGradGuard no_grad;
    return model->forward(batch).logits;
  };
  auto base = run(decoder_inputs);
  using torch::indexing::Slice;

  // Changing a prefix token (position 3) changes the logits at position 0:
  // the prefix is fully visible.
  auto in_prefix = decoder_inputs.clone();
  in_prefix[0][3] = 17;
  CHECK(!torch::allclose(base.index({0, 0}), run(in_prefix).index({0, 0})));

  // Changing a token after the prefix (position 6) leaves positions 0..5
  // unchanged: causal after the prefix.
  auto after = decoder_inputs.clone();
  after[0][6] = 17;
  auto changed = run(after);
  CHECK(torch::equal(base.index({0, Slice(0, 6)}), changed.index({0, Slice(0, 6)})));
  CHECK(!torch::allclose(base.index({0, 6}), changed.index({0, 6})));
}

TEST_CASE("packed rows give each example the logits it has alone", "[model]") {
  t5::T5Model model(tiny_config(t5::Architecture::kEncoderDecoder));
  model->reset_parameters(3);
  model->eval();
  torch::NoGradGuard no_grad;

  // REFERENCE.md's packing vectors: two examples in one row.
  t5::ModelInputs packed;
  packed.input_ids = torch::tensor({{7, 8, 5, 1, 8, 4, 9, 3, 1, 0}});
  packed.encoder_segment_ids = torch::tensor({{1, 1, 1, 1, 2, 2, 2, 2, 2, 0}});
  packed.encoder_positions = torch::tensor({{0, 1, 2, 3, 0, 1, 2, 3, 4, 0}});
  packed.attention_mask = packed.encoder_segment_ids != 0;
  packed.decoder_input_ids = torch::tensor({{0, 3, 9, 0, 4, 0, 0}});
  packed.labels = torch::tensor({{3, 9, 1, 4, 1, -100, -100}});
  packed.decoder_segment_ids = torch::tensor({{1, 1, 1, 2, 2, 0, 0}});
  packed.decoder_positions = torch::tensor({{0, 1, 2, 0, 1, 0, 0}});
  auto packed_out = model->forward(packed);

  auto alone = [&](std::vector<int64_t> inputs, std::vector<int64_t> labels) {
    t5::ModelInputs batch;
    batch.input_ids = torch::tensor(inputs).unsqueeze(0);
    batch.labels = torch::tensor(labels).unsqueeze(0);
    return model->forward(batch);
  };
  auto first = alone({7, 8, 5, 1}, {3, 9, 1});
  auto second = alone({8, 4, 9, 3, 1}, {4, 1});
  using torch::indexing::Slice;
  constexpr double kTolerance = 1e-5;  // float32, same operations on fewer keys
  CHECK(torch::allclose(packed_out.logits.index({0, Slice(0, 3)}), first.logits[0], kTolerance,
                        kTolerance));
  CHECK(torch::allclose(packed_out.logits.index({0, Slice(3, 5)}), second.logits[0], kTolerance,
                        kTolerance));
  CHECK(torch::allclose(packed_out.per_token_loss.index({0, Slice(0, 3)}), first.per_token_loss[0],
                        kTolerance, kTolerance));
  CHECK(torch::allclose(packed_out.per_token_loss.index({0, Slice(3, 5)}), second.per_token_loss[0],
                        kTolerance, kTolerance));
}

TEST_CASE("the loss ignores padded targets", "[model]") {
  t5::T5Model model(tiny_config(t5::Architecture::kEncoderDecoder));
  model->reset_parameters(5);
  model->eval();
  torch::NoGradGuard no_grad;
  t5::ModelInputs batch;
  batch.input_ids = random_ids(1, 6, 2);
  batch.labels = torch::tensor({{5, 6, 7, 1, -100, -100}});
  auto padded = model->forward(batch);
  batch.labels = torch::tensor({{5, 6, 7, 1}});
  auto exact = model->forward(batch);
  // The mean over 4 real targets, whatever follows them.
  CHECK(padded.loss.item<double>() == Approx(exact.loss.item<double>()).epsilon(1e-6));
  CHECK(padded.per_token_loss[0][4].item<double>() == 0.0);
  CHECK(padded.loss_denominator.item<double>() == 4.0);
}

TEST_CASE("reset_parameters is deterministic given the seed", "[model]") {
  t5::T5Model a(tiny_config(t5::Architecture::kEncoderDecoder));
  t5::T5Model b(tiny_config(t5::Architecture::kEncoderDecoder));
  a->reset_parameters(42);
  b->reset_parameters(42);
  auto pa = a->unique_named_parameters();
  auto pb = b->unique_named_parameters();
  for (size_t i = 0; i < pa.size(); ++i) CHECK(torch::equal(pa[i].second, pb[i].second));
  b->reset_parameters(43);
  CHECK(!torch::equal(a->shared->weight, b->shared->weight));
  // Reference init: shared ~ N(0, 1); q ~ N(0, (d_model * d_kv)^-0.5) = 1/8.
  CHECK(a->shared->weight.std().item<double>() == Approx(1.0).epsilon(0.1));
}

TEST_CASE("an all-padding row gives finite outputs in float32 and bfloat16", "[model]") {
  for (auto dtype : {torch::kFloat32, torch::kBFloat16}) {
    t5::T5Model model(tiny_config(t5::Architecture::kEncoderDecoder));
    model->reset_parameters(8);
    model->to(dtype);
    model->eval();
    t5::ModelInputs batch;
    batch.input_ids = torch::tensor({{5, 6, 1, 0}, {0, 0, 0, 0}});
    batch.attention_mask = batch.input_ids != 0;
    batch.labels = torch::tensor({{4, 1}, {-100, -100}});
    torch::NoGradGuard no_grad;
    auto outputs = model->forward(batch);
    INFO(c10::toString(dtype));
    CHECK(torch::isfinite(outputs.logits).all().item<bool>());
    CHECK(std::isfinite(outputs.loss.item<double>()));
  }
}

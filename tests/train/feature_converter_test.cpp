#include "t5/train/feature_converter.h"

#include <catch2/catch.hpp>

namespace {

std::vector<int64_t> row(const torch::Tensor& tensor, int64_t index = 0) {
  auto values = tensor[index].to(torch::kLong).contiguous();
  return std::vector<int64_t>(values.data_ptr<int64_t>(),
                              values.data_ptr<int64_t>() + values.numel());
}

std::vector<double> float_row(const torch::Tensor& tensor, int64_t index = 0) {
  auto values = tensor[index].to(torch::kDouble).contiguous();
  return std::vector<double>(values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
}

// REFERENCE.md, Batching: the two examples of the packing vectors.
const std::vector<t5::EncodedExample> kPackingExamples = {
    {{7, 8, 5, 1}, {3, 9, 1}},
    {{8, 4, 9, 3, 1}, {4, 1}},
};

t5::BatchingOptions options_for(t5::FeatureLayout layout, int64_t inputs, int64_t targets,
                                bool pack) {
  t5::BatchingOptions options;
  options.layout = layout;
  options.inputs_length = inputs;
  options.targets_length = targets;
  options.pack = pack;
  return options;
}

}  // namespace

TEST_CASE("packing reproduces REFERENCE.md's encoder-decoder vectors", "[train]") {
  auto options = options_for(t5::FeatureLayout::kEncoderDecoder, 10, 7, /*pack=*/true);
  auto batch = t5::make_batch(kPackingExamples, options);
  // Every expected vector is REFERENCE.md's, Batching section.
  REQUIRE(batch.encoder_input_tokens.sizes() == torch::IntArrayRef{1, 10});
  CHECK(row(batch.encoder_input_tokens) == std::vector<int64_t>{7, 8, 5, 1, 8, 4, 9, 3, 1, 0});
  CHECK(row(batch.encoder_segment_ids) == std::vector<int64_t>{1, 1, 1, 1, 2, 2, 2, 2, 2, 0});
  CHECK(row(batch.encoder_positions) == std::vector<int64_t>{0, 1, 2, 3, 0, 1, 2, 3, 4, 0});
  CHECK(row(batch.decoder_target_tokens) == std::vector<int64_t>{3, 9, 1, 4, 1, 0, 0});
  CHECK(row(batch.decoder_input_tokens) == std::vector<int64_t>{0, 3, 9, 0, 4, 0, 0});
  CHECK(float_row(batch.decoder_loss_weights) == std::vector<double>{1, 1, 1, 1, 1, 0, 0});
  CHECK(row(batch.decoder_segment_ids) == std::vector<int64_t>{1, 1, 1, 2, 2, 0, 0});
  CHECK(row(batch.decoder_positions) == std::vector<int64_t>{0, 1, 2, 0, 1, 0, 0});
  CHECK(!batch.decoder_causal_attention.defined());
  CHECK(batch.packed);
}

TEST_CASE("the prefix-LM layout reproduces REFERENCE.md's vectors", "[train]") {
  auto options = options_for(t5::FeatureLayout::kPrefixLm, 0, 10, /*pack=*/false);
  auto batch = t5::make_batch({{{9, 4, 6, 1}, {3, 9, 1}}}, options);
  // REFERENCE.md, Batching: prefix LM, unpacked, length 10.
  CHECK(row(batch.decoder_target_tokens) == std::vector<int64_t>{9, 4, 6, 1, 3, 9, 1, 0, 0, 0});
  CHECK(float_row(batch.decoder_loss_weights) == std::vector<double>{0, 0, 0, 0, 1, 1, 1, 0, 0, 0});
  // Fully visible over the first 5 positions: the prefix and one more.
  CHECK(row(batch.decoder_causal_attention) == std::vector<int64_t>{1, 1, 1, 1, 1, 0, 0, 0, 0, 0});
  // Decoder inputs: the sequence shifted right from the start id 0.
  CHECK(row(batch.decoder_input_tokens) == std::vector<int64_t>{0, 9, 4, 6, 1, 3, 9, 0, 0, 0});
  CHECK(!batch.encoder_input_tokens.defined());
}

TEST_CASE("prefix-LM packing makes each example's prefix fully visible", "[train]") {
  auto options = options_for(t5::FeatureLayout::kPrefixLm, 0, 16, /*pack=*/true);
  auto batch = t5::make_batch(kPackingExamples, options);
  // Hand layout: [7 8 5 1 | 3 9 1] then [8 4 9 3 1 | 4 1], 2 pads; each
  // example's inputs and one more position see each other.
  CHECK(row(batch.decoder_target_tokens) ==
        std::vector<int64_t>{7, 8, 5, 1, 3, 9, 1, 8, 4, 9, 3, 1, 4, 1, 0, 0});
  CHECK(row(batch.decoder_input_tokens) ==
        std::vector<int64_t>{0, 7, 8, 5, 1, 3, 9, 0, 8, 4, 9, 3, 1, 4, 0, 0});
  CHECK(row(batch.decoder_causal_attention) ==
        std::vector<int64_t>{1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0});
  CHECK(float_row(batch.decoder_loss_weights) ==
        std::vector<double>{0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0});
  CHECK(row(batch.decoder_segment_ids) ==
        std::vector<int64_t>{1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 0, 0});
  CHECK(row(batch.decoder_positions) ==
        std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 0});
}

TEST_CASE("the decoder-only layout puts the loss on the targets without a visible prefix",
          "[train]") {
  auto options = options_for(t5::FeatureLayout::kDecoderOnly, 0, 8, /*pack=*/false);
  auto batch = t5::make_batch({{{9, 4, 1}, {3, 1}}, {{}, {5, 6, 7, 1}}}, options);
  CHECK(row(batch.decoder_target_tokens, 0) == std::vector<int64_t>{9, 4, 1, 3, 1, 0, 0, 0});
  CHECK(float_row(batch.decoder_loss_weights, 0) == std::vector<double>{0, 0, 0, 1, 1, 0, 0, 0});
  // Plain language modeling: no inputs, every target in the loss.
  CHECK(row(batch.decoder_target_tokens, 1) == std::vector<int64_t>{5, 6, 7, 1, 0, 0, 0, 0});
  CHECK(float_row(batch.decoder_loss_weights, 1) == std::vector<double>{1, 1, 1, 1, 0, 0, 0, 0});
  CHECK(!batch.decoder_causal_attention.defined());
}

TEST_CASE("padding to the longest row shrinks each side to the batch", "[train]") {
  auto options = options_for(t5::FeatureLayout::kEncoderDecoder, 512, 114, /*pack=*/false);
  options.pad_to = t5::PadTo::kLongest;
  auto batch = t5::make_batch(kPackingExamples, options);
  CHECK(batch.encoder_input_tokens.sizes() == torch::IntArrayRef{2, 5});
  CHECK(batch.decoder_target_tokens.sizes() == torch::IntArrayRef{2, 3});
  CHECK(row(batch.encoder_input_tokens, 0) == std::vector<int64_t>{7, 8, 5, 1, 0});
  CHECK(row(batch.decoder_input_tokens, 1) == std::vector<int64_t>{0, 4, 0});
  // Unpacked rows: one segment each.
  CHECK(row(batch.encoder_segment_ids, 1) == std::vector<int64_t>{1, 1, 1, 1, 1});
}

TEST_CASE("packing efficiency is the share of non-padding tokens", "[train]") {
  auto options = options_for(t5::FeatureLayout::kEncoderDecoder, 10, 7, /*pack=*/true);
  auto batch = t5::make_batch(kPackingExamples, options);
  // REFERENCE.md's row: 9 of 10 encoder and 5 of 7 decoder slots hold
  // tokens, 14 of 17 in all.
  CHECK(batch.stats.input_efficiency() == Approx(0.9));
  CHECK(batch.stats.target_efficiency() == Approx(5.0 / 7.0));
  CHECK(batch.stats.efficiency() == Approx(14.0 / 17.0));
  // Unpacked, the same examples fill 9 of 20 and 5 of 14.
  options.pack = false;
  auto unpacked = t5::make_batch(kPackingExamples, options);
  CHECK(unpacked.stats.efficiency() == Approx(14.0 / 34.0));
}

TEST_CASE("examples longer than their row are truncated and counted, or refused", "[train]") {
  auto options = options_for(t5::FeatureLayout::kEncoderDecoder, 3, 2, /*pack=*/false);
  auto batch = t5::make_batch(kPackingExamples, options);
  CHECK(batch.stats.truncated == 2);
  CHECK(row(batch.encoder_input_tokens, 1) == std::vector<int64_t>{8, 4, 9});
  CHECK(row(batch.decoder_target_tokens, 0) == std::vector<int64_t>{3, 9});
  options.overflow = t5::Overflow::kError;
  CHECK_THROWS_WITH(t5::make_batch(kPackingExamples, options),
                    Catch::Contains("example 0 has 4 inputs tokens but rows hold 3") &&
                        Catch::Contains("raise inputs_length"));
}

TEST_CASE("next-fit packing starts a new row when an example does not fit", "[train]") {
  auto options = options_for(t5::FeatureLayout::kEncoderDecoder, 10, 7, /*pack=*/true);
  std::vector<t5::EncodedExample> examples = kPackingExamples;
  // Row 0 holds 9 of 10 inputs: 2 more do not fit, so a second row opens,
  // and the next example fits beside them there.
  examples.push_back({{5, 1}, {6, 1}});
  examples.push_back({{5, 5, 5, 1}, {6, 1}});
  CHECK(t5::pack_rows(examples, options) == std::vector<int64_t>{0, 0, 1, 1});
  auto batch = t5::make_batch(examples, options);
  CHECK(batch.stats.rows == 2);
  CHECK(row(batch.encoder_segment_ids, 1) == std::vector<int64_t>{1, 1, 2, 2, 2, 2, 0, 0, 0, 0});
}

TEST_CASE("batching options read from JSON and refuse unknown keys and values", "[train]") {
  auto options = t5::BatchingOptions::from_json(
      t5::Json{{"layout", "prefix_lm"}, {"targets_length", 1024}, {"pack", true}}, "batching");
  CHECK(options.layout == t5::FeatureLayout::kPrefixLm);
  CHECK(options.targets_length == 1024);
  CHECK(t5::BatchingOptions::from_json(options.to_json(), "again").to_json() == options.to_json());
  CHECK_THROWS_WITH(t5::BatchingOptions::from_json(t5::Json{{"packing", true}}, "batching"),
                    Catch::Contains("unknown key 'packing'") && Catch::Contains("'pack'"));
  CHECK_THROWS_WITH(t5::BatchingOptions::from_json(t5::Json{{"layout", "decoder"}}, "batching"),
                    Catch::Contains("unknown feature layout 'decoder'"));
  CHECK_THROWS_WITH(t5::BatchingOptions::from_json(
                        t5::Json{{"pack", true}, {"bucket_boundaries", {64, 128}}}, "batching"),
                    Catch::Contains("bucket_boundaries apply to unpacked batches"));
  CHECK(t5::feature_layout_for(t5::Architecture::kEncoderDecoderShared) ==
        t5::FeatureLayout::kEncoderDecoder);
}

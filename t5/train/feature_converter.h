#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "t5/model/config.h"
#include "t5/objectives/encoded_example.h"
#include "t5/train/batch.h"
#include "t5/util/json.h"

namespace t5 {

// How examples become model features (the paper's architectures, section
// 3.2).
enum class FeatureLayout {
  // Inputs to the encoder, targets to the decoder.
  kEncoderDecoder,
  // One causal sequence, inputs then targets; the loss on the targets.
  kDecoderOnly,
  // As kDecoderOnly, with the inputs (and one more position) fully visible.
  kPrefixLm,
};

std::string feature_layout_name(FeatureLayout layout);
// "encoder_decoder", "decoder_only" or "prefix_lm"; throws t5::Error naming
// `where` and the accepted names otherwise.
FeatureLayout parse_feature_layout(const std::string& name, const std::string& where);
// The layout an architecture trains on (the shared encoder-decoder too
// takes kEncoderDecoder).
FeatureLayout feature_layout_for(Architecture architecture);

enum class PadTo {
  // Every row to the configured lengths (static shapes).
  kFixed,
  // Every row to the batch's longest row, per side.
  kLongest,
};

enum class Overflow {
  // Cut a feature to the length (the reference trims), counted in
  // BatchStats::truncated.
  kTruncate,
  // Throw t5::Error naming the example and its length.
  kError,
};

struct BatchingOptions {
  /// Which model features to make.
  FeatureLayout layout = FeatureLayout::kEncoderDecoder;
  /// Encoder tokens per row (encoder-decoder only).
  int64_t inputs_length = 512;
  /// Decoder tokens per row; for the decoder-only layouts the whole text,
  /// inputs and targets together.
  int64_t targets_length = 114;
  /// Rows per batch from the Batcher.
  int64_t batch_size = 128;
  /// Put several examples in a row (next-fit in arrival order, as the
  /// reference packs) with segment ids and positions.
  bool pack = false;
  /// Padding of the rows.
  PadTo pad_to = PadTo::kFixed;
  /// What to do with an example longer than its row.
  Overflow overflow = Overflow::kTruncate;
  /// Length bucketing (unpacked only): an example goes to the first bucket
  /// whose boundary is at least its length (encoder-decoder: the longer of
  /// inputs and targets; otherwise their sum), or to a last, open-ended
  /// bucket; each bucket makes its own batches. Empty: no bucketing.
  std::vector<int64_t> bucket_boundaries;
  /// Padding token id (T5: 0).
  int64_t pad_id = 0;
  /// First decoder input of every example (T5: 0, the pad id).
  int64_t decoder_start_id = 0;

  // Reads {"layout": "encoder_decoder", "inputs_length": 512, ...}; unknown
  // keys and bad values throw t5::Error naming the key.
  static BatchingOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
  void validate(const std::string& where) const;
};

// Converts `examples` into one batch: a row per example, or when
// options.pack, as few rows as next-fit packing in order gives. Decoder
// inputs are shifted within each example. Throws t5::Error (see Overflow)
// on examples that do not fit, and on an empty list.
Batch make_batch(const std::vector<EncodedExample>& examples, const BatchingOptions& options);

// The tokens an example takes in a row after truncation, per side:
// {encoder, decoder} (decoder-only layouts: {0, inputs + targets}).
struct RowFootprint {
  int64_t encoder = 0;
  int64_t decoder = 0;
  bool truncated = false;
};
RowFootprint row_footprint(const EncodedExample& example, const BatchingOptions& options);

// Next-fit packing: the index of the row each example goes to.
std::vector<int64_t> pack_rows(const std::vector<EncodedExample>& examples,
                               const BatchingOptions& options);

}  // namespace t5

#include "t5/train/feature_converter.h"

#include <algorithm>

#include "t5/util/names.h"

namespace t5 {

namespace {

const std::vector<std::pair<FeatureLayout, std::string>>& layout_names() {
  static const std::vector<std::pair<FeatureLayout, std::string>> names = {
      {FeatureLayout::kEncoderDecoder, "encoder_decoder"},
      {FeatureLayout::kDecoderOnly, "decoder_only"},
      {FeatureLayout::kPrefixLm, "prefix_lm"},
  };
  return names;
}

// One row under construction: the features of its examples, back to back.
struct Row {
  std::vector<int64_t> encoder_tokens;
  std::vector<int64_t> encoder_segments;
  std::vector<int64_t> encoder_positions;
  std::vector<int64_t> decoder_targets;
  std::vector<int64_t> decoder_inputs;
  std::vector<int64_t> decoder_segments;
  std::vector<int64_t> decoder_positions;
  std::vector<int64_t> causal;
  std::vector<float> weights;
  int64_t segments = 0;
};

bool is_decoder_only(const BatchingOptions& options) {
  return options.layout != FeatureLayout::kEncoderDecoder;
}

// Appends the decoder side of one example: `sequence[0, length)`, of which
// the first `unweighted` tokens carry no loss (the inputs part).
void append_decoder(Row& row, const std::vector<int64_t>& sequence, int64_t length,
                    int64_t unweighted, const BatchingOptions& options) {
  const bool prefix = options.layout == FeatureLayout::kPrefixLm;
  for (int64_t i = 0; i < length; ++i) {
    row.decoder_targets.push_back(sequence[i]);
    // Shifted right within the example: each starts from the start id.
    row.decoder_inputs.push_back(i == 0 ? options.decoder_start_id : sequence[i - 1]);
    row.decoder_segments.push_back(row.segments);
    row.decoder_positions.push_back(i);
    row.weights.push_back(i >= unweighted ? 1.0f : 0.0f);
    // The prefix and one more position see each other fully.
    if (prefix) row.causal.push_back(i <= unweighted ? 1 : 0);
  }
}

void append_example(Row& row, const EncodedExample& example, const RowFootprint& footprint,
                    const BatchingOptions& options) {
  ++row.segments;
  if (!is_decoder_only(options)) {
    for (int64_t i = 0; i < footprint.encoder; ++i) {
      row.encoder_tokens.push_back(example.inputs[i]);
      row.encoder_segments.push_back(row.segments);
      row.encoder_positions.push_back(i);
    }
    append_decoder(row, example.targets, footprint.decoder, 0, options);
    return;
  }
  std::vector<int64_t> sequence = example.inputs;
  sequence.insert(sequence.end(), example.targets.begin(), example.targets.end());
  int64_t inputs = std::min<int64_t>(example.inputs.size(), footprint.decoder);
  append_decoder(row, sequence, footprint.decoder, inputs, options);
}

RowFootprint footprint_of(const EncodedExample& example, const BatchingOptions& options,
                          const std::string& which) {
  RowFootprint footprint;
  auto inputs = static_cast<int64_t>(example.inputs.size());
  auto targets = static_cast<int64_t>(example.targets.size());
  auto fit = [&](int64_t length, int64_t limit, const char* feature, const char* key) {
    if (length <= limit) return length;
    T5_CHECK(options.overflow == Overflow::kTruncate,
             "batching: {} has {} {} tokens but rows hold {} ({}); raise {} or set overflow to "
             "\"truncate\"",
             which, length, feature, limit, key, key);
    footprint.truncated = true;
    return limit;
  };
  if (is_decoder_only(options)) {
    footprint.decoder =
        fit(inputs + targets, options.targets_length, "inputs + targets", "targets_length");
  } else {
    footprint.encoder = fit(inputs, options.inputs_length, "inputs", "inputs_length");
    footprint.decoder = fit(targets, options.targets_length, "targets", "targets_length");
  }
  return footprint;
}

torch::Tensor rows_to_tensor(const std::vector<Row>& rows, std::vector<int64_t> Row::*field,
                             int64_t width, int64_t fill) {
  auto tensor = torch::full({static_cast<int64_t>(rows.size()), width}, fill, torch::kLong);
  auto* data = tensor.data_ptr<int64_t>();
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& values = rows[r].*field;
    std::copy(values.begin(), values.end(), data + r * width);
  }
  return tensor;
}

torch::Tensor weights_to_tensor(const std::vector<Row>& rows, int64_t width) {
  auto tensor = torch::zeros({static_cast<int64_t>(rows.size()), width}, torch::kFloat);
  auto* data = tensor.data_ptr<float>();
  for (size_t r = 0; r < rows.size(); ++r) {
    std::copy(rows[r].weights.begin(), rows[r].weights.end(), data + r * width);
  }
  return tensor;
}

// Row width: the configured length, or the longest row (at least 1).
int64_t width_of(const std::vector<Row>& rows, std::vector<int64_t> Row::*field, int64_t length,
                 PadTo pad_to) {
  if (pad_to == PadTo::kFixed) return length;
  int64_t longest = 1;
  for (const auto& row : rows) longest = std::max<int64_t>(longest, (row.*field).size());
  return longest;
}

}  // namespace

std::string feature_layout_name(FeatureLayout layout) {
  for (const auto& [value, name] : layout_names()) {
    if (value == layout) return name;
  }
  return "unknown";
}

FeatureLayout parse_feature_layout(const std::string& name, const std::string& where) {
  std::vector<std::string> known;
  for (const auto& [value, known_name] : layout_names()) {
    if (known_name == name) return value;
    known.push_back(known_name);
  }
  fail("{}: unknown feature layout '{}'{}; expected encoder_decoder, decoder_only or prefix_lm",
       where, name, did_you_mean(name, known));
}

FeatureLayout feature_layout_for(Architecture architecture) {
  switch (architecture) {
    case Architecture::kDecoderOnly:
      return FeatureLayout::kDecoderOnly;
    case Architecture::kPrefixLm:
      return FeatureLayout::kPrefixLm;
    case Architecture::kEncoderDecoder:
    case Architecture::kEncoderDecoderShared:
      break;
  }
  return FeatureLayout::kEncoderDecoder;
}

RowFootprint row_footprint(const EncodedExample& example, const BatchingOptions& options) {
  return footprint_of(example, options, "an example");
}

std::vector<int64_t> pack_rows(const std::vector<EncodedExample>& examples,
                               const BatchingOptions& options) {
  std::vector<int64_t> row_of(examples.size());
  int64_t row = 0;
  RowFootprint used;
  bool empty = true;
  for (size_t i = 0; i < examples.size(); ++i) {
    auto footprint = footprint_of(examples[i], options, fmt::format("example {}", i));
    bool fits = used.encoder + footprint.encoder <= options.inputs_length &&
                used.decoder + footprint.decoder <= options.targets_length;
    if (!empty && !fits) {
      ++row;
      used = RowFootprint{};
    }
    used.encoder += footprint.encoder;
    used.decoder += footprint.decoder;
    empty = false;
    row_of[i] = row;
  }
  return row_of;
}

Batch make_batch(const std::vector<EncodedExample>& examples, const BatchingOptions& options) {
  options.validate("batching");
  T5_CHECK(!examples.empty(), "batching: make_batch got no examples");

  // Place the examples in rows.
  std::vector<int64_t> row_of(examples.size());
  if (options.pack) {
    row_of = pack_rows(examples, options);
  } else {
    for (size_t i = 0; i < examples.size(); ++i) row_of[i] = static_cast<int64_t>(i);
  }
  std::vector<Row> rows(row_of.back() + 1);
  Batch batch;
  batch.packed = options.pack;
  batch.stats.examples = static_cast<int64_t>(examples.size());
  batch.stats.rows = static_cast<int64_t>(rows.size());
  for (size_t i = 0; i < examples.size(); ++i) {
    auto footprint = footprint_of(examples[i], options, fmt::format("example {}", i));
    batch.stats.truncated += footprint.truncated ? 1 : 0;
    append_example(rows[row_of[i]], examples[i], footprint, options);
  }

  // Pad into tensors.
  int64_t decoder_width =
      width_of(rows, &Row::decoder_targets, options.targets_length, options.pad_to);
  batch.decoder_target_tokens =
      rows_to_tensor(rows, &Row::decoder_targets, decoder_width, options.pad_id);
  batch.decoder_input_tokens =
      rows_to_tensor(rows, &Row::decoder_inputs, decoder_width, options.pad_id);
  batch.decoder_segment_ids = rows_to_tensor(rows, &Row::decoder_segments, decoder_width, 0);
  batch.decoder_positions = rows_to_tensor(rows, &Row::decoder_positions, decoder_width, 0);
  batch.decoder_loss_weights = weights_to_tensor(rows, decoder_width);
  if (options.layout == FeatureLayout::kPrefixLm) {
    batch.decoder_causal_attention = rows_to_tensor(rows, &Row::causal, decoder_width, 0);
  }
  batch.stats.target_slots = batch.stats.rows * decoder_width;
  for (const auto& row : rows) batch.stats.target_tokens += row.decoder_targets.size();
  if (!is_decoder_only(options)) {
    int64_t encoder_width =
        width_of(rows, &Row::encoder_tokens, options.inputs_length, options.pad_to);
    batch.encoder_input_tokens =
        rows_to_tensor(rows, &Row::encoder_tokens, encoder_width, options.pad_id);
    batch.encoder_segment_ids = rows_to_tensor(rows, &Row::encoder_segments, encoder_width, 0);
    batch.encoder_positions = rows_to_tensor(rows, &Row::encoder_positions, encoder_width, 0);
    batch.stats.input_slots = batch.stats.rows * encoder_width;
    for (const auto& row : rows) batch.stats.input_tokens += row.encoder_tokens.size();
  }
  return batch;
}

BatchingOptions BatchingOptions::from_json(const Json& json, const std::string& where) {
  BatchingOptions options;
  JsonFields fields(json, where);
  std::string layout = feature_layout_name(options.layout);
  fields.get("layout", layout);
  options.layout = parse_feature_layout(layout, where + ".layout");
  fields.get("inputs_length", options.inputs_length);
  fields.get("targets_length", options.targets_length);
  fields.get("batch_size", options.batch_size);
  fields.get("pack", options.pack);
  std::string pad_to = options.pad_to == PadTo::kFixed ? "fixed" : "longest";
  fields.get("pad_to", pad_to);
  T5_CHECK(pad_to == "fixed" || pad_to == "longest",
           "{}: pad_to is \"{}\"; expected \"fixed\" or \"longest\"", where, pad_to);
  options.pad_to = pad_to == "fixed" ? PadTo::kFixed : PadTo::kLongest;
  std::string overflow = options.overflow == Overflow::kTruncate ? "truncate" : "error";
  fields.get("overflow", overflow);
  T5_CHECK(overflow == "truncate" || overflow == "error",
           "{}: overflow is \"{}\"; expected \"truncate\" or \"error\"", where, overflow);
  options.overflow = overflow == "truncate" ? Overflow::kTruncate : Overflow::kError;
  fields.get("bucket_boundaries", options.bucket_boundaries);
  fields.get("pad_id", options.pad_id);
  fields.get("decoder_start_id", options.decoder_start_id);
  fields.finish();
  options.validate(where);
  return options;
}

Json BatchingOptions::to_json() const {
  return Json{{"layout", feature_layout_name(layout)},
              {"inputs_length", inputs_length},
              {"targets_length", targets_length},
              {"batch_size", batch_size},
              {"pack", pack},
              {"pad_to", pad_to == PadTo::kFixed ? "fixed" : "longest"},
              {"overflow", overflow == Overflow::kTruncate ? "truncate" : "error"},
              {"bucket_boundaries", bucket_boundaries},
              {"pad_id", pad_id},
              {"decoder_start_id", decoder_start_id}};
}

void BatchingOptions::validate(const std::string& where) const {
  T5_CHECK(targets_length >= 1, "{}: targets_length is {}; expected at least 1", where,
           targets_length);
  T5_CHECK(is_decoder_only(*this) || inputs_length >= 1,
           "{}: inputs_length is {}; expected at least 1 for the encoder-decoder layout", where,
           inputs_length);
  T5_CHECK(batch_size >= 1, "{}: batch_size is {}; expected at least 1", where, batch_size);
  T5_CHECK(bucket_boundaries.empty() || !pack,
           "{}: bucket_boundaries apply to unpacked batches; drop them or set pack to false",
           where);
  for (size_t i = 0; i < bucket_boundaries.size(); ++i) {
    T5_CHECK(
        bucket_boundaries[i] >= 1 && (i == 0 || bucket_boundaries[i] > bucket_boundaries[i - 1]),
        "{}: bucket_boundaries must be positive and increasing; entry {} is {}", where, i,
        bucket_boundaries[i]);
  }
}

}  // namespace t5

#include "t5/train/batch.h"

namespace t5 {

namespace {

double share(int64_t tokens, int64_t slots) {
  return slots > 0 ? static_cast<double>(tokens) / static_cast<double>(slots) : 0.0;
}

torch::Tensor moved(const torch::Tensor& tensor, const torch::Device& device) {
  return tensor.defined() ? tensor.to(device) : tensor;
}

}  // namespace

double BatchStats::efficiency() const {
  return share(input_tokens + target_tokens, input_slots + target_slots);
}

double BatchStats::input_efficiency() const { return share(input_tokens, input_slots); }

double BatchStats::target_efficiency() const { return share(target_tokens, target_slots); }

void BatchStats::add(const BatchStats& other) {
  examples += other.examples;
  rows += other.rows;
  truncated += other.truncated;
  input_tokens += other.input_tokens;
  input_slots += other.input_slots;
  target_tokens += other.target_tokens;
  target_slots += other.target_slots;
}

ModelInputs Batch::to_model_inputs() const {
  ModelInputs inputs;
  if (encoder_input_tokens.defined()) {
    inputs.input_ids = encoder_input_tokens;
    inputs.attention_mask = encoder_segment_ids != 0;
    inputs.encoder_segment_ids = encoder_segment_ids;
    inputs.encoder_positions = encoder_positions;
  }
  auto real = decoder_segment_ids != 0;
  inputs.decoder_input_ids = decoder_input_tokens;
  inputs.decoder_attention_mask = real;
  inputs.decoder_segment_ids = decoder_segment_ids;
  inputs.decoder_positions = decoder_positions;
  inputs.decoder_causal_attention = decoder_causal_attention;
  inputs.labels =
      torch::where(real, decoder_target_tokens, torch::full_like(decoder_target_tokens, -100));
  inputs.loss_weights = decoder_loss_weights;
  return inputs;
}

Batch Batch::to(const torch::Device& device) const {
  Batch batch = *this;
  for (auto* tensor :
       {&batch.encoder_input_tokens, &batch.encoder_segment_ids, &batch.encoder_positions,
        &batch.decoder_target_tokens, &batch.decoder_input_tokens, &batch.decoder_loss_weights,
        &batch.decoder_segment_ids, &batch.decoder_positions, &batch.decoder_causal_attention}) {
    *tensor = moved(*tensor, device);
  }
  return batch;
}

}  // namespace t5

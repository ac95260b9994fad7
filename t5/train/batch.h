#pragma once

#include <torch/torch.h>

#include <cstdint>

#include "t5/model/t5_model.h"

namespace t5 {

// How full a batch (or a run of batches) is.
struct BatchStats {
  /// Examples in the batch.
  int64_t examples = 0;
  /// Rows of the tensors (examples, or fewer when packed).
  int64_t rows = 0;
  /// Examples cut to fit the sequence lengths.
  int64_t truncated = 0;
  /// Non-padding encoder tokens and encoder slots (rows x width);
  /// both 0 for the decoder-only layouts.
  int64_t input_tokens = 0;
  int64_t input_slots = 0;
  /// Non-padding decoder tokens and decoder slots.
  int64_t target_tokens = 0;
  int64_t target_slots = 0;

  // Share of non-padding tokens over all slots, encoder and decoder
  // together (the packing efficiency); 0 for an empty batch.
  double efficiency() const;
  double input_efficiency() const;
  double target_efficiency() const;
  // Adds another batch's counts (for totals over a run).
  void add(const BatchStats& other);
};

// One batch of model features, int64 tensors [rows, length] unless noted.
// Padding is 0 everywhere: token pad_id, segment 0, position 0, weight 0.
// Rows hold one example each, or several when packed; segment ids number
// the examples of a row from 1, and attention never crosses them.
struct Batch {
  /// [rows, inputs_len] encoder tokens (encoder-decoder only).
  torch::Tensor encoder_input_tokens;
  /// [rows, inputs_len] example of each encoder token, 1-based; 0 = pad.
  torch::Tensor encoder_segment_ids;
  /// [rows, inputs_len] position of each token within its example.
  torch::Tensor encoder_positions;
  /// [rows, targets_len] what the decoder predicts: the targets, or for the
  /// decoder-only layouts inputs then targets.
  torch::Tensor decoder_target_tokens;
  /// [rows, targets_len] decoder inputs: the targets shifted right by one
  /// within each example, the decoder start id first.
  torch::Tensor decoder_input_tokens;
  /// [rows, targets_len] float32: 1 where a token counts in the loss (0 on
  /// padding and on the inputs part of the decoder-only layouts).
  torch::Tensor decoder_loss_weights;
  torch::Tensor decoder_segment_ids;
  torch::Tensor decoder_positions;
  /// [rows, targets_len] prefix LM only: 1 on each example's inputs and the
  /// position after them, which see each other fully; causal elsewhere.
  torch::Tensor decoder_causal_attention;
  /// Whether rows hold several examples.
  bool packed = false;
  BatchStats stats;

  // The model's view of the batch: input_ids and masks, decoder inputs,
  // labels (-100 on padding) with loss weights, segments and positions,
  // and the prefix-LM attention when present.
  ModelInputs to_model_inputs() const;

  // Moves every tensor to `device`.
  Batch to(const torch::Device& device) const;
};

}  // namespace t5

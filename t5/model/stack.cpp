#include "t5/model/stack.h"

#include <torch/torch.h>

namespace t5 {

torch::Tensor mask_to_bias(const torch::Tensor& mask, torch::ScalarType dtype) {
  // A large finite negative rather than the dtype's lowest value: the lowest
  // float rounds to -inf in bfloat16, and a row with every key masked (an
  // all-padding row) would then turn into NaN. exp(-1e9 - max) is exactly 0
  // in float32, so results equal those of a -inf mask.
  double masked = dtype == torch::kHalf ? -65504.0 : -1e9;
  auto options = torch::TensorOptions().dtype(dtype).device(mask.device());
  return torch::where(mask, torch::zeros({}, options), torch::full({}, masked, options))
      .unsqueeze(1);
}

StackImpl::StackImpl(const ModelConfig& config, torch::nn::Embedding embed_tokens_module,
                     int64_t num_blocks, bool bidirectional, bool has_cross_attention)
    : bidirectional_(bidirectional), dropout_rate_(config.dropout_rate) {
  embed_tokens = register_module("embed_tokens", std::move(embed_tokens_module));
  block = register_module("block", torch::nn::ModuleList());
  for (int64_t i = 0; i < num_blocks; ++i) {
    blocks_.emplace_back(config, /*has_relative_attention_bias=*/i == 0, has_cross_attention);
    block->push_back(blocks_.back());
  }
  final_layer_norm =
      register_module("final_layer_norm", LayerNorm(config.d_model, config.layer_norm_epsilon));
}

StackImpl::StackImpl(const ModelConfig& config, torch::nn::Embedding embed_tokens_module,
                     const StackImpl& shared)
    : bidirectional_(false), dropout_rate_(config.dropout_rate) {
  embed_tokens = register_module("embed_tokens", std::move(embed_tokens_module));
  block = register_module("block", torch::nn::ModuleList());
  for (const auto& shared_block : shared.blocks_) {
    blocks_.emplace_back(config, *shared_block);
    block->push_back(blocks_.back());
  }
  final_layer_norm = register_module("final_layer_norm", shared.final_layer_norm);
}

StackOutputs StackImpl::forward(const StackInputs& inputs) {
  StackOutputs outputs;
  bool training = is_training();

  // Embeddings (with dropout).
  auto hidden = embed_tokens->forward(inputs.input_ids);
  if (dropout_rate_ > 0.0 && training) hidden = torch::dropout(hidden, dropout_rate_, training);

  // One bias for every block: relative positions from the first block's
  // table, plus the mask; the cross-attention bias is the mask alone.
  auto dtype = hidden.scalar_type();
  auto position_bias = blocks_.front()->self_attention->SelfAttention->position_bias(
      inputs.query_positions, inputs.key_positions, bidirectional_);
  auto self_bias = position_bias.to(dtype) + mask_to_bias(inputs.self_mask, dtype);
  torch::Tensor cross_bias;
  if (inputs.context.defined()) cross_bias = mask_to_bias(inputs.cross_mask, dtype);

  // The blocks, each a residual stream update.
  if (inputs.cache != nullptr) inputs.cache->resize(blocks_.size());
  for (size_t i = 0; i < blocks_.size(); ++i) {
    if (inputs.output_hidden_states) outputs.hidden_states.push_back(hidden);
    BlockCache* cache = inputs.cache != nullptr ? &(*inputs.cache)[i] : nullptr;
    hidden = blocks_[i]->forward(hidden, self_bias, inputs.context, cross_bias, cache);
  }

  // Final norm and dropout.
  hidden = final_layer_norm->forward(hidden);
  if (dropout_rate_ > 0.0 && training) hidden = torch::dropout(hidden, dropout_rate_, training);
  if (inputs.output_hidden_states) outputs.hidden_states.push_back(hidden);
  outputs.hidden = hidden;
  return outputs;
}

}  // namespace t5

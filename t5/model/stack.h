#pragma once

#include <vector>

#include "t5/model/layers.h"

namespace t5 {

// What one pass of a stack reads. Positions and masks are built by the
// model (see t5_model.h), which knows padding, packing, caches and prefixes.
struct StackInputs {
  /// [batch, len] the new tokens.
  torch::Tensor input_ids;
  /// [batch or 1, len] position of each new token within its segment.
  torch::Tensor query_positions;
  /// [batch or 1, seen] position of every key (cached and new).
  torch::Tensor key_positions;
  /// bool [batch, len, seen]: true where a query may attend a key.
  torch::Tensor self_mask;
  /// [batch, context_len, d_model] encoder states; undefined without
  /// cross-attention.
  torch::Tensor context;
  /// bool [batch, len, context_len]: true where a query may attend the context.
  torch::Tensor cross_mask;
  /// One cache per block for incremental decoding; null for a full pass.
  std::vector<BlockCache>* cache = nullptr;
  /// Also return the embeddings and each block's output.
  bool output_hidden_states = false;
};

struct StackOutputs {
  /// [batch, len, d_model] after the final norm (and its dropout).
  torch::Tensor hidden;
  /// With output_hidden_states: the embeddings, then each block's output but
  /// the last, then the final norm's output (Hugging Face's convention).
  std::vector<torch::Tensor> hidden_states;
};

// A stack of blocks over a token embedding: the encoder (bidirectional
// position buckets) or the decoder (causal buckets, optional cross-attention).
// The first block's self-attention owns the relative position bias that
// every block of the stack uses.
class StackImpl : public torch::nn::Module {
 public:
  // bidirectional: bucket positive and negative offsets apart (encoder,
  // prefix LM); has_cross_attention: the decoder of an encoder-decoder.
  StackImpl(const ModelConfig& config, torch::nn::Embedding embed_tokens, int64_t num_blocks,
            bool bidirectional, bool has_cross_attention);
  // A decoder that shares the blocks' self-attention and feed-forward
  // sublayers and the final norm of `shared` (the encoder).
  StackImpl(const ModelConfig& config, torch::nn::Embedding embed_tokens, const StackImpl& shared);

  StackOutputs forward(const StackInputs& inputs);

  int64_t num_blocks() const { return static_cast<int64_t>(blocks_.size()); }

  torch::nn::Embedding embed_tokens{nullptr};
  torch::nn::ModuleList block{nullptr};
  LayerNorm final_layer_norm{nullptr};

 private:
  std::vector<Block> blocks_;
  bool bidirectional_;
  double dropout_rate_;
};
TORCH_MODULE(Stack);

// An additive attention bias from a boolean mask: 0 where allowed, -1e9
// elsewhere (-65504 in float16). mask: [batch, q_len, k_len] ->
// [batch, 1, q_len, k_len].
torch::Tensor mask_to_bias(const torch::Tensor& mask, torch::ScalarType dtype);

}  // namespace t5

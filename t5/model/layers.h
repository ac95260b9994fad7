#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include "t5/model/config.h"

namespace t5 {

// Root-mean-square layer norm (T5LayerNorm): scales by the inverse RMS of the
// last axis, computed in float32, then by a learned weight. No mean
// subtraction, no bias.
class LayerNormImpl : public torch::nn::Module {
 public:
  LayerNormImpl(int64_t d_model, double epsilon);
  // x: [..., d_model] -> same shape, the weight's dtype.
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor weight;

 private:
  double epsilon_;
};
TORCH_MODULE(LayerNorm);

// T5's relative position bucket for relative = key_pos - query_pos (any
// integer tensor): half the buckets hold exact small offsets, the rest grow
// logarithmically up to max_distance. Bidirectional uses separate buckets for
// positive offsets; causal maps positive offsets to bucket 0.
torch::Tensor relative_position_bucket(const torch::Tensor& relative_position, bool bidirectional,
                                       int64_t num_buckets, int64_t max_distance);

// The keys and values a decoder attention layer has seen so far.
// key, value: [batch, heads, seen, d_kv]; undefined until the first step.
struct KeyValueCache {
  torch::Tensor key;
  torch::Tensor value;
};

// Multi-head attention without the 1/sqrt(d_kv) factor (T5 folds it into
// the initialisation of q). Linear maps q, k, v, o have no bias. The layer
// that owns the stack's relative position bias also holds
// relative_attention_bias ([num_buckets, num_heads]).
class AttentionImpl : public torch::nn::Module {
 public:
  AttentionImpl(const ModelConfig& config, bool has_relative_attention_bias);

  // hidden: [batch, q_len, d_model]; context: [batch, k_len, d_model] for
  // cross-attention, undefined for self-attention; bias: additive scores
  // (position bias plus mask), broadcastable to [batch, heads, q_len, k_len].
  // With a cache, self-attention appends the new keys and values and
  // attends over all of them; cross-attention computes the context's keys
  // and values once and reuses them.
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& context,
                        const torch::Tensor& bias, KeyValueCache* cache = nullptr);

  // The bias of each head for query and key positions.
  // query_positions: [batch or 1, q_len], key_positions: [batch or 1, k_len]
  // -> [batch or 1, heads, q_len, k_len].
  torch::Tensor position_bias(const torch::Tensor& query_positions,
                              const torch::Tensor& key_positions, bool bidirectional) const;

  torch::nn::Linear q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr};
  torch::nn::Embedding relative_attention_bias{nullptr};

 private:
  torch::Tensor split_heads(const torch::Tensor& x) const;

  int64_t num_heads_;
  int64_t d_kv_;
  int64_t num_buckets_;
  int64_t max_distance_;
  double dropout_rate_;
};
TORCH_MODULE(Attention);

// The feed-forward network: wo(dropout(relu(wi x))) for "relu", or
// wo(dropout(gelu_tanh(wi_0 x) * wi_1 x)) for "gated-gelu".
class DenseReluDenseImpl : public torch::nn::Module {
 public:
  explicit DenseReluDenseImpl(const ModelConfig& config);
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Linear wi{nullptr}, wi_0{nullptr}, wi_1{nullptr}, wo{nullptr};

 private:
  bool gated_;
  double dropout_rate_;
};
TORCH_MODULE(DenseReluDense);

// Pre-norm residual sublayers: x + dropout(f(layer_norm(x))).
class SelfAttentionLayerImpl : public torch::nn::Module {
 public:
  SelfAttentionLayerImpl(const ModelConfig& config, bool has_relative_attention_bias);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& bias, KeyValueCache* cache);

  Attention SelfAttention{nullptr};
  LayerNorm layer_norm{nullptr};

 private:
  double dropout_rate_;
};
TORCH_MODULE(SelfAttentionLayer);

class CrossAttentionLayerImpl : public torch::nn::Module {
 public:
  explicit CrossAttentionLayerImpl(const ModelConfig& config);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context,
                        const torch::Tensor& bias, KeyValueCache* cache);

  Attention EncDecAttention{nullptr};
  LayerNorm layer_norm{nullptr};

 private:
  double dropout_rate_;
};
TORCH_MODULE(CrossAttentionLayer);

class FeedForwardLayerImpl : public torch::nn::Module {
 public:
  explicit FeedForwardLayerImpl(const ModelConfig& config);
  torch::Tensor forward(const torch::Tensor& x);

  DenseReluDense dense_relu_dense{nullptr};
  LayerNorm layer_norm{nullptr};

 private:
  double dropout_rate_;
};
TORCH_MODULE(FeedForwardLayer);

// The caches of one decoder block.
struct BlockCache {
  KeyValueCache self_attention;
  KeyValueCache cross_attention;
};

// One block: self-attention, cross-attention (decoder of an encoder-decoder
// only), feed-forward. Its sublayers are registered as layer.0, layer.1,
// layer.2, as in the checkpoints.
class BlockImpl : public torch::nn::Module {
 public:
  // A fresh block.
  BlockImpl(const ModelConfig& config, bool has_relative_attention_bias, bool has_cross_attention);
  // A decoder block that shares `shared`'s self-attention and feed-forward
  // sublayers (the shared encoder-decoder), with a cross-attention of its own.
  BlockImpl(const ModelConfig& config, const BlockImpl& shared);

  // x: [batch, len, d_model]; self_bias broadcastable to
  // [batch, heads, len, seen]; context/cross_bias only with cross-attention.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& self_bias,
                        const torch::Tensor& context, const torch::Tensor& cross_bias,
                        BlockCache* cache);

  SelfAttentionLayer self_attention{nullptr};
  CrossAttentionLayer cross_attention{nullptr};
  FeedForwardLayer feed_forward{nullptr};
  torch::nn::ModuleList layer{nullptr};
};
TORCH_MODULE(Block);

}  // namespace t5

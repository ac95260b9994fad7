#include "t5/model/layers.h"

#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/dropout.h>
#include <torch/torch.h>

#include <cmath>

namespace t5 {
namespace {

torch::nn::Linear make_linear(int64_t in, int64_t out) {
  return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false));
}

torch::Tensor apply_dropout(const torch::Tensor& x, double rate, bool training) {
  if (rate == 0.0 || !training) return x;
  return torch::dropout(x, rate, training);
}

}  // namespace

LayerNormImpl::LayerNormImpl(int64_t d_model, double epsilon) : epsilon_(epsilon) {
  weight = register_parameter("weight", torch::ones({d_model}));
}

torch::Tensor LayerNormImpl::forward(const torch::Tensor& x) {
  // The variance is taken in float32 whatever the compute dtype, as the
  // reference does, so bf16 training keeps a stable norm.
  auto variance = x.to(torch::kFloat32).pow(2).mean(-1, /*keepdim=*/true);
  auto normed = x * torch::rsqrt(variance + epsilon_);
  if (weight.scalar_type() != torch::kFloat32) normed = normed.to(weight.scalar_type());
  return weight * normed;
}

torch::Tensor relative_position_bucket(const torch::Tensor& relative_position, bool bidirectional,
                                       int64_t num_buckets, int64_t max_distance) {
  auto relative = relative_position.to(torch::kLong);
  auto buckets = torch::zeros_like(relative);
  if (bidirectional) {
    num_buckets /= 2;
    buckets = buckets + (relative > 0).to(torch::kLong) * num_buckets;
    relative = relative.abs();
  } else {
    relative = -torch::clamp_max(relative, 0);
  }

  // Offsets below max_exact get a bucket each; the rest share log-spaced
  // buckets. The log is taken only of offsets past the exact range (never of
  // 0), so no -inf is ever cast to an integer. The float32 operations mirror
  // the reference's order, which makes the buckets equal at every offset.
  int64_t max_exact = num_buckets / 2;
  auto is_small = relative < max_exact;
  auto large_offsets = torch::clamp_min(relative, max_exact).to(torch::kFloat32);
  auto scaled = torch::log(large_offsets / static_cast<double>(max_exact)) /
                std::log(static_cast<double>(max_distance) / static_cast<double>(max_exact)) *
                static_cast<double>(num_buckets - max_exact);
  auto if_large = torch::clamp_max(max_exact + scaled.to(torch::kLong), num_buckets - 1);
  return buckets + torch::where(is_small, relative, if_large);
}

AttentionImpl::AttentionImpl(const ModelConfig& config, bool has_relative_attention_bias)
    : num_heads_(config.num_heads),
      d_kv_(config.d_kv),
      num_buckets_(config.relative_attention_num_buckets),
      max_distance_(config.relative_attention_max_distance),
      dropout_rate_(config.dropout_rate) {
  int64_t inner = config.num_heads * config.d_kv;
  q = register_module("q", make_linear(config.d_model, inner));
  k = register_module("k", make_linear(config.d_model, inner));
  v = register_module("v", make_linear(config.d_model, inner));
  o = register_module("o", make_linear(inner, config.d_model));
  if (has_relative_attention_bias) {
    relative_attention_bias = register_module("relative_attention_bias",
                                              torch::nn::Embedding(num_buckets_, config.num_heads));
  }
}

torch::Tensor AttentionImpl::split_heads(const torch::Tensor& x) const {
  // [batch, len, heads * d_kv] -> [batch, heads, len, d_kv]
  return x.view({x.size(0), x.size(1), num_heads_, d_kv_}).transpose(1, 2);
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& hidden, const torch::Tensor& context,
                                     const torch::Tensor& bias, KeyValueCache* cache) {
  auto query = split_heads(q->forward(hidden));

  // Keys and values: from the new tokens (self) or the context (cross),
  // extended by or taken from the cache.
  torch::Tensor key, value;
  bool self_attention = !context.defined();
  if (self_attention) {
    key = split_heads(k->forward(hidden));
    value = split_heads(v->forward(hidden));
    if (cache != nullptr && cache->key.defined()) {
      key = torch::cat({cache->key, key}, 2);
      value = torch::cat({cache->value, value}, 2);
    }
  } else if (cache != nullptr && cache->key.defined()) {
    key = cache->key;
    value = cache->value;
  } else {
    key = split_heads(k->forward(context));
    value = split_heads(v->forward(context));
  }
  if (cache != nullptr) {
    cache->key = key;
    cache->value = value;
  }

  // Scores without 1/sqrt(d_kv); softmax in float32 for stability.
  auto scores = torch::matmul(query, key.transpose(-1, -2));
  if (bias.defined()) scores = scores + bias;
  auto weights = torch::softmax(scores.to(torch::kFloat32), -1).to(scores.scalar_type());
  weights = apply_dropout(weights, dropout_rate_, is_training());

  // Weighted values, heads merged back: [batch, q_len, heads * d_kv].
  auto attended = torch::matmul(weights, value).transpose(1, 2).contiguous();
  attended = attended.view({attended.size(0), attended.size(1), num_heads_ * d_kv_});
  return o->forward(attended);
}

torch::Tensor AttentionImpl::position_bias(const torch::Tensor& query_positions,
                                           const torch::Tensor& key_positions,
                                           bool bidirectional) const {
  TORCH_CHECK(relative_attention_bias, "position_bias needs the layer that owns the bias table");
  // relative: [batch or 1, q_len, k_len]
  auto relative = key_positions.unsqueeze(-2) - query_positions.unsqueeze(-1);
  auto buckets = relative_position_bucket(relative, bidirectional, num_buckets_, max_distance_);
  // [batch or 1, q_len, k_len, heads] -> [batch or 1, heads, q_len, k_len]
  return torch::embedding(relative_attention_bias->weight, buckets).permute({0, 3, 1, 2});
}

DenseReluDenseImpl::DenseReluDenseImpl(const ModelConfig& config)
    : gated_(config.is_gated()), dropout_rate_(config.dropout_rate) {
  if (gated_) {
    wi_0 = register_module("wi_0", make_linear(config.d_model, config.d_ff));
    wi_1 = register_module("wi_1", make_linear(config.d_model, config.d_ff));
  } else {
    wi = register_module("wi", make_linear(config.d_model, config.d_ff));
  }
  wo = register_module("wo", make_linear(config.d_ff, config.d_model));
}

torch::Tensor DenseReluDenseImpl::forward(const torch::Tensor& x) {
  torch::Tensor hidden;
  if (gated_) {
    hidden = torch::gelu(wi_0->forward(x), "tanh") * wi_1->forward(x);
  } else {
    hidden = torch::relu(wi->forward(x));
  }
  hidden = apply_dropout(hidden, dropout_rate_, is_training());
  return wo->forward(hidden);
}

SelfAttentionLayerImpl::SelfAttentionLayerImpl(const ModelConfig& config,
                                               bool has_relative_attention_bias)
    : dropout_rate_(config.dropout_rate) {
  SelfAttention = register_module("SelfAttention", Attention(config, has_relative_attention_bias));
  layer_norm = register_module("layer_norm", LayerNorm(config.d_model, config.layer_norm_epsilon));
}

torch::Tensor SelfAttentionLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& bias,
                                              KeyValueCache* cache) {
  auto attended = SelfAttention->forward(layer_norm->forward(x), torch::Tensor(), bias, cache);
  return x + apply_dropout(attended, dropout_rate_, is_training());
}

CrossAttentionLayerImpl::CrossAttentionLayerImpl(const ModelConfig& config)
    : dropout_rate_(config.dropout_rate) {
  // Cross-attention has no position bias in T5.
  EncDecAttention = register_module("EncDecAttention", Attention(config, false));
  layer_norm = register_module("layer_norm", LayerNorm(config.d_model, config.layer_norm_epsilon));
}

torch::Tensor CrossAttentionLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& context,
                                               const torch::Tensor& bias, KeyValueCache* cache) {
  auto attended = EncDecAttention->forward(layer_norm->forward(x), context, bias, cache);
  return x + apply_dropout(attended, dropout_rate_, is_training());
}

FeedForwardLayerImpl::FeedForwardLayerImpl(const ModelConfig& config)
    : dropout_rate_(config.dropout_rate) {
  dense_relu_dense = register_module("DenseReluDense", DenseReluDense(config));
  layer_norm = register_module("layer_norm", LayerNorm(config.d_model, config.layer_norm_epsilon));
}

torch::Tensor FeedForwardLayerImpl::forward(const torch::Tensor& x) {
  auto transformed = dense_relu_dense->forward(layer_norm->forward(x));
  return x + apply_dropout(transformed, dropout_rate_, is_training());
}

BlockImpl::BlockImpl(const ModelConfig& config, bool has_relative_attention_bias,
                     bool has_cross_attention) {
  layer = register_module("layer", torch::nn::ModuleList());
  self_attention = SelfAttentionLayer(config, has_relative_attention_bias);
  layer->push_back(self_attention);
  if (has_cross_attention) {
    cross_attention = CrossAttentionLayer(config);
    layer->push_back(cross_attention);
  }
  feed_forward = FeedForwardLayer(config);
  layer->push_back(feed_forward);
}

BlockImpl::BlockImpl(const ModelConfig& config, const BlockImpl& shared) {
  // The shared sublayers are registered here as well, so the checkpoint
  // names of the decoder exist; their parameters are aliases of the
  // encoder's (see unique_named_parameters).
  layer = register_module("layer", torch::nn::ModuleList());
  self_attention = shared.self_attention;
  layer->push_back(self_attention);
  cross_attention = CrossAttentionLayer(config);
  layer->push_back(cross_attention);
  feed_forward = shared.feed_forward;
  layer->push_back(feed_forward);
}

torch::Tensor BlockImpl::forward(const torch::Tensor& x, const torch::Tensor& self_bias,
                                 const torch::Tensor& context, const torch::Tensor& cross_bias,
                                 BlockCache* cache) {
  auto hidden = self_attention->forward(x, self_bias, cache ? &cache->self_attention : nullptr);
  if (cross_attention) {
    hidden = cross_attention->forward(hidden, context, cross_bias,
                                      cache ? &cache->cross_attention : nullptr);
  }
  return feed_forward->forward(hidden);
}

}  // namespace t5

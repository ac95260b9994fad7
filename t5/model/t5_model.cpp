#include "t5/model/t5_model.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>
#include <unordered_map>

#include "t5/util/error.h"

namespace t5 {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The standard deviation of the reference initialisation for a parameter,
// by its checkpoint name; 0 marks the norm scales, which start at 1.
double init_std(const std::string& name, const ModelConfig& c) {
  double factor = c.initializer_factor;
  double d_model = static_cast<double>(c.d_model);
  if (name == "shared.weight" || name == "lm_head.weight") return factor;
  if (ends_with(name, "layer_norm.weight")) return 0.0;
  if (ends_with(name, ".q.weight")) return factor / std::sqrt(d_model * c.d_kv);
  if (ends_with(name, ".k.weight") || ends_with(name, ".v.weight")) {
    return factor / std::sqrt(d_model);
  }
  if (ends_with(name, ".o.weight")) return factor / std::sqrt(double(c.num_heads * c.d_kv));
  if (ends_with(name, "relative_attention_bias.weight")) return factor / std::sqrt(d_model);
  if (ends_with(name, ".wo.weight")) return factor / std::sqrt(double(c.d_ff));
  if (ends_with(name, ".wi.weight") || ends_with(name, ".wi_0.weight") ||
      ends_with(name, ".wi_1.weight")) {
    return factor / std::sqrt(d_model);
  }
  fail("no reference initialisation is known for parameter '{}'", name);
}

torch::Tensor default_positions(int64_t length, const torch::Device& device) {
  return torch::arange(length, torch::TensorOptions().dtype(torch::kLong).device(device))
      .unsqueeze(0);
}

torch::Tensor ones_like_ids(const torch::Tensor& ids) {
  return torch::ones(ids.sizes(), ids.options().dtype(torch::kBool));
}

// bool [batch, q_len, k_len]: key is real and (when packed) in the query's
// segment.
torch::Tensor padding_and_segment_mask(const torch::Tensor& key_valid,
                                       const torch::Tensor& query_segments,
                                       const torch::Tensor& key_segments, int64_t q_len) {
  auto mask =
      key_valid.to(torch::kBool).unsqueeze(1).expand({key_valid.size(0), q_len, key_valid.size(1)});
  if (query_segments.defined() && key_segments.defined()) {
    mask = mask & (query_segments.unsqueeze(2) == key_segments.unsqueeze(1));
  }
  return mask;
}

// bool [1, q_len, k_len]: key index <= query index (queries are the last
// q_len of k_len positions).
torch::Tensor causal_mask(int64_t q_len, int64_t k_len, const torch::Device& device) {
  auto options = torch::TensorOptions().dtype(torch::kLong).device(device);
  auto queries = torch::arange(k_len - q_len, k_len, options).unsqueeze(1);
  auto keys = torch::arange(k_len, options).unsqueeze(0);
  return (keys <= queries).unsqueeze(0);
}

}  // namespace

void DecoderState::select_rows(const torch::Tensor& index) {
  for (auto& block : cache) {
    for (KeyValueCache* kv : {&block.self_attention, &block.cross_attention}) {
      if (!kv->key.defined()) continue;
      kv->key = kv->key.index_select(0, index);
      kv->value = kv->value.index_select(0, index);
    }
  }
  if (context.defined()) context = context.index_select(0, index);
  if (context_mask.defined()) context_mask = context_mask.index_select(0, index);
}

T5ModelImpl::T5ModelImpl(ModelConfig config) : config_(std::move(config)) {
  config_.validate("model config");
  shared = register_module("shared", torch::nn::Embedding(config_.vocab_size, config_.d_model));
  int64_t decoder_blocks = config_.decoder_layers();
  switch (config_.architecture) {
    case Architecture::kEncoderDecoder:
      encoder = register_module("encoder", Stack(config_, shared, config_.num_layers,
                                                 /*bidirectional=*/true,
                                                 /*has_cross_attention=*/false));
      decoder = register_module("decoder", Stack(config_, shared, decoder_blocks,
                                                 /*bidirectional=*/false,
                                                 /*has_cross_attention=*/true));
      break;
    case Architecture::kEncoderDecoderShared:
      encoder = register_module("encoder", Stack(config_, shared, config_.num_layers,
                                                 /*bidirectional=*/true,
                                                 /*has_cross_attention=*/false));
      decoder = register_module("decoder", Stack(config_, shared, *encoder));
      break;
    case Architecture::kDecoderOnly:
    case Architecture::kPrefixLm:
      // The prefix LM buckets offsets in both directions, since its prefix
      // attends forwards as well as backwards.
      decoder = register_module(
          "decoder", Stack(config_, shared, decoder_blocks,
                           /*bidirectional=*/config_.architecture == Architecture::kPrefixLm,
                           /*has_cross_attention=*/false));
      break;
  }
  if (!config_.tie_word_embeddings) {
    lm_head = register_module(
        "lm_head", torch::nn::Linear(
                       torch::nn::LinearOptions(config_.d_model, config_.vocab_size).bias(false)));
  }
}

StackOutputs T5ModelImpl::encode(const torch::Tensor& input_ids,
                                 const torch::Tensor& attention_mask, bool output_hidden_states) {
  ModelInputs inputs;
  inputs.input_ids = input_ids;
  inputs.attention_mask = attention_mask;
  inputs.output_hidden_states = output_hidden_states;
  return run_encoder(inputs);
}

StackOutputs T5ModelImpl::run_encoder(const ModelInputs& inputs) {
  TORCH_CHECK(encoder, "encode: the ", architecture_name(config_.architecture),
              " architecture has no encoder");
  TORCH_CHECK(inputs.input_ids.defined(), "forward: input_ids are required by the ",
              architecture_name(config_.architecture), " architecture");
  const auto& ids = inputs.input_ids;
  auto valid = inputs.attention_mask.defined() ? inputs.attention_mask : ones_like_ids(ids);
  StackInputs stack;
  stack.input_ids = ids;
  stack.query_positions = inputs.encoder_positions.defined()
                              ? inputs.encoder_positions
                              : default_positions(ids.size(1), ids.device());
  stack.key_positions = stack.query_positions;
  stack.self_mask = padding_and_segment_mask(valid, inputs.encoder_segment_ids,
                                             inputs.encoder_segment_ids, ids.size(1));
  stack.output_hidden_states = inputs.output_hidden_states;
  return encoder->forward(stack);
}

ModelOutputs T5ModelImpl::forward(const ModelInputs& inputs) {
  ModelOutputs outputs;

  // Encoder (encoder-decoder architectures), honouring packed segments.
  StackOutputs encoded;
  if (encoder) {
    encoded = run_encoder(inputs);
    outputs.encoder_last_hidden_state = encoded.hidden;
    outputs.encoder_hidden_states = encoded.hidden_states;
  }

  // Decoder, logits and the loss.
  auto hidden = run_decoder(inputs, encoder ? &encoded : nullptr, outputs);
  outputs.logits = project_to_vocab(hidden);
  if (inputs.labels.defined()) {
    auto per_token = per_token_cross_entropy(outputs.logits, inputs.labels);
    auto weights = (inputs.labels >= 0).to(per_token.scalar_type());
    if (inputs.loss_weights.defined()) weights = weights * inputs.loss_weights.to(weights.dtype());
    outputs.per_token_loss = per_token;
    outputs.loss_denominator = weights.sum();
    auto total = (per_token * weights).sum();
    outputs.loss =
        torch::where(outputs.loss_denominator > 0,
                     total / outputs.loss_denominator.clamp_min(1e-12), torch::zeros_like(total));
  }
  return outputs;
}

torch::Tensor T5ModelImpl::run_decoder(const ModelInputs& inputs, const StackOutputs* encoded,
                                       ModelOutputs& outputs) {
  auto ids = inputs.decoder_input_ids;
  if (!ids.defined()) {
    TORCH_CHECK(inputs.labels.defined(), "forward: give decoder_input_ids or labels");
    ids = shift_right(inputs.labels, config_.decoder_start_token_id, config_.pad_token_id);
  }
  int64_t length = ids.size(1);
  auto device = ids.device();

  // Self-attention mask: causal, or fully visible within the prefix; never
  // across segments or onto padding.
  auto valid =
      inputs.decoder_attention_mask.defined() ? inputs.decoder_attention_mask : ones_like_ids(ids);
  auto self_mask = padding_and_segment_mask(valid, inputs.decoder_segment_ids,
                                            inputs.decoder_segment_ids, length);
  auto visible = causal_mask(length, length, device);
  if (inputs.decoder_causal_attention.defined()) {
    auto prefix = inputs.decoder_causal_attention.to(torch::kBool);
    visible = visible | (prefix.unsqueeze(2) & prefix.unsqueeze(1));
  }

  StackInputs stack;
  stack.input_ids = ids;
  stack.query_positions = inputs.decoder_positions.defined() ? inputs.decoder_positions
                                                             : default_positions(length, device);
  stack.key_positions = stack.query_positions;
  stack.self_mask = self_mask & visible;
  if (encoded != nullptr) {
    auto context_valid =
        inputs.attention_mask.defined() ? inputs.attention_mask : ones_like_ids(inputs.input_ids);
    stack.context = encoded->hidden;
    stack.cross_mask = padding_and_segment_mask(context_valid, inputs.decoder_segment_ids,
                                                inputs.encoder_segment_ids, length);
  }
  stack.output_hidden_states = inputs.output_hidden_states;
  auto decoded = decoder->forward(stack);
  outputs.decoder_hidden_states = decoded.hidden_states;
  return decoded.hidden;
}

DecoderState T5ModelImpl::start_decoding(const torch::Tensor& input_ids,
                                         const torch::Tensor& attention_mask) {
  DecoderState state;
  if (encoder) {
    state.context = encode(input_ids, attention_mask).hidden;
    state.context_mask =
        (attention_mask.defined() ? attention_mask : ones_like_ids(input_ids)).to(torch::kBool);
  }
  return state;
}

torch::Tensor T5ModelImpl::decode_step(const torch::Tensor& new_ids, DecoderState& state,
                                       bool prefix_visible) {
  int64_t batch = new_ids.size(0);
  int64_t count = new_ids.size(1);
  int64_t seen = state.length + count;
  auto device = new_ids.device();
  auto long_options = torch::TensorOptions().dtype(torch::kLong).device(device);

  // New queries sit after the cached keys; their bias uses true positions.
  StackInputs stack;
  stack.input_ids = new_ids;
  stack.query_positions = torch::arange(state.length, seen, long_options).unsqueeze(0);
  stack.key_positions = torch::arange(seen, long_options).unsqueeze(0);
  if (prefix_visible) {
    TORCH_CHECK(state.length == 0, "decode_step: a fully visible prefix must come first");
    stack.self_mask = torch::ones({batch, count, seen}, long_options.dtype(torch::kBool));
  } else {
    stack.self_mask = causal_mask(count, seen, device).expand({batch, count, seen});
  }
  if (state.context.defined()) {
    stack.context = state.context;
    stack.cross_mask = padding_and_segment_mask(state.context_mask, {}, {}, count);
  }
  stack.cache = &state.cache;
  auto hidden = decoder->forward(stack).hidden;
  state.length = seen;
  return project_to_vocab(hidden);
}

torch::Tensor T5ModelImpl::project_to_vocab(const torch::Tensor& hidden) {
  if (config_.tie_word_embeddings) {
    // Tied output: rescale before reusing the embedding (mesh TF convention).
    auto scaled = hidden * std::pow(static_cast<double>(config_.d_model), -0.5);
    return torch::matmul(scaled, shared->weight.t());
  }
  return lm_head->forward(hidden);
}

void T5ModelImpl::reset_parameters(uint64_t seed) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  torch::NoGradGuard no_grad;
  for (auto& [name, parameter] : unique_named_parameters()) {
    double std = init_std(name, config_);
    if (std == 0.0) {
      parameter.fill_(1.0);
      continue;
    }
    // Draw on the CPU with our generator, then copy (works for any device).
    auto values = torch::empty(parameter.sizes(), torch::kFloat32).normal_(0.0, std, generator);
    parameter.copy_(values);
  }
}

std::vector<std::pair<std::string, torch::Tensor>> T5ModelImpl::unique_named_parameters() const {
  std::vector<std::pair<std::string, torch::Tensor>> result;
  std::unordered_map<const void*, bool> seen;
  for (const auto& item : named_parameters(/*recurse=*/true)) {
    const void* impl = item.value().unsafeGetTensorImpl();
    if (seen.count(impl)) continue;
    seen[impl] = true;
    result.emplace_back(item.key(), item.value());
  }
  return result;
}

std::vector<std::pair<std::string, std::string>> T5ModelImpl::parameter_aliases() const {
  std::vector<std::pair<std::string, std::string>> aliases;
  std::unordered_map<const void*, std::string> canonical;
  for (const auto& item : named_parameters(/*recurse=*/true)) {
    const void* impl = item.value().unsafeGetTensorImpl();
    auto it = canonical.find(impl);
    if (it == canonical.end()) {
      canonical.emplace(impl, item.key());
    } else {
      aliases.emplace_back(item.key(), it->second);
    }
  }
  if (config_.tie_word_embeddings) aliases.emplace_back("lm_head.weight", "shared.weight");
  return aliases;
}

int64_t T5ModelImpl::parameter_count() const {
  int64_t count = 0;
  for (const auto& item : unique_named_parameters()) count += item.second.numel();
  return count;
}

torch::Tensor shift_right(const torch::Tensor& labels, int64_t start_id, int64_t pad_id) {
  auto shifted = torch::full_like(labels, start_id);
  if (labels.size(1) > 1) {
    using torch::indexing::Slice;
    shifted.index_put_({Slice(), Slice(1, torch::indexing::None)},
                       labels.index({Slice(), Slice(0, -1)}));
  }
  return shifted.masked_fill(shifted < 0, pad_id);
}

torch::Tensor per_token_cross_entropy(const torch::Tensor& logits, const torch::Tensor& labels) {
  auto log_probs = torch::log_softmax(logits.to(torch::kFloat32), -1);
  auto valid = labels >= 0;
  auto picked = log_probs.gather(-1, labels.clamp_min(0).unsqueeze(-1)).squeeze(-1);
  return torch::where(valid, -picked, torch::zeros_like(picked));
}

}  // namespace t5

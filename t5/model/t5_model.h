#pragma once

#include <string>
#include <utility>
#include <vector>

#include "t5/model/stack.h"

namespace t5 {

// One batch for a full forward pass. Undefined tensors take their defaults.
// Encoder-decoder models read the input_* fields and the decoder_* fields;
// decoder-only and prefix-LM models read only the decoder_* fields (the
// whole text, inputs and targets concatenated).
struct ModelInputs {
  /// [batch, inputs_len] encoder token ids.
  torch::Tensor input_ids;
  /// [batch, inputs_len] 1 for tokens, 0 for padding; default all 1.
  torch::Tensor attention_mask;
  /// [batch, inputs_len] packed rows: segment of each token (0 = padding);
  /// attention never crosses segments. Default: one segment per row.
  torch::Tensor encoder_segment_ids;
  /// [batch, inputs_len] position of each token within its segment; default
  /// 0, 1, 2, ...
  torch::Tensor encoder_positions;
  /// [batch, targets_len] decoder inputs; default shift_right(labels).
  torch::Tensor decoder_input_ids;
  /// [batch, targets_len] 1 for tokens, 0 for padding; default all 1.
  torch::Tensor decoder_attention_mask;
  torch::Tensor decoder_segment_ids;
  torch::Tensor decoder_positions;
  /// [batch, targets_len] prefix LM: positions with 1 see each other fully
  /// (the prefix and one more); causal elsewhere. Default all 0.
  torch::Tensor decoder_causal_attention;
  /// [batch, targets_len] target ids; negative ids are ignored by the loss.
  /// Undefined: no loss.
  torch::Tensor labels;
  /// [batch, targets_len] optional float weight of each target in the loss.
  torch::Tensor loss_weights;
  /// Return every layer's residual stream.
  bool output_hidden_states = false;
};

struct ModelOutputs {
  /// [batch, inputs_len, d_model] after the encoder's final norm.
  torch::Tensor encoder_last_hidden_state;
  /// [batch, targets_len, vocab_size]
  torch::Tensor logits;
  /// Mean cross-entropy per weighted target token (scalar), when labels.
  torch::Tensor loss;
  /// [batch, targets_len] cross-entropy of each target, 0 where ignored.
  torch::Tensor per_token_loss;
  /// Sum of loss weights (the denominator of loss).
  torch::Tensor loss_denominator;
  std::vector<torch::Tensor> encoder_hidden_states;
  std::vector<torch::Tensor> decoder_hidden_states;
};

// What incremental decoding keeps between steps.
struct DecoderState {
  /// One cache per decoder block.
  std::vector<BlockCache> cache;
  /// Tokens the decoder has seen so far.
  int64_t length = 0;
  /// [batch, context_len, d_model] encoder states (encoder-decoder only).
  torch::Tensor context;
  /// bool [batch, context_len]: real context tokens.
  torch::Tensor context_mask;

  // Keeps the rows `index` ([new_batch] int64), e.g. to follow beams.
  void select_rows(const torch::Tensor& index);
};

// The T5 model in one of the paper's architectures (ModelConfig::architecture).
// Parameter names equal the Hugging Face checkpoint keys: shared.weight,
// encoder.block.0.layer.0.SelfAttention.q.weight, ..., lm_head.weight.
// Tied embeddings are registered under each name that holds them
// (encoder.embed_tokens, decoder.embed_tokens), and the shared encoder-decoder
// registers its shared sublayers under both stacks; unique_named_parameters()
// lists each tensor once, which is what counting, saving and optimisers use.
class T5ModelImpl : public torch::nn::Module {
 public:
  explicit T5ModelImpl(ModelConfig config);

  ModelOutputs forward(const ModelInputs& inputs);

  // Encoder pass. input_ids, attention_mask: [batch, len].
  StackOutputs encode(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                      bool output_hidden_states = false);

  // Starts incremental decoding. Encoder-decoder: encodes the inputs and
  // returns a state with no decoder tokens yet. Decoder-only: an empty state
  // (feed the prompt with decode_step).
  DecoderState start_decoding(const torch::Tensor& input_ids, const torch::Tensor& attention_mask);

  // Feeds new decoder tokens [batch, n] and returns their logits
  // [batch, n, vocab_size]. With prefix_visible (prefix LM, first call only)
  // the new tokens see each other fully.
  torch::Tensor decode_step(const torch::Tensor& new_ids, DecoderState& state,
                            bool prefix_visible = false);

  // Logits from decoder states (applies the tied d_model^-0.5 scale).
  torch::Tensor project_to_vocab(const torch::Tensor& hidden);

  // Draws every parameter from the reference initialisation with a seeded
  // generator (no global RNG state).
  void reset_parameters(uint64_t seed);

  // Each parameter once, under its first (canonical) name.
  std::vector<std::pair<std::string, torch::Tensor>> unique_named_parameters() const;
  // Alias name -> canonical name: the other names of a shared tensor, plus
  // lm_head.weight for a tied model (Hugging Face files carry it).
  std::vector<std::pair<std::string, std::string>> parameter_aliases() const;
  int64_t parameter_count() const;

  const ModelConfig& config() const { return config_; }

  torch::nn::Embedding shared{nullptr};
  Stack encoder{nullptr};
  Stack decoder{nullptr};
  torch::nn::Linear lm_head{nullptr};

 private:
  // The encoder over packed or plain rows (segments and positions optional).
  StackOutputs run_encoder(const ModelInputs& inputs);
  torch::Tensor run_decoder(const ModelInputs& inputs, const StackOutputs* encoded,
                            ModelOutputs& outputs);

  ModelConfig config_;
};
TORCH_MODULE(T5Model);

// [start] + labels[:-1] per row, negative labels replaced by pad.
torch::Tensor shift_right(const torch::Tensor& labels, int64_t start_id, int64_t pad_id);

// Cross-entropy per target: logits [batch, len, vocab], labels [batch, len]
// (negative = ignored) -> [batch, len], 0 where ignored. Computed in float32.
torch::Tensor per_token_cross_entropy(const torch::Tensor& logits, const torch::Tensor& labels);

}  // namespace t5

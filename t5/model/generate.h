#pragma once

#include <cstdint>
#include <vector>

#include "t5/model/t5_model.h"

namespace t5 {

// How beam search normalises a hypothesis' summed log-probability.
enum class LengthPenalty {
  // sum / len^alpha, len = decoder start token + generated tokens before EOS
  // (Hugging Face, CTranslate2, Marian).
  kPower,
  // sum / ((5 + len) / 6)^alpha, len = generated tokens including EOS
  // (GNMT, as T5's t5x decodes).
  kGnmt,
};

struct GenerateOptions {
  /// Tokens to generate at most (after the decoder start token).
  int64_t max_new_tokens = 64;
  /// 1 = greedy or sampling; more = beam search.
  int64_t num_beams = 1;
  /// Hypotheses returned per input row (beam search; at most num_beams).
  int64_t num_return_sequences = 1;
  /// Length penalty exponent alpha (beam search).
  double length_penalty = 1.0;
  LengthPenalty length_penalty_kind = LengthPenalty::kPower;
  /// Beam search stops a row once num_beams hypotheses are finished.
  bool early_stopping = false;
  /// Sample instead of taking the arg max (num_beams must be 1).
  bool do_sample = false;
  /// Sampling temperature; 1 leaves the logits as they are.
  double temperature = 1.0;
  /// Sample among the k most likely tokens; 0 = no limit.
  int64_t top_k = 0;
  /// Sample within the smallest set of probability mass >= top_p; 1 = all.
  double top_p = 1.0;
  /// The token that ends a sequence; negative = the model's eos_token_id.
  int64_t eos_token_id = -1;
  /// Keep keys and values between steps (the same tokens, faster).
  bool use_cache = true;
  /// Seed of the sampling generator.
  uint64_t seed = 0;
  /// Keep the raw logits of every step (greedy and sampling).
  bool output_scores = false;
};

struct GenerateOutput {
  /// [rows, length]: the decoder start token, the generated tokens, EOS
  /// where a row finished, pad after. rows = batch * num_return_sequences.
  torch::Tensor sequences;
  /// [rows]: beam score (normalised log-probability) or, for greedy and
  /// sampling, the summed log-probability of the generated tokens.
  torch::Tensor scores;
  /// With output_scores: one [batch, vocab_size] tensor of logits per step.
  std::vector<torch::Tensor> step_logits;
};

// Generates from a batch. Encoder-decoder: input_ids are the encoder inputs.
// Decoder-only and prefix LM: input_ids are the prompt (the decoder sees
// [start] + prompt, fully visible for the prefix LM) and the output holds the
// continuation only. attention_mask: [batch, len], 1 for tokens (may be
// undefined). Throws t5::Error for invalid options.
GenerateOutput generate(T5ModelImpl& model, const torch::Tensor& input_ids,
                        const torch::Tensor& attention_mask, const GenerateOptions& options);

}  // namespace t5

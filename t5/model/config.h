#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "t5/util/json.h"

namespace t5 {

// Which of the paper's architectures (section 3.2) a model is.
enum class Architecture {
  // Encoder and decoder stacks (the T5 baseline).
  kEncoderDecoder,
  // Encoder and decoder share their self-attention, feed-forward and norm
  // parameters block by block; only the decoder's cross-attention is its own.
  kEncoderDecoderShared,
  // One causal stack over the concatenated text (a language model).
  kDecoderOnly,
  // One stack, fully visible over the prefix and causal after it.
  kPrefixLm,
};

std::string architecture_name(Architecture architecture);
Architecture parse_architecture(const std::string& name, const std::string& where);

// The model hyperparameters, with Hugging Face's config.json names and
// defaults (which are those of t5-small).
struct ModelConfig {
  /// Rows of the embedding and output layer (the vocabulary size rounded up).
  int64_t vocab_size = 32128;
  /// Width of the residual stream.
  int64_t d_model = 512;
  /// Width of one attention head's keys, queries and values.
  int64_t d_kv = 64;
  /// Inner width of the feed-forward layer.
  int64_t d_ff = 2048;
  /// Encoder blocks (and decoder blocks of a decoder-only model when
  /// num_decoder_layers is unset).
  int64_t num_layers = 6;
  /// Decoder blocks; 0 in memory until resolved means "same as num_layers".
  int64_t num_decoder_layers = 0;
  /// Attention heads per layer.
  int64_t num_heads = 8;
  /// Buckets of the relative position bias.
  int64_t relative_attention_num_buckets = 32;
  /// Offsets at and past this distance share the last bucket.
  int64_t relative_attention_max_distance = 128;
  /// Dropout probability at every dropout site (0 = none).
  double dropout_rate = 0.1;
  /// Epsilon of the RMS layer norm.
  double layer_norm_epsilon = 1e-6;
  /// Scales the standard deviations of the reference initialisation.
  double initializer_factor = 1.0;
  /// "relu" (T5 v1.0) or "gated-gelu" (v1.1: tanh-approximated GELU gate).
  std::string feed_forward_proj = "relu";
  /// Output layer shares the embedding (and the decoder output is scaled by
  /// d_model^-0.5 before it).
  bool tie_word_embeddings = true;
  int64_t pad_token_id = 0;
  int64_t eos_token_id = 1;
  int64_t decoder_start_token_id = 0;
  /// The toolkit's own field ("t5_architecture" in config.json).
  Architecture architecture = Architecture::kEncoderDecoder;

  bool is_gated() const { return feed_forward_proj == "gated-gelu"; }
  bool has_encoder() const {
    return architecture == Architecture::kEncoderDecoder ||
           architecture == Architecture::kEncoderDecoderShared;
  }
  int64_t decoder_layers() const {
    return num_decoder_layers > 0 ? num_decoder_layers : num_layers;
  }

  // The number of distinct parameters a model of this config has (shared
  // tensors counted once), computed without building it.
  int64_t parameter_count() const;

  // Throws t5::Error naming the field when a value is out of range
  // (`where` is the file or preset the config came from).
  void validate(const std::string& where) const;

  // Reads Hugging Face's config.json fields. Unknown fields are errors
  // naming the field, except the bookkeeping fields that transformers
  // writes for every model (architectures, id2label, generation defaults...).
  static ModelConfig from_json(const Json& json, const std::string& where);
  Json to_json() const;

  static ModelConfig load(const std::filesystem::path& config_json);
  void save(const std::filesystem::path& config_json) const;

  // A named preset: the paper's and v1.1 sizes, plus small research sizes
  // that train on a CPU in minutes. Unknown names are errors listing the
  // near ones.
  static ModelConfig preset(const std::string& name);
  static std::vector<std::string> preset_names();
};

}  // namespace t5

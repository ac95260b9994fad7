#include "t5/model/config.h"

#include <map>

#include "t5/util/files.h"
#include "t5/util/names.h"

namespace t5 {
namespace {

const std::map<std::string, Architecture>& architecture_table() {
  static const std::map<std::string, Architecture> table = {
      {"encoder_decoder", Architecture::kEncoderDecoder},
      {"encoder_decoder_shared", Architecture::kEncoderDecoderShared},
      {"decoder_only", Architecture::kDecoderOnly},
      {"prefix_lm", Architecture::kPrefixLm},
  };
  return table;
}

// Fields that transformers' PretrainedConfig writes for every model; they
// say nothing about the network, so a released config.json may carry them.
void ignore_hf_bookkeeping(JsonFields& fields) {
  fields.ignore({"_name_or_path",
                 "add_cross_attention",
                 "architectures",
                 "bad_words_ids",
                 "begin_suppress_tokens",
                 "bos_token_id",
                 "chunk_size_feed_forward",
                 "cross_attention_hidden_size",
                 "dense_act_fn",
                 "diversity_penalty",
                 "do_sample",
                 "early_stopping",
                 "encoder_no_repeat_ngram_size",
                 "exponential_decay_length_penalty",
                 "finetuning_task",
                 "forced_bos_token_id",
                 "forced_eos_token_id",
                 "id2label",
                 "is_decoder",
                 "is_encoder_decoder",
                 "is_gated_act",
                 "label2id",
                 "length_penalty",
                 "max_length",
                 "min_length",
                 "model_type",
                 "n_positions",
                 "no_repeat_ngram_size",
                 "num_beam_groups",
                 "num_beams",
                 "num_return_sequences",
                 "output_attentions",
                 "output_hidden_states",
                 "output_past",
                 "output_scores",
                 "prefix",
                 "problem_type",
                 "pruned_heads",
                 "remove_invalid_values",
                 "repetition_penalty",
                 "return_dict",
                 "return_dict_in_generate",
                 "sep_token_id",
                 "suppress_tokens",
                 "task_specific_params",
                 "temperature",
                 "tf_legacy_loss",
                 "tie_encoder_decoder",
                 "tokenizer_class",
                 "top_k",
                 "top_p",
                 "torch_dtype",
                 "torchscript",
                 "transformers_version",
                 "typical_p",
                 "use_bfloat16",
                 "use_cache",
                 "gradient_checkpointing"});
}

ModelConfig make(int64_t d_model, int64_t d_kv, int64_t d_ff, int64_t heads, int64_t layers,
                 const std::string& ff, bool tied) {
  ModelConfig config;
  config.d_model = d_model;
  config.d_kv = d_kv;
  config.d_ff = d_ff;
  config.num_heads = heads;
  config.num_layers = layers;
  config.num_decoder_layers = layers;
  config.feed_forward_proj = ff;
  config.tie_word_embeddings = tied;
  return config;
}

const std::map<std::string, ModelConfig>& preset_table() {
  // Sizes from REFERENCE.md (the paper's v1.0 models and the v1.1 family);
  // the research sizes are ours: v1.0-style models small enough to pretrain
  // on two CPU cores in minutes.
  static const std::map<std::string, ModelConfig> table = {
      {"t5-small", make(512, 64, 2048, 8, 6, "relu", true)},
      {"t5-base", make(768, 64, 3072, 12, 12, "relu", true)},
      {"t5-large", make(1024, 64, 4096, 16, 24, "relu", true)},
      {"t5-3b", make(1024, 128, 16384, 32, 24, "relu", true)},
      {"t5-11b", make(1024, 128, 65536, 128, 24, "relu", true)},
      {"t5-v1_1-small", make(512, 64, 1024, 6, 8, "gated-gelu", false)},
      {"t5-v1_1-base", make(768, 64, 2048, 12, 12, "gated-gelu", false)},
      {"t5-v1_1-large", make(1024, 64, 2816, 16, 24, "gated-gelu", false)},
      {"t5-v1_1-xl", make(2048, 64, 5120, 32, 24, "gated-gelu", false)},
      {"t5-v1_1-xxl", make(4096, 64, 10240, 64, 24, "gated-gelu", false)},
      {"t5-nano", make(64, 16, 256, 4, 2, "relu", true)},
      {"t5-micro", make(128, 32, 512, 4, 2, "relu", true)},
      {"t5-mini", make(256, 64, 1024, 4, 4, "relu", true)},
  };
  return table;
}

void check_positive(int64_t value, const char* field, const std::string& where) {
  T5_CHECK(value > 0, "{}: '{}' must be a positive integer, got {}", where, field, value);
}

}  // namespace

std::string architecture_name(Architecture architecture) {
  for (const auto& [name, value] : architecture_table()) {
    if (value == architecture) return name;
  }
  return "?";
}

Architecture parse_architecture(const std::string& name, const std::string& where) {
  auto it = architecture_table().find(name);
  if (it != architecture_table().end()) return it->second;
  std::vector<std::string> known;
  for (const auto& entry : architecture_table()) known.push_back(entry.first);
  fail(
      "{}: unknown architecture '{}'{}; expected one of encoder_decoder, "
      "encoder_decoder_shared, decoder_only, prefix_lm",
      where, name, did_you_mean(name, known));
}

void ModelConfig::validate(const std::string& where) const {
  check_positive(vocab_size, "vocab_size", where);
  check_positive(d_model, "d_model", where);
  check_positive(d_kv, "d_kv", where);
  check_positive(d_ff, "d_ff", where);
  check_positive(num_layers, "num_layers", where);
  check_positive(num_heads, "num_heads", where);
  check_positive(relative_attention_num_buckets, "relative_attention_num_buckets", where);
  T5_CHECK(relative_attention_num_buckets >= 4,
           "{}: 'relative_attention_num_buckets' must be at least 4, got {}", where,
           relative_attention_num_buckets);
  T5_CHECK(relative_attention_max_distance > relative_attention_num_buckets / 2,
           "{}: 'relative_attention_max_distance' must exceed half the buckets ({}), got {}", where,
           relative_attention_num_buckets / 2, relative_attention_max_distance);
  T5_CHECK(num_decoder_layers >= 0, "{}: 'num_decoder_layers' must be >= 0, got {}", where,
           num_decoder_layers);
  T5_CHECK(dropout_rate >= 0.0 && dropout_rate < 1.0,
           "{}: 'dropout_rate' must be in [0, 1), got {}", where, dropout_rate);
  T5_CHECK(layer_norm_epsilon > 0.0, "{}: 'layer_norm_epsilon' must be positive, got {}", where,
           layer_norm_epsilon);
  T5_CHECK(initializer_factor > 0.0, "{}: 'initializer_factor' must be positive, got {}", where,
           initializer_factor);
  T5_CHECK(feed_forward_proj == "relu" || feed_forward_proj == "gated-gelu",
           "{}: 'feed_forward_proj' must be \"relu\" or \"gated-gelu\", got \"{}\"", where,
           feed_forward_proj);
  for (auto [value, field] : {std::pair{pad_token_id, "pad_token_id"},
                              {eos_token_id, "eos_token_id"},
                              {decoder_start_token_id, "decoder_start_token_id"}}) {
    T5_CHECK(value >= 0 && value < vocab_size, "{}: '{}' must be in [0, vocab_size={}), got {}",
             where, field, vocab_size, value);
  }
  if (architecture == Architecture::kEncoderDecoderShared) {
    T5_CHECK(decoder_layers() == num_layers,
             "{}: the encoder_decoder_shared architecture needs num_decoder_layers == "
             "num_layers, got {} and {}",
             where, decoder_layers(), num_layers);
  }
}

int64_t ModelConfig::parameter_count() const {
  int64_t attention = 4 * d_model * num_heads * d_kv;
  int64_t feed_forward = (is_gated() ? 3 : 2) * d_model * d_ff;
  int64_t norm = d_model;
  int64_t position_bias = relative_attention_num_buckets * num_heads;
  int64_t self_block = attention + feed_forward + 2 * norm;
  int64_t count = vocab_size * d_model;
  if (!tie_word_embeddings) count += vocab_size * d_model;
  switch (architecture) {
    case Architecture::kEncoderDecoder:
      count += num_layers * self_block + position_bias + norm;
      count += decoder_layers() * (self_block + attention + norm) + position_bias + norm;
      break;
    case Architecture::kEncoderDecoderShared:
      // The decoder adds only its cross-attention and that sublayer's norm.
      count += num_layers * self_block + position_bias + norm;
      count += decoder_layers() * (attention + norm);
      break;
    case Architecture::kDecoderOnly:
    case Architecture::kPrefixLm:
      count += decoder_layers() * self_block + position_bias + norm;
      break;
  }
  return count;
}

ModelConfig ModelConfig::from_json(const Json& json, const std::string& where) {
  ModelConfig config;
  JsonFields fields(json, where);
  fields.get("vocab_size", config.vocab_size);
  fields.get("d_model", config.d_model);
  fields.get("d_kv", config.d_kv);
  fields.get("d_ff", config.d_ff);
  fields.get("num_layers", config.num_layers);
  fields.get_nullable("num_decoder_layers", config.num_decoder_layers);
  fields.get("num_heads", config.num_heads);
  fields.get("relative_attention_num_buckets", config.relative_attention_num_buckets);
  fields.get("relative_attention_max_distance", config.relative_attention_max_distance);
  fields.get("dropout_rate", config.dropout_rate);
  fields.get("layer_norm_epsilon", config.layer_norm_epsilon);
  fields.get("initializer_factor", config.initializer_factor);
  fields.get("feed_forward_proj", config.feed_forward_proj);
  fields.get("tie_word_embeddings", config.tie_word_embeddings);
  fields.get_nullable("pad_token_id", config.pad_token_id);
  fields.get_nullable("eos_token_id", config.eos_token_id);
  fields.get_nullable("decoder_start_token_id", config.decoder_start_token_id);
  std::string architecture = architecture_name(config.architecture);
  fields.get("t5_architecture", architecture);
  config.architecture = parse_architecture(architecture, where + ": t5_architecture");
  ignore_hf_bookkeeping(fields);
  fields.finish();
  // transformers accepts "gated-gelu" and the older spelling "gated-gelu_new".
  if (config.feed_forward_proj == "gated-gelu_new") config.feed_forward_proj = "gated-gelu";
  if (config.num_decoder_layers == 0) config.num_decoder_layers = config.num_layers;
  config.validate(where);
  return config;
}

Json ModelConfig::to_json() const {
  Json json = {
      {"architectures", {has_encoder() ? "T5ForConditionalGeneration" : "T5DecoderOnly"}},
      {"model_type", "t5"},
      {"vocab_size", vocab_size},
      {"d_model", d_model},
      {"d_kv", d_kv},
      {"d_ff", d_ff},
      {"num_layers", num_layers},
      {"num_decoder_layers", decoder_layers()},
      {"num_heads", num_heads},
      {"relative_attention_num_buckets", relative_attention_num_buckets},
      {"relative_attention_max_distance", relative_attention_max_distance},
      {"dropout_rate", dropout_rate},
      {"layer_norm_epsilon", layer_norm_epsilon},
      {"initializer_factor", initializer_factor},
      {"feed_forward_proj", feed_forward_proj},
      {"tie_word_embeddings", tie_word_embeddings},
      {"is_encoder_decoder", has_encoder()},
      {"pad_token_id", pad_token_id},
      {"eos_token_id", eos_token_id},
      {"decoder_start_token_id", decoder_start_token_id},
      {"t5_architecture", architecture_name(architecture)},
  };
  return json;
}

ModelConfig ModelConfig::load(const std::filesystem::path& config_json) {
  return from_json(read_json_file(config_json.string()), config_json.string());
}

void ModelConfig::save(const std::filesystem::path& config_json) const {
  write_text_atomically(config_json, to_json().dump(2) + "\n");
}

ModelConfig ModelConfig::preset(const std::string& name) {
  auto it = preset_table().find(name);
  if (it == preset_table().end()) {
    fail("unknown model preset '{}'{}; `t5 model info --help` lists the presets", name,
         did_you_mean(name, preset_names()));
  }
  return it->second;
}

std::vector<std::string> ModelConfig::preset_names() {
  std::vector<std::string> names;
  for (const auto& entry : preset_table()) names.push_back(entry.first);
  return names;
}

}  // namespace t5

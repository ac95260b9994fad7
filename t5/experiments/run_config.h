#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "t5/eval/evaluator.h"
#include "t5/train/trainer.h"
#include "t5/util/json.h"

namespace t5 {

// Where the model of a run comes from.
struct ModelSection {
  /// A preset name (`t5 model info` lists them), the base of `config`.
  std::string preset = "t5-small";
  /// Hugging Face config.json keys that override the preset's
  /// ({"num_layers": 2}); vocab_size is set from the vocabulary.
  Json config = Json::object();
  /// A model folder (config.json + model.safetensors, e.g. a released T5)
  /// to start from instead of a fresh preset; "" = fresh.
  std::string from;

  static ModelSection from_json(const Json& json, const std::string& where);
  Json to_json() const;
};

// The vocabulary: a SentencePiece file, or one trained on a corpus.
struct VocabularySection {
  /// A .model file, absolute or relative to the data folder
  /// (default: T5's own, t5/spiece.model).
  std::string path = "t5/spiece.model";
  /// Sentinels added above its pieces.
  int extra_ids = 100;
  /// When set, a vocabulary is trained instead: {"corpus": a task name,
  /// "vocab_size": 8000, "max_documents": 20000, "model_type": "unigram"}.
  Json train;

  bool trains() const { return !train.is_null(); }
  static VocabularySection from_json(const Json& json, const std::string& where);
  Json to_json() const;
};

// The data and budget of one training stage (pretraining or fine-tuning).
struct StageSection {
  /// Pretraining: the corpus (a task or mixture whose texts are streamed
  /// through the objective). Fine-tuning: unused.
  std::string corpus;
  /// Fine-tuning: the tasks or mixtures, each fine-tuned on its own.
  std::vector<std::string> tasks;
  /// Pretraining objective: a name or {"name": ..., options}; "none" skips
  /// pretraining (the no-pretraining baseline).
  Json objective;
  std::string split = "train";
  /// Token budgets of a row. Fine-tuning: 0 = the task's own lengths.
  /// Pretraining: inputs 0 = 512 (the paper's); targets 0 = what the
  /// objective plans for the inputs (span corruption at 512: 115 with its
  /// final sentinel), or the inputs length when it plans none.
  int64_t inputs_length = 0;
  int64_t targets_length = 0;
  /// Rows per micro-batch; or, when batch_tokens > 0, batch_tokens / the
  /// row length (the paper's 65,536 = 128 x 512).
  int64_t batch_size = 32;
  int64_t batch_tokens = 0;
  bool pack = false;
  int64_t shuffle_buffer = 8192;
  /// Passes over the data; 0 = as many as `steps` needs.
  int64_t epochs = 0;
  /// Fine-tuning: a model folder or a pretraining run folder to start
  /// from; "" = the pretraining of this run, else model.from, else fresh.
  std::string from;
  TrainerOptions train;

  static StageSection from_json(const Json& json, const std::string& where, bool pretraining);
  Json to_json(bool pretraining) const;
};

// One run: what `t5 pretrain`, `t5 finetune`, `t5 eval` and `t5 predict`
// read, and one point of a sweep.
struct RunConfig {
  std::string name = "run";
  uint64_t seed = 0;
  /// Threads; 0 = T5_THREADS, else every core.
  int threads = 0;
  /// "float32" or "bfloat16": sets both stages' precision unless they set
  /// their own.
  std::string precision;
  /// The data root; "" = T5_DATA_DIR.
  std::string data_dir;
  /// Extra task spec folders; "" = T5_TASKS_PATH.
  std::string tasks_dir;
  ModelSection model;
  VocabularySection vocabulary;
  StageSection pretrain;
  StageSection finetune;
  EvalOptions eval;

  // Reads a run config; unknown keys anywhere are errors naming the key
  // path and the nearest known key.
  static RunConfig from_json(const Json& json, const std::string& where);
  // The resolved config: every key with its value.
  Json to_json() const;
};

// The default pretraining and fine-tuning settings (T5's: Adafactor,
// inverse square root for pretraining, constant 1e-3 for fine-tuning).
Json default_run_config();

// Reads `file` (or the defaults when empty), applies "key=value"
// assignments and resolves it.
RunConfig load_run_config(const std::string& file, const std::vector<std::string>& assignments);

}  // namespace t5

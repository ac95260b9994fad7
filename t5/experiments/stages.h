#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "t5/eval/evaluator.h"
#include "t5/experiments/run_config.h"
#include "t5/objectives/registry.h"
#include "t5/tasks/metrics.h"
#include "t5/tasks/registry.h"
#include "t5/text/vocabulary.h"
#include "t5/train/trainer.h"

namespace t5 {

// The registries and data folder a run reads: built-in tasks and mixtures,
// the run's task folders, metrics and objectives.
struct RunContext {
  RunContext(const RunConfig& config, const Logger& logger);

  TaskRegistry tasks;
  MixtureRegistry mixtures;
  MetricRegistry metrics;
  ObjectiveRegistry objectives;
  DataOptions data;
  const Logger& logger;
};

// Checks what a run will need before any work starts: its tasks, corpus
// and objective exist, their splits open and hold examples, the vocabulary
// file (unless trained) and model folders exist. Throws t5::Error naming
// `where` and the key.
void check_run(const RunConfig& config, const RunContext& context, const std::string& where);

// The vocabulary file of a run: config.vocabulary.path (relative to the
// data folder unless absolute), or `trained_dir`/spiece.model when the
// config trains one (trained there first if missing).
std::filesystem::path prepare_vocabulary(const RunConfig& config, const RunContext& context,
                                         const std::filesystem::path& trained_dir);

// A run's model: a copy of `from` (a model folder, or a run folder holding
// model/) when given, else a fresh preset with the config's overrides,
// vocab_size fitted to the vocabulary, initialised from `seed`.
T5Model make_model(const RunConfig& config, const SentencePieceVocabulary& vocabulary,
                   const std::filesystem::path& from, uint64_t seed);

// The model folder inside a model or run folder: `folder`/model when it
// holds one, else `folder` itself.
std::filesystem::path model_folder(const std::filesystem::path& folder);

// Pretrains into `out`: run_config.json, metrics.jsonl, checkpoints/, and
// model/ (config.json, model.safetensors, spiece.model) at the end. With
// the objective "none" model/ holds the seeded fresh model, untrained.
// Resumes from out's checkpoints when present.
TrainResult run_pretraining(const RunConfig& config, const RunContext& context,
                            const std::filesystem::path& vocabulary_file,
                            const std::filesystem::path& out);

// Fine-tunes on `task` (a task or mixture) into `out`, starting from
// `init` (a model or run folder; empty: fresh), evaluating every
// finetune.eval_every steps: run_config.json, metrics.jsonl, checkpoints/,
// model/ (the best checkpoint's), predictions/<task>.jsonl (of the best
// evaluation) and scores.json {"task", "step", "metrics", ...}.
TrainResult run_finetuning(const RunConfig& config, const RunContext& context,
                           const std::string& task, const std::filesystem::path& vocabulary_file,
                           const std::filesystem::path& init, const std::filesystem::path& out);

// The vocabulary beside a model (model_folder(folder)/spiece.model) when
// there is one, else prepare_vocabulary's.
std::filesystem::path vocabulary_for_model(const RunConfig& config, const RunContext& context,
                                           const std::filesystem::path& folder);

// Scores the model of `model_dir` on each task with config.eval; writes
// predictions/<task>.jsonl and metrics.json under `out` when it is not
// empty.
std::vector<TaskEvaluation> run_evaluation(const RunConfig& config, const RunContext& context,
                                           const std::vector<std::string>& tasks,
                                           const std::filesystem::path& vocabulary_file,
                                           const std::filesystem::path& model_dir,
                                           const std::filesystem::path& out);

// The tasks a fine-tuning task or mixture is scored on: the task itself, or
// a mixture's members that have metrics.
std::vector<std::string> evaluation_tasks(const RunContext& context, const std::string& name);

}  // namespace t5

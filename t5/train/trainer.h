#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "t5/model/t5_model.h"
#include "t5/train/loader.h"
#include "t5/train/optimizer.h"
#include "t5/train/schedule.h"
#include "t5/train/train_step.h"
#include "t5/util/json.h"
#include "t5/util/log.h"

namespace t5 {

// What to do when a step's loss or gradient is NaN or infinite.
enum class OnNonFinite {
  kStop,  // save nothing more, stop with an error naming the step
  kSkip,  // drop the batch, count it, go on
};

// The budget, optimisation and bookkeeping of one training run. The data
// side (task, lengths, batch size, packing) is the Loader's.
struct TrainerOptions {
  /// Optimizer steps to take; 0 = until the loader's epochs are done.
  int64_t steps = 1000;
  /// Micro-batches whose gradients make one step (gradient accumulation).
  int64_t accumulation = 1;
  OptimizerOptions optimizer;
  ScheduleOptions schedule;
  /// Global gradient-norm clip; 0 = none.
  double max_grad_norm = 0.0;
  LossOptions loss;
  /// Forward and backward precision; master weights stay float32.
  Precision precision = Precision::kFloat32;
  /// Log a line (and a metrics.jsonl record) every this many steps.
  int64_t log_every = 50;
  /// Save a checkpoint every this many steps (and always at the end); 0 =
  /// at the end only.
  int64_t checkpoint_every = 500;
  /// Checkpoints kept besides the best one.
  int64_t keep_checkpoints = 2;
  /// Evaluate every this many steps (and at the end); 0 = at the end only.
  /// Needs an evaluate hook.
  int64_t eval_every = 0;
  /// Stop after this many evaluations without a better score; 0 = never.
  int64_t early_stopping_patience = 0;
  OnNonFinite on_non_finite = OnNonFinite::kStop;
  /// Seed of dropout (reseeded every step from it, so a resumed run draws
  /// the same masks).
  uint64_t seed = 0;

  static TrainerOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
  void validate(const std::string& where) const;
};

// One task's scores at one evaluation.
struct TaskScores {
  std::string task;
  std::map<std::string, double> metrics;
};

// The score that ranks checkpoints: the mean over tasks of each task's mean
// metric (the paper's averaging); nothing without metrics.
std::optional<double> selection_score(const std::vector<TaskScores>& scores);

struct TrainerHooks {
  /// Scores the model (in whatever mode it is; the hook sets eval mode and
  /// restores it) at `step`.
  std::function<std::vector<TaskScores>(int64_t step)> evaluate;
};

struct TrainResult {
  int64_t steps = 0;
  /// Mean cross-entropy per target token of the last logging window.
  double final_loss = 0.0;
  int64_t skipped_batches = 0;
  bool stopped_early = false;
  /// Stopped by SIGINT or SIGTERM after saving a checkpoint.
  bool interrupted = false;
  int signal = 0;
  /// The best evaluation (by selection_score) and its step, if any.
  int64_t best_step = 0;
  std::vector<TaskScores> best_scores;
  /// The checkpoint folder of the best evaluation, else of the last step.
  std::filesystem::path best_checkpoint;
  std::filesystem::path last_checkpoint;
  double seconds = 0.0;
  BatchStats data;
};

// Trains `model` on `loader`'s batches in `out_dir`:
//   checkpoints/step_<N>/  model, optimizer and state (TrainingState)
//   metrics.jsonl          {"event": "train", "step", "loss", ...} every
//                          log_every steps; {"event": "eval", "step",
//                          "task", "metrics": {...}} per evaluated task
// Resumes from the newest whole checkpoint in out_dir when there is one:
// the loader is put back to its position and dropout reseeded per step, so
// the losses equal an uninterrupted run's (single-threaded; several threads
// may reorder float sums). metrics.jsonl lines past the checkpoint are
// dropped. SIGINT and SIGTERM save a checkpoint and return with
// `interrupted`. `run_config` is stored in every checkpoint.
TrainResult train(T5ModelImpl& model, Loader& loader, const TrainerOptions& options,
                  const std::filesystem::path& out_dir, const TrainerHooks& hooks,
                  const Json& run_config, const Logger& logger);

}  // namespace t5

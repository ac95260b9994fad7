#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "t5/experiments/plan.h"
#include "t5/experiments/sweep.h"
#include "t5/util/json.h"
#include "t5/util/log.h"

namespace t5 {

// What the sweep runner calls to check and run the training stages; the app
// wires these to pretraining, fine-tuning and evaluation.
struct SweepHooks {
  // Checks one point's resolved run config before any work starts (unknown
  // keys, unknown tasks and objectives, missing data); throws t5::Error
  // naming `where`. May be empty (no checks beyond the runner's own).
  std::function<void(const Json& config, const std::string& where)> check_config;
  // Runs a stage to completion; must resume from whatever it left in
  // stage.dir if it was killed before. Throws on failure. Required.
  //
  // Contract for the results: a finetune stage writes <dir>/scores.json,
  // {"task": "glue_sst2", "step": 300, "metrics": {"accuracy": 91.2}} (the
  // best validation checkpoint's metrics), and every stage may append
  // <dir>/metrics.jsonl lines: {"event": "train", "step": N, "loss": x} and
  // {"event": "eval", "step": N, "task": "glue_sst2", "metrics": {...}}.
  std::function<void(const Stage& stage)> run_stage;
};

struct SweepRunOptions {
  /// How long a worker sleeps before looking again at stages that other
  /// workers hold or that wait for them; default 1 s.
  std::chrono::milliseconds poll_interval{1000};
  /// Progress lines go here; default (null) default_logger().
  const Logger* logger = nullptr;
};

struct SweepRunSummary {
  /// Stages in the plan.
  size_t stages = 0;
  /// Stages this call ran.
  size_t ran = 0;
  /// Stages found finished (by an earlier run or another worker).
  size_t skipped = 0;
};

// Checks every point of the plan with hooks.check_config, naming the sweep
// file and point in `where`; the first error is thrown and nothing runs.
void check_sweep(const SweepPlan& plan, const SweepHooks& hooks, const std::string& origin);

// Plans and checks the whole sweep (nothing runs when a point is bad), writes
// <out>/sweep.json and <out>/points/<id>/point.json, then runs every stage in
// dependency order. A stage is:
//   - skipped when <dir>/done.json exists (written atomically after
//     run_stage returns, with the wall seconds it took);
//   - claimed with a non-blocking flock on <dir>/lock, so several workers
//     (threads or processes, on one machine or on a shared file system)
//     share a sweep; a stage another worker holds is left for later, and a
//     stage whose inputs another worker is making waits for them. The kernel
//     drops the lock of a killed worker, so its stage is taken over.
//   - recorded in <dir>/attempts.jsonl (pid, host, time) each time it starts.
// Returns when every stage is done. Throws the first error of check_config
// or run_stage, naming the stage; finished stages stay finished.
SweepRunSummary run_sweep(const SweepSpec& spec, const std::filesystem::path& out_dir,
                          const SweepHooks& hooks, const SweepRunOptions& options = {});

// True when the stage's <dir>/done.json exists.
bool stage_done(const Stage& stage);

// The output folder of a sweep when --out is not given: runs/<name>.
std::filesystem::path default_sweep_dir(const SweepSpec& spec);

}  // namespace t5

#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "t5/model/t5_model.h"
#include "t5/train/optimizer.h"
#include "t5/util/json.h"
#include "t5/util/log.h"

namespace t5 {

// A training checkpoint folder, checkpoints/step_<N>/:
//   config.json, model.safetensors  the model (Hugging Face layout)
//   optimizer.safetensors           the optimizer state
//   state.json                      step, data position, seeds, run config
// It is written into a temporary folder and renamed into place, so a
// folder that exists is complete; state.json is written last.
struct TrainingState {
  int64_t step = 0;
  /// The batch source's position (opaque to the trainer).
  Json data_position;
  /// The resolved run configuration, for the record.
  Json run_config;
  /// Anything else worth keeping (best metric so far, ...).
  Json extra;
};

// The folder of the checkpoint of `step`: `checkpoints_dir`/step_<step, 9
// digits>.
std::filesystem::path checkpoint_folder(const std::filesystem::path& checkpoints_dir, int64_t step);

// Saves model, optimizer and state in checkpoint_folder(..., state.step).
std::filesystem::path save_checkpoint(const std::filesystem::path& checkpoints_dir,
                                      const T5ModelImpl& model, const Optimizer& optimizer,
                                      const TrainingState& state);

// The checkpoint folders under `checkpoints_dir`, oldest first.
std::vector<std::filesystem::path> list_checkpoints(const std::filesystem::path& checkpoints_dir);

// Loads the newest checkpoint that reads back whole into `model` and
// `optimizer`; a damaged one (missing or unreadable file) is skipped with a
// warning naming it and the reason. Returns nothing when there is none.
std::optional<TrainingState> restore_latest_checkpoint(const std::filesystem::path& checkpoints_dir,
                                                       T5ModelImpl& model, Optimizer& optimizer,
                                                       const Logger& logger);

// Removes all but the newest `keep` checkpoints, sparing `protect` (the best).
void prune_checkpoints(const std::filesystem::path& checkpoints_dir, int64_t keep,
                       const std::filesystem::path& protect = {});

}  // namespace t5

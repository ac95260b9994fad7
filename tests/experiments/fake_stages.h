#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "t5/experiments/runner.h"
#include "t5/util/json.h"

namespace t5::testing {

// A small run config in the shape the training stages read; the fake hooks
// below treat it as opaque JSON like the runner does.
Json fake_run_config();

// A sweep file over fake_run_config(): objective x 2 with labels, a
// finetune.steps axis, seeds [0, 1].
Json fake_sweep_json();

// Stand-ins for the training stages: each run is recorded, and a finetune
// stage writes scores.json and metrics.jsonl lines whose values follow from
// its config, the way the real stages' outputs would. Safe to call from
// several threads.
class FakeStages {
 public:
  // The hooks; run_stage throws once on call number `crash_on_call` (1-based,
  // counted over this object's life), as a crashing stage would, when set.
  SweepHooks hooks();

  void crash_on_call(size_t call) { crash_on_call_ = call; }
  // Each run_stage call sleeps this long first (lets workers overlap).
  void set_delay(std::chrono::milliseconds delay) { delay_ = delay; }
  // Stage ids in the order they ran.
  std::vector<std::string> runs() const;
  size_t checks() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> runs_;
  size_t calls_ = 0;
  size_t checks_ = 0;
  size_t crash_on_call_ = 0;
  std::chrono::milliseconds delay_{0};
};

// The lines of <dir>/attempts.jsonl (0 when the stage never started).
size_t attempts(const std::filesystem::path& stage_dir);

}  // namespace t5::testing

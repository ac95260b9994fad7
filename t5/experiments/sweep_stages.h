#pragma once

#include "t5/experiments/runner.h"
#include "t5/util/log.h"

namespace t5 {

// The sweep hooks that run real work: check_config resolves a point's run
// config and checks it with check_run; run_stage trains the vocabulary,
// pretrains (objective "none": writes the seeded fresh model) or fine-tunes
// and evaluates, resuming from the stage folder's checkpoints. A stage
// stopped by SIGINT or SIGTERM throws, so it is not marked done.
SweepHooks training_sweep_hooks(const Logger& logger);

}  // namespace t5

#pragma once

#include <filesystem>
#include <string>

#include "t5/experiments/plan.h"
#include "t5/experiments/sweep.h"
#include "t5/util/log.h"

namespace t5 {

// Rebuilds a sweep's report from what its stages have written so far (runs
// nothing): <out>/report/results.md, results.csv, pretrain_loss.svg and
// <task>_<metric>.svg, each written atomically. Returns the Markdown table.
std::string write_report(const SweepSpec& spec, const SweepPlan& plan, const Logger& log);

}  // namespace t5

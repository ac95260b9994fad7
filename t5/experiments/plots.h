#pragma once

#include <string>
#include <utility>
#include <vector>

#include "t5/experiments/plan.h"
#include "t5/experiments/sweep.h"
#include "t5/util/log.h"

namespace t5 {

// One line of a chart: (x, y) points in increasing x.
struct PlotSeries {
  std::string label;
  std::vector<std::pair<double, double>> points;
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<PlotSeries> series;
};

// A standalone SVG document: axes with about five round-numbered ticks each,
// one <polyline> per series (a one-point series also gets a dot), and a
// legend on the right. Text is XML-escaped.
std::string render_line_chart(const LineChart& chart);

// A chart of a sweep and the file it goes to under <out>/report/.
struct SweepChart {
  std::string file;
  LineChart chart;
};

// The learning curves of a sweep, one line per grid point, each the mean
// over the seeds that logged that step (points whose stages are all shared,
// e.g. along an axis that changes no stage, are drawn once and say so):
//   pretrain_loss.svg from pretrain stages' metrics.jsonl lines
//     {"event": "train", "step": N, "loss": x};
//   <task>_<metric>.svg from finetune stages' lines
//     {"event": "eval", "step": N, "task": "glue_sst2", "metrics": {...}}.
// Reads whatever the stages logged so far (finished or not). A line that is
// not such JSON (e.g. cut short by a kill) is skipped with a warning on `log`
// naming the file and line. Charts without data are left out.
std::vector<SweepChart> sweep_charts(const SweepSpec& spec, const SweepPlan& plan,
                                     const Logger& log);

}  // namespace t5

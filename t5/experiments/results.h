#pragma once

#include <optional>
#include <string>
#include <vector>

#include "t5/experiments/plan.h"
#include "t5/experiments/sweep.h"

namespace t5 {

// Mean and spread of one cell over the seeds that have a result.
struct CellStats {
  std::vector<double> values;

  size_t n() const { return values.size(); }
  double mean() const;
  // Sample standard deviation (n - 1 in the denominator); 0 when n < 2.
  double sd() const;
};

// A results table laid out like the paper's: one row per grid point (seeds
// pooled), one column per task metric, then "Average".
struct ResultsTable {
  std::string title;
  std::string description;
  // Header of the row-name column: the axis names joined by ", ".
  std::string row_header;
  // "SST-2 accuracy", ..., "Average".
  std::vector<std::string> columns;
  size_t seeds = 1;

  struct Row {
    std::string label;
    // Per axis: the point's label (empty for baselines).
    std::vector<std::string> axis_labels;
    std::vector<CellStats> cells;
    bool baseline = false;
  };
  std::vector<Row> rows;
  std::vector<std::string> axis_names;
};

// Gathers the finished finetune stages' <dir>/scores.json files,
// {"task": ..., "step": N, "metrics": {"name": value}}, into a table. The
// "Average" of a run is the mean over its tasks of each task's mean over its
// metrics (as GLUE's average counts a two-metric task once); a run lacking a
// task's scores has no average. Baselines from the sweep file follow the
// points. Unfinished stages leave their cells empty. Throws t5::Error naming
// the file when a scores.json is malformed.
ResultsTable collect_results(const SweepSpec& spec, const SweepPlan& plan);

// Markdown: cells "mean ± sd" (sd only with more than one seed, "(n=k)"
// when fewer seeds than planned finished), "-" for no result, the best point
// of each column in bold (higher is better, as for every metric T5 reports),
// baselines in italics and never bold.
std::string results_markdown(const ResultsTable& table);

// CSV: one column per axis, then mean, sd and n columns per table column;
// empty fields for no result.
std::string results_csv(const ResultsTable& table);

}  // namespace t5

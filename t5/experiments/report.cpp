#include "t5/experiments/report.h"

#include "t5/experiments/plots.h"
#include "t5/experiments/results.h"
#include "t5/util/files.h"

namespace t5 {

std::string write_report(const SweepSpec& spec, const SweepPlan& plan, const Logger& log) {
  std::filesystem::path dir = plan.out_dir / "report";
  ResultsTable table = collect_results(spec, plan);
  std::string markdown = results_markdown(table);
  write_text_atomically(dir / "results.md", markdown);
  write_text_atomically(dir / "results.csv", results_csv(table));
  std::vector<SweepChart> charts = sweep_charts(spec, plan, log);
  for (const auto& chart : charts) {
    write_text_atomically(dir / chart.file, render_line_chart(chart.chart));
  }
  log.info("report", "wrote results.md, results.csv and {} plots to {}", charts.size(),
           dir.string());
  return markdown;
}

}  // namespace t5

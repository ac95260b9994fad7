#include "t5/experiments/results.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include "t5/experiments/runner.h"
#include "t5/util/files.h"

namespace t5 {
namespace {

using TaskScores = std::map<std::string, double>;

// The tasks of the sweep, in the order points first list them.
std::vector<std::string> sweep_tasks(const SweepPlan& plan) {
  std::vector<std::string> tasks;
  for (const auto& stages : plan.point_stages) {
    for (const auto& entry : stages.finetune) {
      if (std::find(tasks.begin(), tasks.end(), entry.first) == tasks.end()) {
        tasks.push_back(entry.first);
      }
    }
  }
  return tasks;
}

std::optional<TaskScores> read_scores(const Stage& stage) {
  if (!stage_done(stage)) return std::nullopt;
  std::filesystem::path path = stage.dir / "scores.json";
  T5_CHECK(std::filesystem::exists(path),
           "{}: stage {} is done but wrote no scores.json; a finetune stage must write "
           "{{\"task\", \"step\", \"metrics\"}} there",
           path.string(), stage.id);
  Json json = read_json_file(path.string());
  T5_CHECK(json.is_object() && json.contains("metrics") && json["metrics"].is_object(),
           "{}: expected {{\"task\": ..., \"step\": N, \"metrics\": {{\"name\": number}}}}, got {}",
           path.string(), json.dump());
  TaskScores scores;
  for (auto it = json["metrics"].begin(); it != json["metrics"].end(); ++it) {
    T5_CHECK(it->is_number(), "{}: metrics.{}: expected a number, got {}", path.string(), it.key(),
             it->dump());
    scores[it.key()] = it->get<double>();
  }
  return scores;
}

double mean_of(const TaskScores& scores) {
  double sum = 0;
  for (const auto& [metric, value] : scores) sum += value;
  return sum / scores.size();
}

// The GLUE-style average over `tasks`, or nothing when one lacks scores.
std::optional<double> average(const std::vector<std::string>& tasks,
                              const std::map<std::string, TaskScores>& scores) {
  double sum = 0;
  for (const auto& task : tasks) {
    auto it = scores.find(task);
    if (it == scores.end() || it->second.empty()) return std::nullopt;
    sum += mean_of(it->second);
  }
  if (tasks.empty()) return std::nullopt;
  return sum / tasks.size();
}

struct Column {
  std::string task;
  std::string metric;
};

// One column per (task, metric) seen in any result or baseline; a task with
// no result yet gets one empty column so it still shows.
std::vector<Column> table_columns(const std::vector<std::string>& tasks,
                                  const std::vector<std::map<std::string, TaskScores>>& runs,
                                  const SweepSpec& spec) {
  std::vector<Column> columns;
  for (const auto& task : tasks) {
    std::set<std::string> metrics;
    for (const auto& run : runs) {
      auto it = run.find(task);
      if (it != run.end()) {
        for (const auto& entry : it->second) metrics.insert(entry.first);
      }
    }
    for (const auto& baseline : spec.baselines) {
      auto it = baseline.scores.find(task);
      if (it != baseline.scores.end()) {
        for (const auto& entry : it->second) metrics.insert(entry.first);
      }
    }
    if (metrics.empty()) metrics.insert("");
    for (const auto& metric : metrics) columns.push_back({task, metric});
  }
  return columns;
}

// Fills one row's cells from its runs (one map of task scores per seed).
std::vector<CellStats> row_cells(const std::vector<Column>& columns,
                                 const std::vector<std::map<std::string, TaskScores>>& runs,
                                 const std::vector<std::string>& average_tasks) {
  std::vector<CellStats> cells(columns.size() + 1);
  for (const auto& run : runs) {
    for (size_t c = 0; c < columns.size(); ++c) {
      auto task = run.find(columns[c].task);
      if (task == run.end()) continue;
      auto metric = task->second.find(columns[c].metric);
      if (metric != task->second.end()) cells[c].values.push_back(metric->second);
    }
    if (auto avg = average(average_tasks, run)) cells.back().values.push_back(*avg);
  }
  return cells;
}

std::string format_number(double value) { return fmt::format("{:.2f}", value); }

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (size_t i = 0; i < parts.size(); ++i) text += (i ? separator : "") + parts[i];
  return text;
}

}  // namespace

double CellStats::mean() const {
  return values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / n();
}

double CellStats::sd() const {
  if (n() < 2) return 0.0;
  double m = mean();
  double squares = 0;
  for (double v : values) squares += (v - m) * (v - m);
  return std::sqrt(squares / (n() - 1));
}

ResultsTable collect_results(const SweepSpec& spec, const SweepPlan& plan) {
  // Every run's scores: run p -> task -> metric -> value.
  std::vector<std::map<std::string, TaskScores>> runs(plan.points.size());
  for (size_t p = 0; p < plan.points.size(); ++p) {
    for (const auto& [task, s] : plan.point_stages[p].finetune) {
      if (auto scores = read_scores(plan.stages[s].stage)) runs[p][task] = *scores;
    }
  }

  std::vector<std::string> tasks = sweep_tasks(plan);
  std::vector<Column> columns = table_columns(tasks, runs, spec);
  ResultsTable table;
  table.title = spec.name;
  table.description = spec.description;
  table.seeds = spec.seeds.size();
  for (const auto& axis : spec.axes) table.axis_names.push_back(axis.name);
  table.row_header = table.axis_names.empty() ? "point" : joined(table.axis_names, ", ");
  for (const auto& column : columns) {
    auto label = spec.task_labels.find(column.task);
    std::string task = label == spec.task_labels.end() ? column.task : label->second;
    table.columns.push_back(column.metric.empty() ? task : task + " " + column.metric);
  }
  table.columns.push_back("Average");

  // Points are grid-major: the seeds of one grid point are neighbours.
  for (size_t first = 0; first < plan.points.size(); first += spec.seeds.size()) {
    std::vector<std::map<std::string, TaskScores>> seeds(runs.begin() + first,
                                                         runs.begin() + first + spec.seeds.size());
    std::vector<std::string> point_tasks;
    for (const auto& entry : plan.point_stages[first].finetune) point_tasks.push_back(entry.first);
    const SweepPoint& point = plan.points[first];
    table.rows.push_back({point.row_label(), point.labels, row_cells(columns, seeds, point_tasks),
                          /*baseline=*/false});
  }
  for (const auto& baseline : spec.baselines) {
    std::map<std::string, TaskScores> scores(baseline.scores.begin(), baseline.scores.end());
    table.rows.push_back({baseline.label,
                          {},
                          row_cells(columns, {scores}, tasks),
                          /*baseline=*/true});
  }
  return table;
}

std::string results_markdown(const ResultsTable& table) {
  // The best mean of each column among the points, as printed.
  std::vector<std::optional<double>> best(table.columns.size());
  std::vector<size_t> filled(table.columns.size(), 0);
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < row.cells.size(); ++c) {
      if (row.baseline || row.cells[c].n() == 0) continue;
      ++filled[c];
      if (!best[c] || row.cells[c].mean() > *best[c]) best[c] = row.cells[c].mean();
    }
  }

  std::string text = fmt::format("# {}\n\n", table.title);
  if (!table.description.empty()) text += table.description + "\n\n";
  text += fmt::format(
      "Mean{} over {} seed{} per point; best point per column in **bold**; - = no result yet.\n\n",
      table.seeds > 1 ? " ± sample sd" : "", table.seeds, table.seeds > 1 ? "s" : "");
  text += "| " + table.row_header + " | " + joined(table.columns, " | ") + " |\n";
  text += "|---|";
  for (size_t c = 0; c < table.columns.size(); ++c) text += "---:|";
  text += "\n";
  for (const auto& row : table.rows) {
    text += row.baseline ? "| *" + row.label + "* |" : "| " + row.label + " |";
    for (size_t c = 0; c < row.cells.size(); ++c) {
      const CellStats& cell = row.cells[c];
      std::string value = cell.n() == 0 ? "-" : format_number(cell.mean());
      if (cell.n() > 1) value += " ± " + format_number(cell.sd());
      bool is_best = !row.baseline && cell.n() > 0 && filled[c] > 1 &&
                     format_number(cell.mean()) == format_number(*best[c]);
      if (is_best) value = "**" + value + "**";
      if (!row.baseline && cell.n() > 0 && cell.n() < table.seeds) {
        value += fmt::format(" (n={})", cell.n());
      }
      text += " " + value + " |";
    }
    text += "\n";
  }
  return text;
}

std::string results_csv(const ResultsTable& table) {
  std::vector<std::string> header = {"row", "kind"};
  for (const auto& name : table.axis_names) header.push_back(csv_field(name));
  for (const auto& column : table.columns) {
    for (const char* part : {" mean", " sd", " n"}) header.push_back(csv_field(column + part));
  }
  std::string text = joined(header, ",") + "\n";
  for (const auto& row : table.rows) {
    std::vector<std::string> fields = {csv_field(row.label), row.baseline ? "baseline" : "point"};
    for (size_t a = 0; a < table.axis_names.size(); ++a) {
      fields.push_back(a < row.axis_labels.size() ? csv_field(row.axis_labels[a]) : "");
    }
    for (const auto& cell : row.cells) {
      fields.push_back(cell.n() ? fmt::format("{}", cell.mean()) : "");
      fields.push_back(cell.n() > 1 ? fmt::format("{}", cell.sd()) : "");
      fields.push_back(std::to_string(cell.n()));
    }
    text += joined(fields, ",") + "\n";
  }
  return text;
}

}  // namespace t5

#include "t5/experiments/plots.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>

namespace t5 {
namespace {

// Ten distinguishable colours (the common "category 10" palette).
constexpr const char* kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                   "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

struct Frame {
  double width = 880, height = 440;
  double left = 72, right = 560, top = 44, bottom = 384;
};

std::string xml_escape(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&apos;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

// Round tick positions covering [low, high]: steps of 1, 2 or 5 x 10^k.
std::vector<double> ticks(double low, double high) {
  double raw = (high - low) / 5;
  double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * magnitude;
    if (step >= raw) break;
  }
  std::vector<double> result;
  for (double t = std::ceil(low / step) * step; t <= high + step * 1e-9; t += step) {
    result.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  }
  return result;
}

struct Range {
  double low = 0, high = 1;
};

// The data range of one coordinate, widened when all values are equal.
Range data_range(const LineChart& chart, bool y) {
  double low = INFINITY, high = -INFINITY;
  for (const auto& series : chart.series) {
    for (const auto& [px, py] : series.points) {
      low = std::min(low, y ? py : px);
      high = std::max(high, y ? py : px);
    }
  }
  if (!std::isfinite(low)) return {};
  if (high - low < 1e-12) return {low - 1, high + 1};
  if (y) {
    double pad = (high - low) * 0.05;
    return {low - pad, high + pad};
  }
  return {low, high};
}

std::string axes_svg(const Frame& f, Range x, Range y, const LineChart& chart) {
  std::string s = fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#444\"/>\n",
      f.left, f.top, f.right - f.left, f.bottom - f.top);
  for (double t : ticks(x.low, x.high)) {
    double px = f.left + (t - x.low) / (x.high - x.low) * (f.right - f.left);
    s += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#444\"/>"
        "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4:g}</text>\n",
        px, f.bottom, f.bottom + 5, f.bottom + 19, t);
  }
  for (double t : ticks(y.low, y.high)) {
    double py = f.bottom - (t - y.low) / (y.high - y.low) * (f.bottom - f.top);
    s += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#ddd\"/>"
        "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5:g}</text>\n",
        f.left, py, f.right, f.left - 6, py + 4, t);
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                   (f.left + f.right) / 2, f.bottom + 40, xml_escape(chart.x_label));
  s += fmt::format(
      "<text x=\"18\" y=\"{0}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {0})\">{1}"
      "</text>\n",
      (f.top + f.bottom) / 2, xml_escape(chart.y_label));
  s += fmt::format("<text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">{}</text>\n",
                   f.width / 2, xml_escape(chart.title));
  return s;
}

std::string series_svg(const Frame& f, Range x, Range y, const PlotSeries& series, size_t index) {
  const char* color = kColors[index % std::size(kColors)];
  std::string coordinates;
  for (const auto& [px, py] : series.points) {
    double sx = f.left + (px - x.low) / (x.high - x.low) * (f.right - f.left);
    double sy = f.bottom - (py - y.low) / (y.high - y.low) * (f.bottom - f.top);
    coordinates += fmt::format("{}{:.1f},{:.1f}", coordinates.empty() ? "" : " ", sx, sy);
  }
  std::string s =
      fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\"/>\n",
                  color, coordinates);
  // A single point draws no line; a dot shows it.
  if (series.points.size() == 1) {
    auto [px, py] = series.points[0];
    s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n",
                     f.left + (px - x.low) / (x.high - x.low) * (f.right - f.left),
                     f.bottom - (py - y.low) / (y.high - y.low) * (f.bottom - f.top), color);
  }
  double ly = f.top + 8 + 18 * index;
  s += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"2\"/>"
      "<text x=\"{4}\" y=\"{5}\">{6}</text>\n",
      f.right + 14, ly, f.right + 34, color, f.right + 40, ly + 4, xml_escape(series.label));
  return s;
}

// step -> values logged at that step, one per seed.
using Curve = std::map<double, std::vector<double>>;

PlotSeries mean_series(const std::string& label, const Curve& curve) {
  PlotSeries series{label, {}};
  for (const auto& [step, values] : curve) {
    double sum = 0;
    for (double v : values) sum += v;
    series.points.emplace_back(step, sum / values.size());
  }
  return series;
}

// Calls `use` for every well-formed JSON object line of a metrics.jsonl.
template <typename Use>
void read_metrics(const std::filesystem::path& path, const Logger& log, Use use) {
  std::ifstream in(path);
  std::string line;
  size_t number = 0, bad = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    Json record = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded() || !record.is_object() || !record.contains("step") ||
        !record["step"].is_number()) {
      if (bad++ == 0) {
        log.warn("report", "{}:{}: skipped a line that is not a metrics record", path.string(),
                 number);
      }
      continue;
    }
    use(record);
  }
  if (bad > 1) log.warn("report", "{}: skipped {} such lines in all", path.string(), bad);
}

// Groups the grid points whose given stages are the same, so a shared curve
// is drawn once; returns (first grid point, label) per group.
std::vector<std::pair<size_t, std::string>> curve_groups(
    const SweepPlan& plan, size_t seeds, const std::function<std::string(size_t)>& key) {
  std::map<std::string, size_t> seen;
  std::vector<std::pair<size_t, std::string>> groups;
  std::vector<size_t> sizes;
  for (size_t first = 0; first < plan.points.size(); first += seeds) {
    std::string k;
    for (size_t p = first; p < first + seeds; ++p) k += key(p) + " ";
    auto [it, fresh] = seen.emplace(k, groups.size());
    if (fresh) {
      groups.emplace_back(first, plan.points[first].row_label());
      sizes.push_back(1);
    } else {
      ++sizes[it->second];
    }
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    if (sizes[g] > 1) groups[g].second += fmt::format(" (+{} sharing it)", sizes[g] - 1);
  }
  return groups;
}

std::string seeds_note(size_t seeds) {
  return seeds > 1 ? fmt::format(" (mean over {} seeds)", seeds) : "";
}

std::string file_part(const std::string& text) {
  std::string safe;
  for (char c : text) safe += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
  return safe;
}

SweepChart pretrain_chart(const SweepSpec& spec, const SweepPlan& plan, const Logger& log) {
  size_t seeds = spec.seeds.size();
  LineChart chart{"Pretraining loss" + seeds_note(seeds), "step", "loss", {}};
  auto key = [&](size_t p) { return plan.stages[plan.point_stages[p].pretrain].stage.id; };
  for (const auto& [first, label] : curve_groups(plan, seeds, key)) {
    Curve curve;
    for (size_t p = first; p < first + seeds; ++p) {
      const Stage& stage = plan.stages[plan.point_stages[p].pretrain].stage;
      read_metrics(stage.dir / "metrics.jsonl", log, [&](const Json& record) {
        if (record.value("event", "") == "train" && record.contains("loss") &&
            record["loss"].is_number()) {
          curve[record["step"].get<double>()].push_back(record["loss"].get<double>());
        }
      });
    }
    if (!curve.empty()) chart.series.push_back(mean_series(label, curve));
  }
  return {"pretrain_loss.svg", chart};
}

std::vector<SweepChart> finetune_charts(const SweepSpec& spec, const SweepPlan& plan,
                                        const Logger& log) {
  size_t seeds = spec.seeds.size();
  auto key = [&](size_t p) {
    std::string ids;
    for (const auto& entry : plan.point_stages[p].finetune)
      ids += plan.stages[entry.second].stage.id;
    return ids;
  };
  // (task, metric) -> one series per grid point group.
  std::map<std::pair<std::string, std::string>, std::vector<PlotSeries>> by_metric;
  for (const auto& [first, label] : curve_groups(plan, seeds, key)) {
    std::map<std::pair<std::string, std::string>, Curve> curves;
    for (size_t p = first; p < first + seeds; ++p) {
      for (const auto& [task, s] : plan.point_stages[p].finetune) {
        const Stage& stage = plan.stages[s].stage;
        read_metrics(stage.dir / "metrics.jsonl", log, [&](const Json& record) {
          if (record.value("event", "") != "eval" || !record.contains("metrics") ||
              !record["metrics"].is_object()) {
            return;
          }
          std::string name = record.value("task", task);
          for (auto it = record["metrics"].begin(); it != record["metrics"].end(); ++it) {
            if (!it->is_number()) continue;
            curves[{name, it.key()}][record["step"].get<double>()].push_back(it->get<double>());
          }
        });
      }
    }
    for (const auto& [metric, curve] : curves) {
      by_metric[metric].push_back(mean_series(label, curve));
    }
  }

  std::vector<SweepChart> charts;
  for (auto& [metric, series] : by_metric) {
    auto label = spec.task_labels.find(metric.first);
    std::string task = label == spec.task_labels.end() ? metric.first : label->second;
    LineChart chart{task + " " + metric.second + " while fine-tuning" + seeds_note(seeds), "step",
                    metric.second, std::move(series)};
    charts.push_back({file_part(metric.first) + "_" + file_part(metric.second) + ".svg", chart});
  }
  return charts;
}

}  // namespace

std::string render_line_chart(const LineChart& chart) {
  Frame f;
  Range x = data_range(chart, /*y=*/false);
  Range y = data_range(chart, /*y=*/true);
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} "
      "{1}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      f.width, f.height);
  svg += axes_svg(f, x, y, chart);
  for (size_t i = 0; i < chart.series.size(); ++i) {
    svg += series_svg(f, x, y, chart.series[i], i);
  }
  return svg + "</svg>\n";
}

std::vector<SweepChart> sweep_charts(const SweepSpec& spec, const SweepPlan& plan,
                                     const Logger& log) {
  std::vector<SweepChart> charts;
  SweepChart pretrain = pretrain_chart(spec, plan, log);
  if (!pretrain.chart.series.empty()) charts.push_back(std::move(pretrain));
  for (auto& chart : finetune_charts(spec, plan, log)) charts.push_back(std::move(chart));
  return charts;
}

}  // namespace t5

#include "t5/tasks/metrics.h"

#include <fmt/format.h>

#include <utility>

#include "t5/tasks/bleu.h"
#include "t5/tasks/classification_metrics.h"
#include "t5/tasks/correlation_metrics.h"
#include "t5/tasks/registry.h"
#include "t5/tasks/rouge.h"
#include "t5/tasks/squad_metrics.h"
#include "t5/util/error.h"
#include "t5/util/names.h"

namespace t5 {

void MetricRegistry::add(const std::string& name, MetricFn fn) {
  T5_CHECK(!name.empty(), "metric registry: a metric needs a non-empty name");
  T5_CHECK(fn != nullptr, "metric registry: metric '{}' was given no function", name);
  T5_CHECK(metrics_.count(name) == 0,
           "metric registry: metric '{}' is already registered; pick another name", name);
  metrics_.emplace(name, std::move(fn));
}

const MetricFn& MetricRegistry::get(const std::string& name) const {
  auto it = metrics_.find(name);
  if (it == metrics_.end()) {
    auto known = names();
    fail("unknown metric '{}'{}; known metrics: {}", name, did_you_mean(name, known),
         fmt::join(known, ", "));
  }
  return it->second;
}

std::vector<std::string> MetricRegistry::names() const {
  std::vector<std::string> result;
  result.reserve(metrics_.size());
  for (const auto& entry : metrics_) result.push_back(entry.first);
  return result;
}

bool MetricRegistry::contains(const std::string& name) const { return metrics_.count(name) > 0; }

void register_builtin_metrics(MetricRegistry& registry) {
  registry.add("accuracy", accuracy_metric);
  registry.add("f1", f1_metric);
  registry.add("f1_macro", f1_macro_metric);
  registry.add("matthews_corrcoef", matthews_corrcoef_metric);
  registry.add("pearson", pearson_metric);
  registry.add("spearman", spearman_metric);
  registry.add("squad", squad_metric);
  registry.add("record", record_metric);
  registry.add("multirc", multirc_metric);
  registry.add("bleu", bleu_metric);
  registry.add("rouge", rouge_metric);
}

double benchmark_average(const std::vector<MetricScores>& per_task) {
  T5_CHECK(!per_task.empty(),
           "benchmark average: expected the scores of at least one task, got none");
  double total = 0.0;
  for (size_t task = 0; task < per_task.size(); ++task) {
    const auto& scores = per_task[task];
    T5_CHECK(!scores.empty(),
             "benchmark average: task {} of {} has no scores; give each task the metrics that "
             "count towards the average",
             task + 1, per_task.size());
    double task_total = 0.0;
    for (const auto& entry : scores) task_total += entry.second;
    total += task_total / static_cast<double>(scores.size());
  }
  return total / static_cast<double>(per_task.size());
}

void check_metric_inputs(const MetricInputs& inputs, const std::string& metric) {
  T5_CHECK(inputs.predictions.size() == inputs.references.size(),
           "metric {}: got {} predictions but {} reference lists; give one reference list per "
           "prediction",
           metric, inputs.predictions.size(), inputs.references.size());
  T5_CHECK(!inputs.predictions.empty(), "metric {}: got no examples; score at least one prediction",
           metric);
  for (size_t i = 0; i < inputs.references.size(); ++i) {
    if (inputs.references[i].empty()) {
      fail_example(i + 1, "metric {}: example {} has no reference; give each example at least one",
                   metric, i + 1);
    }
  }
  T5_CHECK(inputs.groups.empty() || inputs.groups.size() == inputs.predictions.size(),
           "metric {}: got {} group ids for {} examples; give one group id per example or none",
           metric, inputs.groups.size(), inputs.predictions.size());
}

Json metric_options_object(const Json& options, const std::string& metric) {
  if (options.is_null()) return Json::object();
  T5_CHECK(options.is_object(), "metric {}: options must be a JSON object of key: value, got {}",
           metric, options.dump());
  return options;
}

void register_all_tasks(const std::string& tasks_dir, const MetricRegistry& metrics,
                        TaskRegistry& tasks, MixtureRegistry& mixtures) {
  TaskLoadOptions options;
  options.check_metric = metric_name_check(metrics.names());
  register_builtin_tasks(tasks, mixtures, options);
  auto folders = user_task_dirs(tasks_dir);
  if (!folders.empty()) load_task_folders(folders, tasks, mixtures, options);
}

}  // namespace t5

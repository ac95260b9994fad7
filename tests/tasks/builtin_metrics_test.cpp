#include <catch2/catch.hpp>

#include "t5/tasks/metrics.h"
#include "t5/tasks/registry.h"

TEST_CASE("every built-in task names metrics that exist and accept its options", "[tasks]") {
  t5::MetricRegistry metrics;
  t5::register_builtin_metrics(metrics);
  t5::TaskLoadOptions options;
  options.check_metric = t5::metric_name_check(metrics.names());
  t5::TaskRegistry tasks;
  t5::MixtureRegistry mixtures;
  t5::register_builtin_tasks(tasks, mixtures, options);

  // Two examples that agree with their references (label names where the
  // task has them): any option a metric refuses shows up as an error here,
  // before any data is read.
  for (const auto& name : tasks.list()) {
    const auto& spec = tasks.get(name).spec();
    t5::MetricInputs inputs;
    inputs.predictions = {"1.0", "2.0"};
    if (spec.label_names.size() >= 2) {
      inputs.predictions = {spec.label_names[0], spec.label_names[1]};
    }
    inputs.references = {{inputs.predictions[0]}, {inputs.predictions[1]}};
    inputs.groups = {"q1", "q2"};
    for (const auto& metric : spec.metrics) {
      INFO(name << ": " << metric.name << " " << metric.options.dump());
      CHECK_NOTHROW(metrics.get(metric.name)(inputs, metric.options));
    }
  }
}

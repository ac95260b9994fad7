#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "t5/util/error.h"
#include "t5/util/json.h"

namespace t5 {

// What a metric scores: the postprocessed predictions of one split and the
// references they are compared with, example by example.
struct MetricInputs {
  // One postprocessed prediction per example.
  std::vector<std::string> predictions;
  // One or more references per example (SQuAD and ReCoRD list every answer).
  std::vector<std::vector<std::string>> references;
  // Optional group id per example (MultiRC: the question); empty = no groups.
  std::vector<std::string> groups;
};

// A problem with the data of one example (an unparsable or unknown
// reference), thrown by metrics so that a caller that knows where the
// examples came from can name the file and line. `example` is 1-based.
class MetricExampleError : public Error {
 public:
  MetricExampleError(size_t example, const std::string& message)
      : Error(message), example_(example) {}

  size_t example() const { return example_; }

 private:
  size_t example_;
};

// Throws MetricExampleError for example `example` (1-based).
template <typename... Args>
[[noreturn]] void fail_example(size_t example, fmt::format_string<Args...> format, Args&&... args) {
  throw MetricExampleError(example, fmt::format(format, std::forward<Args>(args)...));
}

// Scores by key, e.g. {"accuracy": 91.2}. Values the paper reports as
// percentages (accuracy, F1, MCC, Pearson, Spearman, EM, BLEU, ROUGE) are
// reported x100.
using MetricScores = std::map<std::string, double>;

// A metric: inputs and a JSON object of options (null = no options) to scores.
// Throws MetricExampleError for bad data in one example and t5::Error for
// other inputs it cannot score or for unknown or ill-typed options, naming
// the example (1-based) or the option key.
using MetricFn = std::function<MetricScores(const MetricInputs&, const Json& options)>;

// Metrics by name. Registration is explicit (register_builtin_metrics).
class MetricRegistry {
 public:
  // Adds a metric; throws t5::Error when the name is empty or already taken.
  void add(const std::string& name, MetricFn fn);

  // The metric called `name`; throws t5::Error naming the near names and the
  // known ones when there is none.
  const MetricFn& get(const std::string& name) const;

  // All names, sorted.
  std::vector<std::string> names() const;

  bool contains(const std::string& name) const;

 private:
  std::map<std::string, MetricFn> metrics_;
};

// Adds the built-in metrics:
//   accuracy            {"accuracy"}: prediction equals one of its references
//   f1                  {"f1"}: binary F1 of option "positive" (required)
//   f1_macro            {"f1_macro"}: mean F1 over the label set (CB)
//   matthews_corrcoef   {"matthews_corrcoef"} (CoLA)
//   pearson, spearman   {"pearson"}, {"spearman"} (STS-B)
//   squad, record       {"em", "f1"}: SQuAD v1.1 normalisation, max over answers
//   multirc             {"f1a", "em"}: F1 over all answers, exact match per group
//   bleu                {"bleu"}: sacreBLEU corpus BLEU
//   rouge               {"rouge1", "rouge2", "rougeL", "rougeLsum"} F-measures
// Their options are documented beside each in classification_metrics.h,
// correlation_metrics.h, squad_metrics.h, bleu.h and rouge.h.
void register_builtin_metrics(MetricRegistry& registry);

class TaskRegistry;
class MixtureRegistry;

// Registers the built-in tasks and mixtures, then those of the user's spec
// folders (`tasks_dir`, else T5_TASKS_PATH), checking that every metric a
// spec names is one of `metrics`.
void register_all_tasks(const std::string& tasks_dir, const MetricRegistry& metrics,
                        TaskRegistry& tasks, MixtureRegistry& mixtures);

// A benchmark score the way the paper forms its GLUE and SuperGLUE averages:
// each task contributes the mean of its metric values (MRPC: F1 and accuracy
// count half each; STS-B: Pearson and Spearman; MultiRC: F1a and EM), and
// the benchmark is the unweighted mean over tasks. Throws t5::Error when the
// list is empty or a task has no scores; pass only the metrics that count
// (the caller leaves out, e.g., loss values).
double benchmark_average(const std::vector<MetricScores>& per_task);

// Checks what every metric needs: as many reference lists as predictions,
// at least one example, at least one reference per example, and groups
// either absent or one per example. `metric` names the metric in messages.
void check_metric_inputs(const MetricInputs& inputs, const std::string& metric);

// Options of a metric as a JSON object: null becomes {}, anything other than
// an object throws t5::Error naming the metric.
Json metric_options_object(const Json& options, const std::string& metric);

}  // namespace t5

#include "t5/tasks/classification_metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "t5/util/error.h"

namespace t5 {
namespace {

// Counts of one binary confusion matrix.
struct BinaryCounts {
  int64_t true_positive = 0;
  int64_t false_positive = 0;
  int64_t false_negative = 0;
};

double f1_from_counts(const BinaryCounts& counts) {
  int64_t denominator = 2 * counts.true_positive + counts.false_positive + counts.false_negative;
  if (denominator == 0) return 0.0;
  return 2.0 * static_cast<double>(counts.true_positive) / static_cast<double>(denominator);
}

const std::string& label_of(const MetricInputs& inputs, size_t example) {
  return inputs.references[example].front();
}

std::set<std::string> labels_seen(const MetricInputs& inputs) {
  std::set<std::string> labels;
  for (size_t i = 0; i < inputs.references.size(); ++i) labels.insert(label_of(inputs, i));
  return labels;
}

// Binary F1 where a prediction outside the label set counts as the opposite
// of its reference (T5's f1_score_with_invalid).
double binary_f1_with_invalid(const MetricInputs& inputs, const std::string& positive) {
  auto labels = labels_seen(inputs);
  BinaryCounts counts;
  for (size_t i = 0; i < inputs.predictions.size(); ++i) {
    const auto& prediction = inputs.predictions[i];
    bool truly_positive = label_of(inputs, i) == positive;
    bool valid = prediction == positive || labels.count(prediction) > 0;
    bool predicted_positive = valid ? prediction == positive : !truly_positive;
    if (predicted_positive && truly_positive) ++counts.true_positive;
    if (predicted_positive && !truly_positive) ++counts.false_positive;
    if (!predicted_positive && truly_positive) ++counts.false_negative;
  }
  return 100.0 * f1_from_counts(counts);
}

// A label given as an option. Numbers and booleans are read as their JSON
// text, so `--option positive=1` names the label "1".
std::string label_value(const Json& value, const std::string& metric, const std::string& key) {
  if (value.is_string()) return value.get<std::string>();
  T5_CHECK(value.is_number() || value.is_boolean(),
           "metric {}: option '{}' must be a label string, got {}", metric, key, value.dump());
  return value.dump();
}

// Reads option "positive" when present (the caller keeps `positive` as is
// otherwise).
void read_positive(const Json& object, JsonFields& fields, const std::string& metric,
                   std::string& positive) {
  fields.ignore({"positive"});
  if (object.contains("positive")) {
    positive = label_value(object.at("positive"), metric, "positive");
  }
}

std::string required_positive(const Json& options, const std::string& metric,
                              const std::string& example) {
  Json object = metric_options_object(options, metric);
  std::string positive;
  JsonFields fields(object, "metric " + metric + " options");
  read_positive(object, fields, metric, positive);
  fields.finish();
  T5_CHECK(!positive.empty(),
           "metric {}: option 'positive' is required: the label of the positive class, e.g. "
           "{{\"positive\": \"{}\"}} (t5 score: --option positive={})",
           metric, example, example);
  return positive;
}

// A non-empty JSON array of labels (see label_value).
std::vector<std::string> string_list(const Json& value, const std::string& metric,
                                     const std::string& key) {
  T5_CHECK(value.is_array() && !value.empty(),
           "metric {}: option '{}' must be a non-empty JSON array of label strings, e.g. "
           "[\"entailment\", \"neutral\"], got {}",
           metric, key, value.dump());
  std::vector<std::string> labels;
  for (const auto& item : value) labels.push_back(label_value(item, metric, key));
  return labels;
}

LabelSetOptions read_label_set_options(const Json& options, const std::string& metric,
                                       bool accepts_positive) {
  Json object = metric_options_object(options, metric);
  LabelSetOptions result;
  JsonFields fields(object, "metric " + metric + " options");
  fields.ignore({"labels"});
  if (object.contains("labels")) result.labels = string_list(object.at("labels"), metric, "labels");
  if (accepts_positive) read_positive(object, fields, metric, result.positive);
  fields.finish();
  return result;
}

// The label list: the option's, checked against the references, or the
// labels the references use.
std::vector<std::string> resolve_labels(const MetricInputs& inputs, const LabelSetOptions& options,
                                        const std::string& metric) {
  auto seen = labels_seen(inputs);
  if (options.labels.empty()) return {seen.begin(), seen.end()};
  std::set<std::string> declared(options.labels.begin(), options.labels.end());
  T5_CHECK(declared.size() == options.labels.size(),
           "metric {}: option 'labels' lists a label twice: {}; list each label once", metric,
           Json(options.labels).dump());
  for (size_t i = 0; i < inputs.references.size(); ++i) {
    if (declared.count(label_of(inputs, i)) == 0) {
      fail_example(i + 1,
                   "metric {}: the reference of example {} is '{}', which is not in option "
                   "'labels' {}; add it to the labels or fix the reference",
                   metric, i + 1, label_of(inputs, i), Json(options.labels).dump());
    }
  }
  return options.labels;
}

}  // namespace

MetricScores accuracy_metric(const MetricInputs& inputs, const Json& options) {
  check_metric_inputs(inputs, "accuracy");
  Json object = metric_options_object(options, "accuracy");
  JsonFields(object, "metric accuracy options").finish();
  size_t correct = 0;
  for (size_t i = 0; i < inputs.predictions.size(); ++i) {
    const auto& references = inputs.references[i];
    if (std::find(references.begin(), references.end(), inputs.predictions[i]) !=
        references.end()) {
      ++correct;
    }
  }
  return {{"accuracy", 100.0 * static_cast<double>(correct) / inputs.predictions.size()}};
}

MetricScores f1_metric(const MetricInputs& inputs, const Json& options) {
  check_metric_inputs(inputs, "f1");
  std::string positive = required_positive(options, "f1", "equivalent");
  return {{"f1", binary_f1_with_invalid(inputs, positive)}};
}

MetricScores f1_macro_metric(const MetricInputs& inputs, const Json& options) {
  check_metric_inputs(inputs, "f1_macro");
  auto labels = resolve_labels(
      inputs, read_label_set_options(options, "f1_macro", /*accepts_positive=*/false), "f1_macro");
  double total = 0.0;
  for (const auto& label : labels) {
    BinaryCounts counts;
    for (size_t i = 0; i < inputs.predictions.size(); ++i) {
      bool predicted = inputs.predictions[i] == label;
      bool truly = label_of(inputs, i) == label;
      if (predicted && truly) ++counts.true_positive;
      if (predicted && !truly) ++counts.false_positive;
      if (!predicted && truly) ++counts.false_negative;
    }
    total += f1_from_counts(counts);
  }
  return {{"f1_macro", 100.0 * total / static_cast<double>(labels.size())}};
}

MetricScores matthews_corrcoef_metric(const MetricInputs& inputs, const Json& options) {
  const std::string metric = "matthews_corrcoef";
  check_metric_inputs(inputs, metric);
  auto labels = resolve_labels(
      inputs, read_label_set_options(options, metric, /*accepts_positive=*/true), metric);

  // Class index per label; every prediction outside the labels shares the
  // last index, as T5's postprocessor maps them all to -1.
  std::map<std::string, size_t> index;
  for (size_t k = 0; k < labels.size(); ++k) index[labels[k]] = k;
  size_t invalid = labels.size();
  std::vector<double> true_counts(labels.size() + 1, 0.0);
  std::vector<double> predicted_counts(labels.size() + 1, 0.0);
  double correct = 0.0;
  for (size_t i = 0; i < inputs.predictions.size(); ++i) {
    size_t truth = index.at(label_of(inputs, i));
    auto found = index.find(inputs.predictions[i]);
    size_t predicted = found == index.end() ? invalid : found->second;
    true_counts[truth] += 1.0;
    predicted_counts[predicted] += 1.0;
    if (truth == predicted) correct += 1.0;
  }

  // MCC = (c s - sum_k p_k t_k) / sqrt((s^2 - sum_k p_k^2) (s^2 - sum_k t_k^2)).
  double samples = static_cast<double>(inputs.predictions.size());
  double cross = 0.0, predicted_square = 0.0, true_square = 0.0;
  for (size_t k = 0; k <= labels.size(); ++k) {
    cross += predicted_counts[k] * true_counts[k];
    predicted_square += predicted_counts[k] * predicted_counts[k];
    true_square += true_counts[k] * true_counts[k];
  }
  double denominator =
      std::sqrt((samples * samples - predicted_square) * (samples * samples - true_square));
  if (denominator == 0.0) return {{metric, 0.0}};
  return {{metric, 100.0 * (correct * samples - cross) / denominator}};
}

MetricScores multirc_metric(const MetricInputs& inputs, const Json& options) {
  check_metric_inputs(inputs, "multirc");
  T5_CHECK(!inputs.groups.empty(),
           "metric multirc: needs the question of each answer as its group id "
           "(MetricInputs::groups; t5 score: --groups FILE), got none");
  Json object = metric_options_object(options, "multirc");
  std::string positive = "True";
  JsonFields fields(object, "metric multirc options");
  read_positive(object, fields, "multirc", positive);
  fields.finish();

  // Exact match per question: every answer of the group right.
  std::map<std::string, bool> group_correct;
  for (size_t i = 0; i < inputs.predictions.size(); ++i) {
    bool right = inputs.predictions[i] == label_of(inputs, i);
    auto [it, inserted] = group_correct.emplace(inputs.groups[i], right);
    if (!inserted) it->second = it->second && right;
  }
  double matched = 0.0;
  for (const auto& entry : group_correct) matched += entry.second ? 1.0 : 0.0;
  return {{"f1a", binary_f1_with_invalid(inputs, positive)},
          {"em", 100.0 * matched / static_cast<double>(group_correct.size())}};
}

}  // namespace t5

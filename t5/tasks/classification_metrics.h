#pragma once

#include <string>
#include <vector>

#include "t5/tasks/metrics.h"

namespace t5 {

// Classification metrics over label strings, as T5 scores GLUE and
// SuperGLUE. An example's label is its first reference. A prediction that
// is not a label of the task (the model wrote something else) always counts
// as wrong, as T5's postprocessors make it (class -1).

// Options of the label-set metrics (f1_macro, matthews_corrcoef).
struct LabelSetOptions {
  /// The task's labels, e.g. ["entailment", "contradiction", "neutral"].
  /// Default (empty): the labels seen in the references, so a class that no
  /// reference has is left out. A reference outside the list is an error.
  std::vector<std::string> labels;
  /// matthews_corrcoef only, accepted for symmetry with f1: MCC does not
  /// change when the classes are swapped, so the value has no effect.
  std::string positive;
};

// {"accuracy"}: 100 x the share of predictions equal to one of their
// references. No options.
MetricScores accuracy_metric(const MetricInputs& inputs, const Json& options);

// {"f1"}: 100 x binary F1 of the class named by option "positive" (required,
// e.g. "equivalent" for MRPC, "duplicate" for QQP). A prediction that is
// not a label seen in the references counts as the opposite of its
// reference (T5's f1_score_with_invalid). F1 is 0 when there is no true
// positive.
MetricScores f1_metric(const MetricInputs& inputs, const Json& options);

// {"f1_macro"}: 100 x the unweighted mean of the per-class F1 over the label
// set (CB's three classes). Option "labels" (see LabelSetOptions); a class
// with no reference and no prediction scores 0, as in scikit-learn.
MetricScores f1_macro_metric(const MetricInputs& inputs, const Json& options);

// {"matthews_corrcoef"}: 100 x the Matthews correlation coefficient (CoLA).
// Computed in its multiclass form (Gorodkin's R_K, as scikit-learn does),
// which equals the binary formula for two classes and lets predictions that
// are no label form a class of their own, exactly as T5 scores them. 0 when
// undefined (all references or all predictions in one class). Options
// "labels" and "positive" (see LabelSetOptions).
MetricScores matthews_corrcoef_metric(const MetricInputs& inputs, const Json& options);

// {"f1a", "em"} for MultiRC, whose examples are answers grouped by question
// (MetricInputs::groups, required). f1a: 100 x binary F1 over all answers
// with option "positive" (default "True"), invalid predictions wrong as in
// f1. em: per question 100 if every answer's prediction equals its label,
// else 0, averaged over questions.
MetricScores multirc_metric(const MetricInputs& inputs, const Json& options);

}  // namespace t5

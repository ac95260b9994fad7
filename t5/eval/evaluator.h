#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "t5/model/t5_model.h"
#include "t5/tasks/metrics.h"
#include "t5/tasks/task.h"
#include "t5/text/vocabulary.h"
#include "t5/util/json.h"
#include "t5/util/log.h"

namespace t5 {

// How a task's split is decoded and scored.
struct EvalOptions {
  /// The split to decode ("validation", "test", ...).
  std::string split = "validation";
  /// Examples to decode: the first N of the split in file order; 0 = all.
  int64_t max_examples = 0;
  /// Examples decoded together in one generate() call.
  int64_t batch_size = 32;
  /// 1 = greedy decoding; more = beam search with this many beams.
  int64_t beams = 1;
  /// Beam search length penalty alpha, GNMT form ((5 + len) / 6)^alpha as
  /// T5 decodes; T5 uses 0.6. Ignored by greedy decoding.
  double length_penalty = 0.6;
  /// Tokens generated at most, EOS included; 0 = the task's targets length
  /// (TaskSpec::lengths.targets).
  int64_t max_decode_length = 0;
  /// Input tokens at most, EOS included; 0 = the task's inputs length.
  /// Longer inputs are cut to this many tokens, the last one EOS.
  int64_t max_input_length = 0;

  // Reads the keys above; unknown keys and ill-typed or out-of-range values
  // throw t5::Error naming `where` and the key (with the nearest known key).
  static EvalOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
  // Throws t5::Error naming `where` and the first option out of range.
  void validate(const std::string& where) const;
};

// One decoded example.
struct Prediction {
  /// The example's id in its split (Example::id: record id or file:line).
  std::string id;
  /// The inputs text as formatted by the task (before truncation).
  std::string inputs;
  /// The targets text as formatted by the task.
  std::string target;
  /// The decoded text, as the model wrote it (before postprocessing).
  std::string prediction;
  /// What the task's postprocessor made of the prediction and the target:
  /// {"value": number, "text": string} plus "answers" and "group" where the
  /// postprocessor sets them (see Postprocessed).
  Json postprocessed_prediction;
  Json postprocessed_target;
};

// The result of evaluating one task's split.
struct TaskEvaluation {
  std::string task;
  std::string split;
  /// Examples decoded.
  int64_t examples = 0;
  /// Metric key -> value as the task's metrics return them (accuracy, F1,
  /// BLEU, ... x100, as the paper reports them). Empty when the task has no
  /// metrics or the split has no labels.
  std::map<std::string, double> metrics;
  /// One per example, in the split's order.
  std::vector<Prediction> predictions;
  /// Inputs longer than the input budget, cut to it.
  int64_t truncated_inputs = 0;
  /// Examples of the split skipped as copies of an earlier one (same id and
  /// inputs: ReCoRD's one example per answer).
  int64_t duplicate_examples = 0;
  /// Tokens generated, EOS included, over all examples.
  int64_t decoded_tokens = 0;
  /// Wall time of the whole evaluation (reading, decoding, scoring).
  double seconds = 0.0;
  /// Wall time spent in generate().
  double decode_seconds = 0.0;
  /// decoded_tokens / decode_seconds; 0 when nothing was timed.
  double tokens_per_second = 0.0;
  /// The options the split was evaluated with.
  EvalOptions options;

  // {"task", "split", "examples", "metrics", "truncated_inputs",
  //  "duplicate_examples", "decoded_tokens", "seconds", "decode_seconds", "tokens_per_second",
  //  "options"} and, when asked, "predictions": [{"id", "inputs", "target",
  //  "prediction", "postprocessed_prediction", "postprocessed_target"}].
  Json to_json(bool with_predictions) const;
};

// Decodes the first options.max_examples examples of the task's split with
// `model`, postprocesses predictions and targets with the task's
// postprocessor, and scores them with every metric of the task's spec (and
// its options), looked up in `metrics`.
//
// - Examples that repeat an earlier one's id and inputs are decoded and
//   scored once (ReCoRD repeats a query per answer; T5 scores it once);
//   max_examples counts the examples kept.
// - Inputs are encoded with `vocabulary` (EOS appended), cut to the input
//   budget, sorted by length and decoded options.batch_size at a time,
//   padded with the model's pad id and masked; predictions come back in the
//   split's order whatever the batch size.
// - The model decodes in eval mode without gradients on the device of its
//   parameters; its train/eval mode is restored on return, also when an
//   error is thrown.
// - Metric inputs: one prediction per example; as references, the target's
//   answers where the postprocessor gives several (SQuAD, ReCoRD), else the
//   target; the target's group where there are groups (MultiRC, ReCoRD).
//   Postprocessors that keep their verdict in a number alone (wsc: does the
//   prediction name the referent, against the example's True/False label)
//   are compared by that number; all others by their text, which the metrics
//   parse themselves (label names, STS-B scores).
// - A split whose examples carry no labels (the task maps a "label" field
//   and every example's is missing, as in GLUE test files) and a task without
//   metrics yield predictions and no metrics.
// - Logs one INFO line under [eval] (task, split, examples, metrics, time),
//   after a WARN line when inputs were cut, to `logger`, or to data.logger,
//   or to default_logger().
//
// Throws t5::Error for invalid options, an unknown split or metric, an empty
// split, a vocabulary larger than the model's embedding or with another EOS
// id, a split where only some examples have labels, and a metric's refusal
// of an example (naming the example's id).
TaskEvaluation evaluate_task(T5ModelImpl& model, const SentencePieceVocabulary& vocabulary,
                             const Task& task, const MetricRegistry& metrics,
                             const DataOptions& data, const EvalOptions& options,
                             const Logger* logger = nullptr);

// Whether the named postprocessor's verdict lives in Postprocessed::value
// alone, so that metrics must compare values rather than texts (wsc).
//
// Limitation: Postprocessed does not say which of its fields a metric should
// read, so this is a list of built-in names; a C++ postprocessor registered
// under another name is scored by its text. Add its name here when its
// verdict is a number only.
bool postprocessor_scores_by_value(const std::string& postprocessor);

// The JSON record of a postprocessed text (see Prediction).
Json postprocessed_to_json(const Postprocessed& postprocessed);

// Writes one JSON object per line, {"id", "inputs", "target", "prediction"}
// for each prediction in order, atomically (a reader never sees half a
// file). Throws t5::Error naming the file when it cannot be written.
void write_predictions(const std::filesystem::path& file, const TaskEvaluation& evaluation);

}  // namespace t5

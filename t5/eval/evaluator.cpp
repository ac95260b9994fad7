#include "t5/eval/evaluator.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <set>

#include "t5/model/generate.h"
#include "t5/util/error.h"
#include "t5/util/files.h"

namespace t5 {
namespace {

using Clock = std::chrono::steady_clock;

// What Task gives an example whose record has no label (task.h: test splits).
constexpr const char* kMissingLabel = "<unk>";

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Puts the model in eval mode for one scope and gives it back its previous
// mode, also when decoding throws.
class EvalModeGuard {
 public:
  explicit EvalModeGuard(T5ModelImpl& model) : model_(model), was_training_(model.is_training()) {
    model_.eval();
  }
  ~EvalModeGuard() { model_.train(was_training_); }
  EvalModeGuard(const EvalModeGuard&) = delete;
  EvalModeGuard& operator=(const EvalModeGuard&) = delete;

 private:
  T5ModelImpl& model_;
  bool was_training_;
};

// The budgets the options resolve to for this task.
struct Budgets {
  int64_t inputs = 0;
  int64_t targets = 0;
};

Budgets resolve_budgets(const Task& task, const EvalOptions& options) {
  const FeatureLengths& lengths = task.spec().lengths;
  Budgets budgets;
  budgets.inputs = options.max_input_length > 0 ? options.max_input_length : lengths.inputs;
  budgets.targets = options.max_decode_length > 0 ? options.max_decode_length : lengths.targets;
  T5_CHECK(
      budgets.inputs > 0 && budgets.targets > 0,
      "eval: task '{}' ({}): lengths must be positive to decode, got inputs {} and targets {}; set "
      "\"lengths\" in the spec or max_input_length and max_decode_length in the options",
      task.name(), task.spec().origin, lengths.inputs, lengths.targets);
  return budgets;
}

void check_vocabulary(const T5ModelImpl& model, const SentencePieceVocabulary& vocabulary) {
  const ModelConfig& config = model.config();
  T5_CHECK(vocabulary.size() <= config.vocab_size,
           "eval: the vocabulary {} has {} ids but the model's embedding has {} rows; use the "
           "vocabulary the model was trained with",
           vocabulary.path().string(), vocabulary.size(), config.vocab_size);
  T5_CHECK(vocabulary.eos_id() == config.eos_token_id,
           "eval: the vocabulary {} ends texts with id {} but the model's eos_token_id is {}; use "
           "the vocabulary the model was trained with, or fix eos_token_id in its config.json",
           vocabulary.path().string(), vocabulary.eos_id(), config.eos_token_id);
}

struct SplitExamples {
  std::vector<Example> examples;
  // Examples dropped as copies of an earlier one (same id and inputs).
  int64_t duplicates = 0;
};

// The split's examples in file order, each (id, inputs) once: ReCoRD's
// preprocessor repeats a query once per correct answer (for training), and
// T5 scores each query once (its deduplicated metric). The copies differ
// only in their target, and the answers they carry are the same.
SplitExamples read_split(const Task& task, const DataOptions& data, const EvalOptions& options) {
  ExampleReader reader = task.read(options.split, data);
  SplitExamples split;
  std::set<std::pair<std::string, std::string>> seen;
  Example example;
  while ((options.max_examples == 0 ||
          static_cast<int64_t>(split.examples.size()) < options.max_examples) &&
         reader.next(example)) {
    if (!seen.insert({example.id, example.inputs}).second) {
      ++split.duplicates;
      continue;
    }
    split.examples.push_back(example);
  }
  T5_CHECK(!split.examples.empty(),
           "eval: task '{}' split '{}' has no examples; check its data files under {} (spec: {})",
           task.name(), options.split, data.data_dir.string(), task.spec().origin);
  return split;
}

// Whether the examples carry labels: false when the task maps a "label"
// field and no example has one (a test split). Some labelled and some not is
// an error: scoring against the missing ones would be wrong.
bool split_has_labels(const Task& task, const std::string& split,
                      const std::vector<Example>& examples) {
  if (task.spec().fields.count("label") == 0) return true;
  auto unlabelled = std::count_if(examples.begin(), examples.end(), [](const Example& example) {
    return example.field("label") == kMissingLabel;
  });
  if (unlabelled == 0) return true;
  if (unlabelled == static_cast<int64_t>(examples.size())) return false;
  auto first = std::find_if(examples.begin(), examples.end(), [](const Example& example) {
    return example.field("label") == kMissingLabel;
  });
  fail(
      "eval: task '{}' split '{}': {} of {} examples have no label (the first is {}); a split "
      "is scored only when every example has one; fill in the missing labels, or move the "
      "unlabelled records to a split of their own",
      task.name(), split, unlabelled, examples.size(), first->id);
}

// The metric functions of the task's spec, looked up before any decoding so
// that an unknown name fails fast.
std::vector<const MetricFn*> resolve_metrics(const Task& task, const MetricRegistry& metrics) {
  std::vector<const MetricFn*> fns;
  for (const MetricSpec& spec : task.spec().metrics) {
    try {
      fns.push_back(&metrics.get(spec.name));
    } catch (const Error& e) {
      fail("eval: task '{}' ({}): {}", task.name(), task.spec().origin, e.what());
    }
  }
  return fns;
}

struct EncodedInputs {
  std::vector<std::vector<int64_t>> ids;
  int64_t truncated = 0;
};

// T5 cuts inputs to their budget and then appends EOS, so a cut input keeps
// EOS as its last token.
EncodedInputs encode_inputs(const SentencePieceVocabulary& vocabulary,
                            const std::vector<Example>& examples, int64_t budget) {
  EncodedInputs encoded;
  encoded.ids.reserve(examples.size());
  for (const Example& example : examples) {
    std::vector<int> ids = vocabulary.encode(example.inputs, Eos::kAppend);
    if (static_cast<int64_t>(ids.size()) > budget) {
      ids.resize(budget - 1);
      ids.push_back(vocabulary.eos_id());
      ++encoded.truncated;
    }
    encoded.ids.emplace_back(ids.begin(), ids.end());
  }
  return encoded;
}

// Rows padded with `pad` and their mask, both [batch, longest] int64.
std::pair<torch::Tensor, torch::Tensor> pad_batch(
    const std::vector<const std::vector<int64_t>*>& rows, int64_t pad,
    const torch::Device& device) {
  int64_t longest = 0;
  for (const auto* row : rows) longest = std::max<int64_t>(longest, row->size());
  int64_t batch = static_cast<int64_t>(rows.size());
  auto ids = torch::full({batch, longest}, pad, torch::kLong);
  auto mask = torch::zeros({batch, longest}, torch::kLong);
  auto ids_a = ids.accessor<int64_t, 2>();
  auto mask_a = mask.accessor<int64_t, 2>();
  for (int64_t r = 0; r < batch; ++r) {
    const auto& row = *rows[r];
    for (size_t t = 0; t < row.size(); ++t) {
      ids_a[r][t] = row[t];
      mask_a[r][t] = 1;
    }
  }
  return {ids.to(device), mask.to(device)};
}

struct DecodedTexts {
  std::vector<std::string> texts;
  int64_t tokens = 0;
  double seconds = 0.0;
};

// The generated ids of each row of `sequences` ([rows, length], the decoder
// start token first), up to and including EOS, appended to `out` as text.
void decode_rows(const torch::Tensor& sequences, const SentencePieceVocabulary& vocabulary,
                 int64_t eos, const std::vector<size_t>& rows_to_examples, DecodedTexts& out) {
  auto cpu = sequences.to(torch::kCPU).to(torch::kLong).contiguous();
  auto a = cpu.accessor<int64_t, 2>();
  for (int64_t r = 0; r < cpu.size(0); ++r) {
    std::vector<int> ids;
    for (int64_t t = 1; t < cpu.size(1); ++t) {
      ids.push_back(static_cast<int>(a[r][t]));
      if (a[r][t] == eos) break;
    }
    out.tokens += static_cast<int64_t>(ids.size());
    out.texts[rows_to_examples[r]] = vocabulary.decode(ids);
  }
}

// Decodes every input, longest first so batches hold inputs of similar
// length (less padding), and returns the texts in the inputs' order.
DecodedTexts decode_all(T5ModelImpl& model, const SentencePieceVocabulary& vocabulary,
                        const EncodedInputs& inputs, const GenerateOptions& generate_options,
                        int64_t batch_size) {
  const auto& all = inputs.ids;
  std::vector<size_t> order(all.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return all[a].size() > all[b].size(); });

  DecodedTexts decoded;
  decoded.texts.resize(all.size());
  const torch::Device device = model.shared->weight.device();
  const int64_t pad = model.config().pad_token_id;
  const int64_t eos = model.config().eos_token_id;
  auto start = Clock::now();
  for (size_t first = 0; first < order.size(); first += batch_size) {
    size_t end = std::min(order.size(), first + static_cast<size_t>(batch_size));
    std::vector<size_t> batch_examples(order.begin() + first, order.begin() + end);
    std::vector<const std::vector<int64_t>*> rows;
    for (size_t index : batch_examples) rows.push_back(&all[index]);
    auto [ids, mask] = pad_batch(rows, pad, device);
    GenerateOutput output = generate(model, ids, mask, generate_options);
    decode_rows(output.sequences, vocabulary, eos, batch_examples, decoded);
  }
  decoded.seconds = seconds_since(start);
  return decoded;
}

GenerateOptions generate_options(const EvalOptions& options, int64_t max_new_tokens) {
  GenerateOptions generate;
  generate.max_new_tokens = max_new_tokens;
  generate.num_beams = options.beams;
  generate.length_penalty = options.length_penalty;
  generate.length_penalty_kind = LengthPenalty::kGnmt;
  return generate;
}

// The string a metric compares for one postprocessed text.
std::string metric_text(const Postprocessed& postprocessed, bool by_value) {
  if (!by_value) return postprocessed.text;
  // Verdicts are whole numbers (0, 1, -1); print them as such.
  double value = postprocessed.value;
  if (std::floor(value) == value && std::abs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  return fmt::format("{}", value);
}

struct Postprocessing {
  std::vector<Postprocessed> predictions;
  std::vector<Postprocessed> targets;
};

Postprocessing postprocess_all(const Task& task, const std::vector<Example>& examples,
                               const std::vector<std::string>& texts) {
  Postprocessing post;
  for (size_t i = 0; i < examples.size(); ++i) {
    post.predictions.push_back(task.postprocess(texts[i], examples[i], /*is_target=*/false));
    post.targets.push_back(task.postprocess(examples[i].targets, examples[i], /*is_target=*/true));
  }
  return post;
}

std::vector<Prediction> make_predictions(const std::vector<Example>& examples,
                                         const std::vector<std::string>& texts,
                                         const Postprocessing& post) {
  std::vector<Prediction> predictions;
  predictions.reserve(examples.size());
  for (size_t i = 0; i < examples.size(); ++i) {
    predictions.push_back({examples[i].id, examples[i].inputs, examples[i].targets, texts[i],
                           postprocessed_to_json(post.predictions[i]),
                           postprocessed_to_json(post.targets[i])});
  }
  return predictions;
}

MetricInputs build_metric_inputs(const Postprocessing& post, bool by_value) {
  MetricInputs inputs;
  bool grouped = std::any_of(post.targets.begin(), post.targets.end(),
                             [](const Postprocessed& p) { return !p.group.empty(); });
  for (size_t i = 0; i < post.predictions.size(); ++i) {
    const Postprocessed& target = post.targets[i];
    inputs.predictions.push_back(metric_text(post.predictions[i], by_value));
    if (!target.answers.empty()) {
      inputs.references.push_back(target.answers);
    } else {
      inputs.references.push_back({metric_text(target, by_value)});
    }
    if (grouped) inputs.groups.push_back(target.group);
  }
  return inputs;
}

std::map<std::string, double> score(const Task& task, const std::string& split,
                                    const std::vector<const MetricFn*>& fns,
                                    const MetricInputs& inputs,
                                    const std::vector<Prediction>& predictions) {
  std::map<std::string, double> scores;
  const auto& specs = task.spec().metrics;
  for (size_t m = 0; m < specs.size(); ++m) {
    MetricScores result;
    try {
      result = (*fns[m])(inputs, specs[m].options);
    } catch (const MetricExampleError& e) {
      size_t index = std::clamp<size_t>(e.example(), 1, predictions.size()) - 1;
      fail("eval: task '{}' split '{}' example {} (number {}): {}", task.name(), split,
           predictions[index].id, e.example(), e.what());
    }
    for (const auto& [key, value] : result) {
      T5_CHECK(scores.count(key) == 0,
               "eval: task '{}' ({}): metric '{}' reports '{}', which an earlier metric of the "
               "task reports too; list only one of them in \"metrics\"",
               task.name(), task.spec().origin, specs[m].name, key);
      scores[key] = value;
    }
  }
  return scores;
}

std::string format_metrics(const std::map<std::string, double>& metrics) {
  if (metrics.empty()) return "metrics=none";
  std::vector<std::string> parts;
  for (const auto& [key, value] : metrics) parts.push_back(fmt::format("{}={:.4f}", key, value));
  return fmt::format("{}", fmt::join(parts, " "));
}

const Logger& choose_logger(const Logger* logger, const DataOptions& data) {
  if (logger != nullptr) return *logger;
  if (data.logger != nullptr) return *data.logger;
  return default_logger();
}

void record_speed(const DecodedTexts& decoded, TaskEvaluation& evaluation) {
  evaluation.decoded_tokens = decoded.tokens;
  evaluation.decode_seconds = decoded.seconds;
  evaluation.tokens_per_second =
      decoded.seconds > 0.0 ? static_cast<double>(decoded.tokens) / decoded.seconds : 0.0;
}

void log_result(const TaskEvaluation& evaluation, int64_t input_budget, const Logger& logger) {
  if (evaluation.truncated_inputs > 0) {
    logger.warn("eval", "task={} split={}: {} of {} inputs were longer than {} tokens and were cut",
                evaluation.task, evaluation.split, evaluation.truncated_inputs, evaluation.examples,
                input_budget);
  }
  logger.info("eval", "task={} split={} examples={} {} seconds={:.2f} tokens/s={:.1f}",
              evaluation.task, evaluation.split, evaluation.examples,
              format_metrics(evaluation.metrics), evaluation.seconds, evaluation.tokens_per_second);
}

}  // namespace

EvalOptions EvalOptions::from_json(const Json& json, const std::string& where) {
  EvalOptions options;
  JsonFields fields(json, where);
  fields.get("split", options.split);
  fields.get("max_examples", options.max_examples);
  fields.get("batch_size", options.batch_size);
  fields.get("beams", options.beams);
  fields.get("length_penalty", options.length_penalty);
  fields.get("max_decode_length", options.max_decode_length);
  fields.get("max_input_length", options.max_input_length);
  fields.finish();
  options.validate(where);
  return options;
}

Json EvalOptions::to_json() const {
  return {{"split", split},
          {"max_examples", max_examples},
          {"batch_size", batch_size},
          {"beams", beams},
          {"length_penalty", length_penalty},
          {"max_decode_length", max_decode_length},
          {"max_input_length", max_input_length}};
}

void EvalOptions::validate(const std::string& where) const {
  T5_CHECK(!split.empty(), "{}: 'split' must name a split (e.g. \"validation\"), got \"\"", where);
  T5_CHECK(max_examples >= 0, "{}: 'max_examples' must be >= 0 (0 = the whole split), got {}",
           where, max_examples);
  T5_CHECK(batch_size >= 1, "{}: 'batch_size' must be >= 1, got {}", where, batch_size);
  T5_CHECK(beams >= 1, "{}: 'beams' must be >= 1 (1 = greedy), got {}", where, beams);
  T5_CHECK(std::isfinite(length_penalty) && length_penalty >= 0.0,
           "{}: 'length_penalty' must be a finite number >= 0 (T5: 0.6), got {}", where,
           length_penalty);
  T5_CHECK(max_decode_length >= 0,
           "{}: 'max_decode_length' must be >= 0 (0 = the task's targets length), got {}", where,
           max_decode_length);
  T5_CHECK(max_input_length >= 0,
           "{}: 'max_input_length' must be >= 0 (0 = the task's inputs length), got {}", where,
           max_input_length);
}

Json TaskEvaluation::to_json(bool with_predictions) const {
  Json json = {{"task", task},
               {"split", split},
               {"examples", examples},
               {"metrics", Json(metrics)},
               {"truncated_inputs", truncated_inputs},
               {"duplicate_examples", duplicate_examples},
               {"decoded_tokens", decoded_tokens},
               {"seconds", seconds},
               {"decode_seconds", decode_seconds},
               {"tokens_per_second", tokens_per_second},
               {"options", options.to_json()}};
  if (!with_predictions) return json;
  Json list = Json::array();
  for (const Prediction& p : predictions) {
    list.push_back({{"id", p.id},
                    {"inputs", p.inputs},
                    {"target", p.target},
                    {"prediction", p.prediction},
                    {"postprocessed_prediction", p.postprocessed_prediction},
                    {"postprocessed_target", p.postprocessed_target}});
  }
  json["predictions"] = std::move(list);
  return json;
}

bool postprocessor_scores_by_value(const std::string& postprocessor) {
  return postprocessor == "wsc";
}

Json postprocessed_to_json(const Postprocessed& postprocessed) {
  Json json = {{"value", postprocessed.value}, {"text", postprocessed.text}};
  if (!postprocessed.answers.empty()) json["answers"] = postprocessed.answers;
  if (!postprocessed.group.empty()) json["group"] = postprocessed.group;
  return json;
}

TaskEvaluation evaluate_task(T5ModelImpl& model, const SentencePieceVocabulary& vocabulary,
                             const Task& task, const MetricRegistry& metrics,
                             const DataOptions& data, const EvalOptions& options,
                             const Logger* logger) {
  auto start = Clock::now();
  options.validate("eval options");
  check_vocabulary(model, vocabulary);
  Budgets budgets = resolve_budgets(task, options);
  auto metric_fns = resolve_metrics(task, metrics);

  // Read and encode the examples.
  SplitExamples split = read_split(task, data, options);
  const std::vector<Example>& examples = split.examples;
  bool labelled = split_has_labels(task, options.split, examples);
  EncodedInputs inputs = encode_inputs(vocabulary, examples, budgets.inputs);

  // Decode.
  DecodedTexts decoded;
  {
    EvalModeGuard eval_mode(model);
    torch::NoGradGuard no_grad;
    decoded = decode_all(model, vocabulary, inputs, generate_options(options, budgets.targets),
                         options.batch_size);
  }

  // Postprocess predictions and targets.
  TaskEvaluation evaluation;
  evaluation.task = task.name();
  evaluation.split = options.split;
  evaluation.examples = static_cast<int64_t>(examples.size());
  evaluation.options = options;
  Postprocessing post = postprocess_all(task, examples, decoded.texts);
  evaluation.predictions = make_predictions(examples, decoded.texts, post);

  // Score.
  if (labelled && !metric_fns.empty()) {
    bool by_value = postprocessor_scores_by_value(task.spec().postprocessor);
    evaluation.metrics = score(task, options.split, metric_fns, build_metric_inputs(post, by_value),
                               evaluation.predictions);
  }

  evaluation.truncated_inputs = inputs.truncated;
  evaluation.duplicate_examples = split.duplicates;
  record_speed(decoded, evaluation);
  evaluation.seconds = seconds_since(start);
  log_result(evaluation, budgets.inputs, choose_logger(logger, data));
  return evaluation;
}

void write_predictions(const std::filesystem::path& file, const TaskEvaluation& evaluation) {
  write_file_atomically(file, [&](std::ostream& out) {
    for (const Prediction& p : evaluation.predictions) {
      Json line = {
          {"id", p.id}, {"inputs", p.inputs}, {"target", p.target}, {"prediction", p.prediction}};
      // Replace invalid UTF-8 (a model may write any bytes) rather than lose the file.
      out << line.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    }
  });
}

}  // namespace t5

#include "t5/eval/evaluator.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "t5/model/generate.h"
#include "t5/tasks/postprocessors.h"
#include "t5/text/vocabulary_trainer.h"
#include "t5/util/files.h"
#include "tests/support/tiny_corpus.h"
#include "tests/support/tiny_model.h"
#include "tests/tasks/task_test_util.h"

namespace {

using t5::Json;
using t5::testing::TempDir;

// Decoding budget of every test: enough to see multi-token outputs, small
// enough to keep each test well under a second of decoding.
constexpr int64_t kDecodeLength = 8;

// Sentences of the tiny corpus's words, of different lengths so that
// sorting by length reorders them.
const std::vector<std::string> kSentences = {
    "the dog walks in the park",
    "a cat",
    "the quick brown dog runs near the old river and sees a green tree",
    "big city",
    "the lazy cat sleeps under a tree",
    "a small house on the road",
    "new tree"};

// A word no output of the tiny vocabulary can contain: 'x' is in none of
// the corpus words, so SentencePiece has no piece for it (UNK decodes as
// " ⁇ "). A target equal to it never matches a prediction.
constexpr const char* kUnreachable = "xylophone";

// The tiny model with every weight scaled by 4. At the reference
// initialisation a model this small writes nearly the same text for every
// input, so checks of order and batching would pass vacuously; larger
// weights make the output depend on the input (the tests check that it
// does where it matters).
t5::T5Model varied_tiny_model(t5::Architecture architecture) {
  constexpr double kWeightScale = 4.0;
  auto model = t5::testing::tiny_model(architecture, /*seed=*/7);
  torch::NoGradGuard no_grad;
  // Each tensor once: tied embeddings are registered under several names.
  for (auto& [name, parameter] : model->unique_named_parameters()) parameter.mul_(kWeightScale);
  return model;
}

// Everything a test needs: a data folder, a vocabulary trained on the tiny
// corpus (50 pieces + 10 sentinels = 60 ids, within the tiny model's 64), a
// seeded tiny model, the built-in metrics and a quiet logger.
struct Fixture {
  TempDir dir;
  t5::SentencePieceVocabulary vocabulary;
  t5::T5Model model = varied_tiny_model(t5::Architecture::kEncoderDecoder);
  t5::MetricRegistry metrics;
  t5::Logger quiet{t5::LogLevel::kError};
  t5::DataOptions data;

  Fixture() : vocabulary(train_vocabulary(dir), /*extra_ids=*/10) {
    t5::register_builtin_metrics(metrics);
    data.data_dir = dir.path();
    data.logger = &quiet;
  }

  static std::filesystem::path train_vocabulary(const TempDir& dir) {
    auto corpus = dir.path() / "corpus.txt";
    t5::testing::write_tiny_corpus(corpus);
    auto model = dir.path() / "tiny.model";
    t5::train_vocabulary(t5::VocabularyTrainOptions({corpus.string()}, 50).num_threads(1), model);
    return model;
  }

  t5::Task task(const Json& spec) const {
    static const t5::Processors processors = t5::Processors::builtin();
    return t5::Task(t5::TaskSpec::from_json(spec, "test spec"), processors);
  }

  t5::TaskEvaluation evaluate(const t5::Task& task, const t5::EvalOptions& options) {
    return t5::evaluate_task(*model, vocabulary, task, metrics, data, options, &quiet);
  }
};

// A sentiment-like classification task over kSentences: labels alternate
// 0/1 in validation.tsv; test.tsv has no label column.
Json write_label_task(const TempDir& dir) {
  std::string validation = "sentence\tlabel\n";
  std::string test = "sentence\n";
  for (size_t i = 0; i < kSentences.size(); ++i) {
    validation += kSentences[i] + "\t" + std::to_string(i % 2) + "\n";
    test += kSentences[i] + "\n";
  }
  dir.write("label/validation.tsv", validation);
  dir.write("label/test.tsv", test);
  return Json::parse(R"({
    "name": "tiny_label",
    "source": {"format": "tsv", "splits": {"validation": "label/validation.tsv",
                                           "test": "label/test.tsv"}},
    "fields": {"sentence": "sentence", "label": "label"},
    "inputs": "classify: {sentence}",
    "targets": "{label}",
    "label_names": ["negative", "positive"],
    "postprocessor": "label",
    "metrics": [{"name": "f1", "options": {"positive": "positive"}}, "accuracy"],
    "lengths": {"inputs": 64, "targets": 8}
  })");
}

// A text task over kSentences whose targets are given per example (JSON
// lines, so any text survives exactly).
Json write_copy_task(const TempDir& dir, const std::vector<std::string>& targets,
                     const std::string& file = "copy/validation.jsonl") {
  std::string lines;
  for (size_t i = 0; i < kSentences.size(); ++i) {
    lines += Json({{"text", kSentences[i]}, {"target", targets.at(i)}}).dump() + "\n";
  }
  dir.write(file, lines);
  Json spec = Json::parse(R"({
    "name": "tiny_copy",
    "source": {"format": "jsonl"},
    "fields": {"text": "text", "target": "target"},
    "inputs": "copy: {text}",
    "targets": "{target}",
    "postprocessor": "identity",
    "metrics": ["accuracy", "rouge", "bleu"],
    "lengths": {"inputs": 64, "targets": 8}
  })");
  spec["source"]["splits"] = {{"validation", file}};
  return spec;
}

std::vector<std::string> unreachable_targets() {
  return std::vector<std::string>(kSentences.size(), kUnreachable);
}

std::vector<std::string> texts(const t5::TaskEvaluation& evaluation) {
  std::vector<std::string> result;
  for (const auto& p : evaluation.predictions) result.push_back(p.prediction);
  return result;
}

size_t distinct(const std::vector<std::string>& values) {
  return std::set<std::string>(values.begin(), values.end()).size();
}

std::vector<std::string> ids(const t5::TaskEvaluation& evaluation) {
  std::vector<std::string> result;
  for (const auto& p : evaluation.predictions) result.push_back(p.id);
  return result;
}

// The text generate() makes of one input on its own (no padding, no mask).
std::string generate_alone(Fixture& f, const std::string& inputs,
                           const t5::GenerateOptions& options) {
  std::vector<int> encoded = f.vocabulary.encode(inputs, t5::Eos::kAppend);
  auto ids = torch::tensor(std::vector<int64_t>(encoded.begin(), encoded.end())).unsqueeze(0);
  auto sequences = t5::generate(*f.model, ids, {}, options).sequences;
  std::vector<int> generated;
  for (int64_t t = 1; t < sequences.size(1); ++t) {
    generated.push_back(static_cast<int>(sequences[0][t].item<int64_t>()));
  }
  // decode() stops at the first EOS.
  return f.vocabulary.decode(generated);
}

t5::EvalOptions small_options() {
  t5::EvalOptions options;
  options.max_decode_length = kDecodeLength;
  return options;
}

}  // namespace

TEST_CASE("evaluate_task returns predictions in the split's order whatever the batch size",
          "[eval]") {
  Fixture f;
  t5::Task task = f.task(write_label_task(f.dir));
  auto examples = t5::testing::read_examples(task, "validation", f.data);
  REQUIRE(examples.size() == kSentences.size());

  auto options = small_options();
  options.batch_size = 1;
  auto one = f.evaluate(task, options);
  options.batch_size = 3;
  auto three = f.evaluate(task, options);
  options.batch_size = 32;
  auto all = f.evaluate(task, options);

  CHECK(one.examples == static_cast<int64_t>(examples.size()));
  // Different inputs give different texts, so a reordering would show.
  INFO("predictions: " << Json(texts(one)).dump());
  REQUIRE(distinct(texts(one)) >= 3);
  CHECK(texts(one) == texts(three));
  CHECK(texts(one) == texts(all));
  for (size_t i = 0; i < examples.size(); ++i) {
    INFO("example " << i);
    CHECK(three.predictions[i].id == examples[i].id);
    CHECK(three.predictions[i].inputs == examples[i].inputs);
    CHECK(three.predictions[i].target == examples[i].targets);
  }
}

TEST_CASE("evaluate_task greedy predictions equal generate() on each input alone", "[eval]") {
  Fixture f;
  t5::Task task = f.task(write_label_task(f.dir));
  auto architecture = GENERATE(t5::Architecture::kEncoderDecoder, t5::Architecture::kDecoderOnly,
                               t5::Architecture::kPrefixLm);
  INFO("architecture " << static_cast<int>(architecture));
  f.model = varied_tiny_model(architecture);
  auto options = small_options();
  options.batch_size = 4;
  auto evaluation = f.evaluate(task, options);

  t5::GenerateOptions greedy;
  greedy.max_new_tokens = kDecodeLength;
  for (const auto& p : evaluation.predictions) {
    INFO(p.inputs);
    CHECK(p.prediction == generate_alone(f, p.inputs, greedy));
  }
  INFO("predictions: " << Json(texts(evaluation)).dump());
  CHECK(distinct(texts(evaluation)) >= 2);
  // Every row generates at least one token and at most the budget.
  CHECK(evaluation.decoded_tokens >= evaluation.examples);
  CHECK(evaluation.decoded_tokens <= evaluation.examples * kDecodeLength);
}

TEST_CASE("evaluate_task beam search equals generate() with T5's length penalty", "[eval]") {
  Fixture f;
  t5::Task task = f.task(write_label_task(f.dir));
  auto options = small_options();
  options.batch_size = 3;
  options.beams = 3;
  options.length_penalty = 0.6;
  auto evaluation = f.evaluate(task, options);

  t5::GenerateOptions beam;
  beam.max_new_tokens = kDecodeLength;
  beam.num_beams = 3;
  beam.length_penalty = 0.6;
  beam.length_penalty_kind = t5::LengthPenalty::kGnmt;
  for (const auto& p : evaluation.predictions) {
    INFO(p.inputs);
    CHECK(p.prediction == generate_alone(f, p.inputs, beam));
  }
}

TEST_CASE("evaluate_task max_examples keeps the first examples in file order", "[eval]") {
  Fixture f;
  t5::Task task = f.task(write_label_task(f.dir));
  auto options = small_options();
  auto full = f.evaluate(task, options);
  options.max_examples = 3;
  auto first = f.evaluate(task, options);

  REQUIRE(first.examples == 3);
  REQUIRE(first.predictions.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(first.predictions[i].id == full.predictions[i].id);
    CHECK(first.predictions[i].prediction == full.predictions[i].prediction);
  }
  // More than the split holds: the whole split.
  options.max_examples = 100;
  CHECK(f.evaluate(task, options).examples == static_cast<int64_t>(kSentences.size()));
}

TEST_CASE("evaluate_task scores what the metric registry scores on the same texts", "[eval]") {
  Fixture f;
  // First pass: learn what the model writes. Second pass: targets that are
  // those predictions for some examples, so the scores are not all 0.
  auto first = f.evaluate(f.task(write_copy_task(f.dir, unreachable_targets())), small_options());
  auto targets = unreachable_targets();
  targets[0] = first.predictions[0].prediction;
  targets[3] = first.predictions[3].prediction;
  t5::Task task = f.task(write_copy_task(f.dir, targets, "copy/planted.jsonl"));
  auto evaluation = f.evaluate(task, small_options());

  REQUIRE(texts(evaluation) == texts(first));
  t5::MetricInputs inputs;
  for (const auto& p : evaluation.predictions) {
    inputs.predictions.push_back(p.prediction);
    inputs.references.push_back({p.target});
  }
  std::map<std::string, double> expected;
  for (const auto& metric : task.spec().metrics) {
    for (const auto& [key, value] : f.metrics.get(metric.name)(inputs, metric.options)) {
      expected[key] = value;
    }
  }
  CHECK(evaluation.metrics == expected);
  // Hand count: examples 0 and 3 of 7 equal their targets, the other five
  // are kUnreachable, which no output can equal.
  CHECK(evaluation.metrics.at("accuracy") == Approx(100.0 * 2 / 7));
  CHECK(evaluation.metrics.count("bleu") == 1);
  CHECK(evaluation.metrics.count("rougeL") == 1);
}

TEST_CASE("evaluate_task passes every answer of a question to the squad metric", "[eval]") {
  Fixture f;
  auto write = [&](const std::string& name, const std::vector<std::vector<std::string>>& answers) {
    Json qas = Json::array();
    for (size_t i = 0; i < answers.size(); ++i) {
      Json list = Json::array();
      for (const auto& a : answers[i]) list.push_back({{"text", a}});
      qas.push_back({{"id", "q" + std::to_string(i)},
                     {"question", "where does the " + kSentences[i] + " ?"},
                     {"answers", list}});
    }
    Json paragraph = {{"context", kSentences[2]}, {"qas", qas}};
    Json article = {{"title", "t"}, {"paragraphs", Json::array({paragraph})}};
    Json file = {{"version", "1.1"}, {"data", Json::array({article})}};
    f.dir.write(name, file.dump());
    Json spec = Json::parse(R"({
      "name": "tiny_squad",
      "source": {"format": "squad"},
      "preprocessor": "squad",
      "inputs": "question: {question} context: {context}",
      "targets": "{answer}",
      "postprocessor": "qa",
      "metrics": ["squad"],
      "lengths": {"inputs": 64, "targets": 8}
    })");
    spec["source"]["splits"] = {{"validation", name}};
    return f.task(spec);
  };
  std::vector<std::vector<std::string>> answers(3, {kUnreachable});
  auto first = f.evaluate(write("squad/first.json", answers), small_options());
  CHECK(first.metrics.at("em") == 0.0);

  // Question 1's second answer is what the model writes for it.
  answers[1] = {kUnreachable, first.predictions[1].prediction};
  auto evaluation = f.evaluate(write("squad/planted.json", answers), small_options());
  REQUIRE(texts(evaluation) == texts(first));
  CHECK(evaluation.predictions[1].id == "q1");
  CHECK(evaluation.predictions[1].postprocessed_target.at("answers").size() == 2);
  // Hand count: one of three questions matches one of its answers.
  CHECK(evaluation.metrics.at("em") == Approx(100.0 / 3));
}

TEST_CASE("evaluate_task scores a ReCoRD query once with all its answers", "[eval]") {
  Fixture f;
  // "dog" spans characters 4..6 and "cat" 33..35 (inclusive ends, as
  // ReCoRD writes them). Query 0 has two answers, so the preprocessor makes
  // two examples of it; query 1 has one.
  Json record = Json::parse(R"({"idx": 0,
    "passage": {"text": "the dog walks in the park with a cat",
                "entities": [{"start": 4, "end": 6}, {"start": 33, "end": 35}]},
    "qas": [{"idx": 0, "query": "the @placeholder runs",
             "answers": [{"text": "dog"}, {"text": "cat"}]},
            {"idx": 1, "query": "a @placeholder sleeps", "answers": [{"text": "cat"}]}]})");
  f.dir.write("record/validation.jsonl", record.dump() + "\n");
  Json spec = Json::parse(R"({
    "name": "tiny_record",
    "source": {"format": "jsonl", "splits": {"validation": "record/validation.jsonl"}},
    "preprocessor": "record",
    "inputs": "record query: {query} entities: {entities} passage: {passage}",
    "targets": "{answer}",
    "postprocessor": "record",
    "metrics": ["record"],
    "lengths": {"inputs": 64, "targets": 8}
  })");
  t5::Task task = f.task(spec);
  REQUIRE(t5::testing::read_examples(task, "validation", f.data).size() == 3);

  auto evaluation = f.evaluate(task, small_options());
  CHECK(evaluation.examples == 2);
  CHECK(evaluation.duplicate_examples == 1);
  REQUIRE(evaluation.predictions.size() == 2);
  CHECK(evaluation.predictions[0].id == "0-0");
  CHECK(evaluation.predictions[1].id == "0-1");
  CHECK(evaluation.predictions[0].postprocessed_target.at("answers") == Json({"cat", "dog"}));
  CHECK(evaluation.predictions[0].postprocessed_target.at("group") == "0-0");

  // The answers, written out from the record above.
  t5::MetricInputs inputs;
  inputs.predictions = texts(evaluation);
  inputs.references = {{"cat", "dog"}, {"cat"}};
  CHECK(evaluation.metrics == f.metrics.get("record")(inputs, Json()));
}

TEST_CASE("evaluate_task compares wsc verdicts with the example's label", "[eval]") {
  Fixture f;
  auto write = [&](const std::string& name, const std::vector<std::string>& referents) {
    std::string lines;
    for (size_t i = 0; i < referents.size(); ++i) {
      lines += Json({{"text", kSentences[i]}, {"referent", referents[i]}, {"label", i % 2 == 0}})
                   .dump() +
               "\n";
    }
    f.dir.write(name, lines);
    Json spec = Json::parse(R"({
      "name": "tiny_wsc",
      "source": {"format": "jsonl"},
      "fields": {"text": "text", "referent": "referent", "label": "label"},
      "inputs": "wsc: {text}",
      "targets": "{referent}",
      "postprocessor": "wsc",
      "metrics": ["accuracy"],
      "lengths": {"inputs": 64, "targets": 8}
    })");
    spec["source"]["splits"] = {{"validation", name}};
    return f.task(spec);
  };
  std::vector<std::string> referents(4, kUnreachable);
  auto first = f.evaluate(write("wsc/first.jsonl", referents), small_options());
  for (size_t i = 0; i < referents.size(); ++i) referents[i] = first.predictions[i].prediction;
  auto evaluation = f.evaluate(write("wsc/planted.jsonl", referents), small_options());
  REQUIRE(texts(evaluation) == texts(first));

  // The wsc rule (t5::wsc_referent_match) against labels True, False, True,
  // False: a prediction naming its referent is right where the label is True.
  int right = 0;
  for (size_t i = 0; i < referents.size(); ++i) {
    int verdict = t5::wsc_referent_match(evaluation.predictions[i].prediction, referents[i]);
    right += verdict == (i % 2 == 0 ? 1 : 0) ? 1 : 0;
    CHECK(evaluation.predictions[i].postprocessed_prediction.at("value") == verdict);
  }
  CHECK(evaluation.metrics.at("accuracy") == Approx(100.0 * right / 4));
}

TEST_CASE(
    "evaluate_task yields predictions and no metrics for unlabelled splits and metricless "
    "tasks",
    "[eval]") {
  Fixture f;
  Json spec = write_label_task(f.dir);
  auto options = small_options();
  options.split = "test";
  auto test = f.evaluate(f.task(spec), options);
  CHECK(test.examples == static_cast<int64_t>(kSentences.size()));
  CHECK(test.metrics.empty());
  CHECK(test.predictions.at(0).target == "<unk>");

  spec["metrics"] = Json::array();
  auto metricless = f.evaluate(f.task(spec), small_options());
  CHECK(metricless.examples == static_cast<int64_t>(kSentences.size()));
  CHECK(metricless.metrics.empty());
}

TEST_CASE("evaluate_task refuses a split where only some examples have labels", "[eval]") {
  Fixture f;
  Json spec = write_label_task(f.dir);
  f.dir.write("label/mixed.tsv", "sentence\tlabel\nthe dog\t1\na cat\t\n");
  spec["source"]["splits"]["validation"] = "label/mixed.tsv";
  CHECK_THROWS_WITH(
      f.evaluate(f.task(spec), small_options()),
      Catch::Contains("1 of 2 examples have no label") && Catch::Contains("mixed.tsv:3"));
}

TEST_CASE("evaluate_task cuts long inputs to max_input_length keeping EOS", "[eval]") {
  Fixture f;
  t5::Task task = f.task(write_label_task(f.dir));
  constexpr size_t kBudget = 5;
  auto options = small_options();
  options.max_input_length = kBudget;
  auto evaluation = f.evaluate(task, options);

  int64_t longer = 0;
  t5::GenerateOptions greedy;
  greedy.max_new_tokens = kDecodeLength;
  for (const auto& p : evaluation.predictions) {
    // T5's cut: the first kBudget - 1 pieces, then EOS.
    std::vector<int> ids = f.vocabulary.encode(p.inputs, t5::Eos::kAppend);
    if (ids.size() > kBudget) {
      ++longer;
      ids.resize(kBudget - 1);
      ids.push_back(f.vocabulary.eos_id());
    }
    auto tensor = torch::tensor(std::vector<int64_t>(ids.begin(), ids.end())).unsqueeze(0);
    auto sequences = t5::generate(*f.model, tensor, {}, greedy).sequences;
    std::vector<int> generated;
    for (int64_t t = 1; t < sequences.size(1); ++t) {
      generated.push_back(static_cast<int>(sequences[0][t].item<int64_t>()));
    }
    CHECK(p.prediction == f.vocabulary.decode(generated));
  }
  // The longest sentence has 14 words, so at least one input is cut;
  // how many is counted above rather than assumed.
  CHECK(longer > 0);
  CHECK(evaluation.truncated_inputs == longer);
}

TEST_CASE("evaluate_task restores the model's train or eval mode", "[eval]") {
  Fixture f;
  t5::Task task = f.task(write_label_task(f.dir));
  auto options = small_options();
  options.max_examples = 2;

  f.model->train();
  auto trained = f.evaluate(task, options);
  CHECK(f.model->is_training());
  f.model->eval();
  auto evaluated = f.evaluate(task, options);
  CHECK_FALSE(f.model->is_training());
  // Dropout is 0 in the tiny model, so the mode does not change outputs.
  CHECK(texts(trained) == texts(evaluated));
}

TEST_CASE("evaluate_task names the task and split of an empty split", "[eval]") {
  Fixture f;
  f.dir.write("label/empty.tsv", "sentence\tlabel\n");
  Json spec = write_label_task(f.dir);
  spec["source"]["splits"]["validation"] = "label/empty.tsv";
  CHECK_THROWS_WITH(f.evaluate(f.task(spec), small_options()),
                    Catch::Contains("task 'tiny_label' split 'validation' has no examples"));
}

TEST_CASE("eval options name the bad key and the nearest known one", "[eval]") {
  CHECK_THROWS_WITH(t5::EvalOptions::from_json(Json{{"beam", 4}}, "run.json: eval"),
                    Catch::Contains("run.json: eval") && Catch::Contains("unknown key 'beam'") &&
                        Catch::Contains("did you mean 'beams'"));
  CHECK_THROWS_WITH(t5::EvalOptions::from_json(Json{{"batch_size", "x"}}, "eval"),
                    Catch::Contains("'batch_size'") && Catch::Contains("expected an integer"));
  CHECK_THROWS_WITH(t5::EvalOptions::from_json(Json{{"batch_size", 0}}, "eval"),
                    Catch::Contains("'batch_size' must be >= 1, got 0"));
  CHECK_THROWS_WITH(t5::EvalOptions::from_json(Json{{"split", ""}}, "eval"),
                    Catch::Contains("'split'"));
  for (const char* key : {"max_examples", "max_decode_length", "max_input_length"}) {
    CHECK_THROWS_WITH(
        t5::EvalOptions::from_json(Json{{key, -1}}, "eval"),
        Catch::Contains(std::string("'") + key + "' must be >= 0") && Catch::Contains("got -1"));
  }
  CHECK_THROWS_WITH(t5::EvalOptions::from_json(Json{{"length_penalty", -0.5}}, "eval"),
                    Catch::Contains("'length_penalty'"));

  // Round trip: every field survives to_json and from_json.
  t5::EvalOptions options;
  options.split = "test";
  options.max_examples = 5;
  options.batch_size = 2;
  options.beams = 4;
  options.length_penalty = 1.0;
  options.max_decode_length = 10;
  options.max_input_length = 20;
  CHECK(t5::EvalOptions::from_json(options.to_json(), "eval").to_json() == options.to_json());

  // evaluate_task checks the options it is given too.
  Fixture f;
  auto bad = small_options();
  bad.beams = 0;
  CHECK_THROWS_WITH(f.evaluate(f.task(write_label_task(f.dir)), bad),
                    Catch::Contains("'beams' must be >= 1") && Catch::Contains("got 0"));
}

TEST_CASE("write_predictions writes one JSON line per prediction in the split's order", "[eval]") {
  Fixture f;
  auto evaluation = f.evaluate(f.task(write_label_task(f.dir)), small_options());
  auto file = f.dir.path() / "out" / "predictions.jsonl";
  std::filesystem::create_directories(file.parent_path());
  t5::write_predictions(file, evaluation);

  std::string text = t5::read_text_file(file);
  std::vector<Json> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    REQUIRE(end != std::string::npos);
    lines.push_back(Json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  REQUIRE(lines.size() == evaluation.predictions.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& p = evaluation.predictions[i];
    CHECK(lines[i] == Json({{"id", p.id},
                            {"inputs", p.inputs},
                            {"target", p.target},
                            {"prediction", p.prediction}}));
  }

  Json summary = evaluation.to_json(/*with_predictions=*/false);
  CHECK(summary.at("task") == "tiny_label");
  CHECK(summary.at("examples") == evaluation.examples);
  CHECK(summary.contains("predictions") == false);
  CHECK(evaluation.to_json(true).at("predictions").size() == evaluation.predictions.size());
}

TEST_CASE("evaluate_task refuses a vocabulary larger than the model's embedding", "[eval]") {
  Fixture f;
  auto config = t5::testing::tiny_model_config();
  config.vocab_size = 32;
  t5::T5Model small(config);
  small->reset_parameters(1);
  t5::Task task = f.task(write_label_task(f.dir));
  CHECK_THROWS_WITH(
      t5::evaluate_task(*small, f.vocabulary, task, f.metrics, f.data, small_options(), &f.quiet),
      Catch::Contains("has 60 ids but the model's embedding has 32 rows"));
}

TEST_CASE("evaluate_task decodes on the device of the model's parameters", "[eval][gpu]") {
  if (!torch::cuda::is_available()) {
    WARN("no CUDA device: skipping the device check of evaluate_task");
    return;
  }
  Fixture f;
  t5::Task task = f.task(write_label_task(f.dir));
  auto on_cpu = f.evaluate(task, small_options());
  f.model->to(torch::kCUDA);
  auto on_gpu = f.evaluate(task, small_options());
  CHECK(texts(on_gpu) == texts(on_cpu));
  CHECK(ids(on_gpu) == ids(on_cpu));
}

TEST_CASE("evaluate_task scores built-in tasks on the real data with T5's vocabulary", "[eval]") {
  T5_REQUIRE_DATA_DIR(root);
  t5::SentencePieceVocabulary vocabulary(root / "t5" / "spiece.model");
  auto config = t5::testing::tiny_model_config();
  config.vocab_size = t5::embedding_size(vocabulary.size());
  t5::T5Model model(config);
  model->reset_parameters(3);
  t5::MetricRegistry metrics;
  t5::register_builtin_metrics(metrics);
  t5::Logger quiet(t5::LogLevel::kError);
  t5::DataOptions data;
  data.data_dir = root;
  data.logger = &quiet;
  t5::EvalOptions options;
  options.max_examples = 4;
  options.batch_size = 3;
  options.max_decode_length = 4;

  for (const char* name : {"glue_mrpc", "squad_v1"}) {
    INFO(name);
    const t5::Task& task = t5::testing::builtin_tasks().get(name);
    auto examples = t5::testing::read_examples(task, "validation", data, 4);
    auto evaluation = t5::evaluate_task(*model, vocabulary, task, metrics, data, options, &quiet);
    REQUIRE(evaluation.examples == 4);

    // The same scores from the registry, with the references taken from the
    // examples as read (every answer for SQuAD, the label for MRPC).
    t5::MetricInputs inputs;
    for (size_t i = 0; i < examples.size(); ++i) {
      CHECK(evaluation.predictions[i].id == examples[i].id);
      inputs.predictions.push_back(evaluation.predictions[i].prediction);
      inputs.references.push_back(examples[i].answers.empty()
                                      ? std::vector<std::string>{examples[i].targets}
                                      : examples[i].answers);
    }
    t5::MetricScores expected;
    for (const auto& metric : task.spec().metrics) {
      for (const auto& [key, value] : metrics.get(metric.name)(inputs, metric.options)) {
        expected[key] = value;
      }
    }
    CHECK(evaluation.metrics == expected);
    CHECK(evaluation.metrics.size() == 2);  // MRPC: f1, accuracy; SQuAD: em, f1
  }
}

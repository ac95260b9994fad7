// `t5 score`: score predictions against references with a built-in metric.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "apps/commands.h"
#include "t5/tasks/metrics.h"
#include "t5/util/error.h"
#include "t5/util/files.h"
#include "t5/util/json.h"

namespace t5::apps {
namespace {

struct ScoreCommandOptions {
  std::string metric;
  std::string predictions;
  std::vector<std::string> references;
  std::string groups;
  std::vector<std::string> options;
  bool json = false;
};

// The lines of a text file: one example per line; a final newline ends the
// last line rather than starting an empty one; a trailing \r (Windows line
// ends) is dropped.
std::vector<std::string> read_lines(const std::string& path) {
  std::string text = read_text_file(path);
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::string count_lines(size_t count) {
  return fmt::format("{} line{}", count, count == 1 ? "" : "s");
}

void check_line_count(const std::string& path, size_t count, const std::string& predictions_path,
                      size_t expected) {
  T5_CHECK(count == expected,
           "{}: has {} but the predictions file {} has {}; each line is one example, so the "
           "files must line up (look for a missing or extra line)",
           path, count_lines(count), predictions_path, count_lines(expected));
}

// "key=value" to (key, value); the value is JSON when it parses (true, 3,
// ["a","b"]) and a plain string otherwise.
std::pair<std::string, Json> parse_option(const std::string& text) {
  size_t equals = text.find('=');
  T5_CHECK(equals != std::string::npos && equals > 0,
           "--option: expected key=value (e.g. --option tokenize=13a), got '{}'", text);
  std::string value = text.substr(equals + 1);
  Json parsed = Json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) parsed = value;
  return {text.substr(0, equals), parsed};
}

Json collect_options(const std::vector<std::string>& texts) {
  Json options = Json::object();
  for (const auto& text : texts) {
    auto [key, value] = parse_option(text);
    T5_CHECK(!options.contains(key), "--option: key '{}' is given twice; keep one", key);
    options[key] = value;
  }
  return options;
}

MetricInputs read_inputs(const ScoreCommandOptions& options) {
  MetricInputs inputs;
  inputs.predictions = read_lines(options.predictions);
  size_t count = inputs.predictions.size();
  inputs.references.resize(count);
  for (const auto& path : options.references) {
    auto lines = read_lines(path);
    check_line_count(path, lines.size(), options.predictions, count);
    for (size_t i = 0; i < count; ++i) inputs.references[i].push_back(std::move(lines[i]));
  }
  if (!options.groups.empty()) {
    inputs.groups = read_lines(options.groups);
    check_line_count(options.groups, inputs.groups.size(), options.predictions, count);
  }
  T5_CHECK(count > 0, "{}: has no lines; expected one prediction per line", options.predictions);
  return inputs;
}

void run_score(const ScoreCommandOptions& options) {
  MetricRegistry registry;
  register_builtin_metrics(registry);
  const MetricFn& metric = registry.get(options.metric);
  Json metric_options = collect_options(options.options);
  MetricInputs inputs = read_inputs(options);

  MetricScores scores;
  try {
    scores = metric(inputs, metric_options);
  } catch (const MetricExampleError& e) {
    // Metrics read an example's label from its first reference.
    fail("{}:{}: {}", options.references.front(), e.example(), e.what());
  }
  if (options.json) {
    print_json_line(Json(scores).dump());
    return;
  }
  for (const auto& [name, value] : scores) std::cout << fmt::format("{}: {:.4f}\n", name, value);
}

}  // namespace

void add_score_command(CLI::App& app) {
  auto options = std::make_shared<ScoreCommandOptions>();
  auto* cmd = app.add_subcommand(
      "score",
      "Score predictions against references with a built-in metric (one text per line; line n "
      "of every file is example n)");
  cmd->add_option("--metric", options->metric,
                  "metric: accuracy, f1, f1_macro, matthews_corrcoef, pearson, spearman, squad, "
                  "record, multirc, bleu, rouge")
      ->required();
  cmd->add_option("--predictions", options->predictions, "file of predictions, one per line")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--references", options->references,
                  "file of references, one per line; repeat for several references per example")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--groups", options->groups,
                  "file of group ids, one per line (multirc: the question of each answer)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--option", options->options,
                  "metric option key=value, repeatable; the value is read as JSON when it parses "
                  "(true, 3, [\"a\",\"b\"]) and as a string otherwise (e.g. tokenize=13a, "
                  "positive=equivalent, use_stemmer=true)");
  cmd->add_flag("--json", options->json, "print the scores as one JSON object");
  cmd->callback([options]() { run_score(*options); });
}

}  // namespace t5::apps

// `t5 corrupt`: shows what a pretraining objective makes of a text.
#include <fstream>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "apps/commands.h"
#include "t5/objectives/random.h"
#include "t5/objectives/registry.h"
#include "t5/tasks/registry.h"
#include "t5/text/vocabulary.h"
#include "t5/util/error.h"
#include "t5/util/json.h"
#include "t5/util/json_path.h"

namespace t5::apps {
namespace {

struct CorruptOptions {
  std::string objective;
  std::vector<std::string> params;
  uint64_t seed = 0;
  std::string vocab;
  std::string text;
  std::string text_file;
  std::string task;
  std::string split = "train";
  std::string data_dir;
  int64_t n = 1;
  bool json = false;
};

// {"name": objective, key: value...}; values read as JSON when they parse.
Json objective_spec(const CorruptOptions& options) {
  Json spec = {{"name", options.objective}};
  for (const auto& param : options.params) {
    auto equals = param.find('=');
    T5_CHECK(equals != std::string::npos && equals > 0,
             "--param: expected key=value, got '{}' (e.g. --param noise_density=0.15)", param);
    spec[param.substr(0, equals)] = parse_json_or_text(param.substr(equals + 1));
  }
  return spec;
}

// The texts to corrupt: --text, the lines of --text-file, or a task's
// examples (their inputs, or their targets when inputs are empty).
std::vector<std::string> source_texts(const CorruptOptions& options) {
  int sources = !options.text.empty() + !options.text_file.empty() + !options.task.empty();
  T5_CHECK(sources == 1, "corrupt: give exactly one of --text, --text-file or --task");
  std::vector<std::string> texts;
  if (!options.text.empty()) return {options.text};
  if (!options.text_file.empty()) {
    std::ifstream in(options.text_file);
    T5_CHECK(in.good(), "--text-file: cannot open {}", options.text_file);
    std::string line;
    while (static_cast<int64_t>(texts.size()) < options.n && std::getline(in, line)) {
      if (!line.empty()) texts.push_back(line);
    }
    return texts;
  }
  TaskRegistry tasks;
  MixtureRegistry mixtures;
  register_builtin_tasks(tasks, mixtures);
  DataOptions data;
  data.data_dir = resolve_data_dir(options.data_dir);
  auto reader = tasks.get(options.task).read(options.split, data);
  Example example;
  while (static_cast<int64_t>(texts.size()) < options.n && reader.next(example)) {
    texts.push_back(example.inputs.empty() ? example.targets : example.inputs);
  }
  return texts;
}

std::string pieces(const SentencePieceVocabulary& vocab, const std::vector<int64_t>& ids) {
  std::string joined;
  for (int64_t id : ids) joined += (joined.empty() ? "" : " ") + vocab.id_to_piece(int(id));
  return joined;
}

void run_corrupt(const CorruptOptions& options) {
  SentencePieceVocabulary vocab(options.vocab);
  ObjectiveRegistry registry;
  register_builtin_objectives(registry);
  ObjectiveContext context;
  context.ids = special_ids_of(vocab);
  context.where = "--objective " + options.objective;
  auto objective = registry.create(objective_spec(options), context);
  Rng rng(options.seed);
  for (const auto& text : source_texts(options)) {
    auto encoded = vocab.encode(text);
    std::vector<int64_t> tokens(encoded.begin(), encoded.end());
    auto example = objective->select(rng).apply(tokens, rng);
    std::vector<int> inputs(example.inputs.begin(), example.inputs.end());
    std::vector<int> targets(example.targets.begin(), example.targets.end());
    if (options.json) {
      print_json_line(Json{{"inputs", example.inputs},
                           {"targets", example.targets},
                           {"inputs_text", vocab.decode(inputs)},
                           {"targets_text", vocab.decode(targets)}}
                          .dump());
      continue;
    }
    std::cout << fmt::format("text:    {}\ninputs:  {}\n         {}\ntargets: {}\n         {}\n\n",
                             text, vocab.decode(inputs), pieces(vocab, example.inputs),
                             vocab.decode(targets), pieces(vocab, example.targets));
  }
}

}  // namespace

void add_corrupt_command(CLI::App& app) {
  auto options = std::make_shared<CorruptOptions>();
  auto* cmd = app.add_subcommand(
      "corrupt", "Show the inputs and targets a pretraining objective makes of texts");
  cmd->add_option("--objective", options->objective,
                  "objective name (span_corruption, prefix_lm, deshuffling, ...)")
      ->required();
  cmd->add_option("--param", options->params, "objective option key=value; repeatable");
  cmd->add_option("--seed", options->seed, "random seed (default 0)");
  cmd->add_option("--vocab", options->vocab, "SentencePiece model file")->required();
  cmd->add_option("--text", options->text, "one text");
  cmd->add_option("--text-file", options->text_file, "a file of texts, one per line");
  cmd->add_option("--task", options->task, "a task whose examples to corrupt");
  cmd->add_option("--split", options->split, "the task's split (default train)");
  cmd->add_option("--data-dir", options->data_dir, "data root (default T5_DATA_DIR)");
  cmd->add_option("--n", options->n, "texts to show from a file or task (default 1)");
  cmd->add_flag("--json", options->json,
                "one JSON line per text: inputs, targets, inputs_text, targets_text");
  cmd->callback([options]() { run_corrupt(*options); });
}

}  // namespace t5::apps

// `t5 pretrain`, `t5 finetune`, `t5 eval` and `t5 predict`: the stages of a
// run, each driven by a run config (--config, --set, --print-config).
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "apps/commands.h"
#include "t5/experiments/stages.h"
#include "t5/util/log.h"
#include "t5/util/threads.h"

namespace t5::apps {
namespace {

namespace fs = std::filesystem;

struct RunOptions {
  std::string config_file;
  std::vector<std::string> assignments;
  bool print_config = false;
  std::string out;
  std::vector<std::string> tasks;
  std::string from;
  std::string model;
};

void add_config_options(CLI::App& command, RunOptions& options) {
  command.add_option("--config", options.config_file, "run config (JSON); default: the defaults")
      ->check(CLI::ExistingFile);
  command.add_option("--set", options.assignments,
                     "override a config key: --set finetune.steps=300 (repeatable)");
  command.add_flag("--print-config", options.print_config,
                   "print the resolved run config and exit");
}

// The resolved config, or nothing when --print-config printed it.
std::optional<RunConfig> resolve(const RunOptions& options) {
  RunConfig config = load_run_config(options.config_file, options.assignments);
  if (options.print_config) {
    std::cout << config.to_json().dump(2) << "\n";
    return std::nullopt;
  }
  if (config.threads > 0) configure_threads(config.threads);
  return config;
}

fs::path out_dir(const RunOptions& options, const RunConfig& config, const std::string& stage) {
  if (!options.out.empty()) return options.out;
  return fs::path("runs") / config.name / stage;
}

// A run stopped by a signal exits as a shell reports one (128 + signal).
void exit_if_interrupted(const TrainResult& result) {
  if (result.interrupted) throw ExitCode{128 + result.signal};
}

void run_pretrain(const RunOptions& options) {
  auto config = resolve(options);
  if (!config) return;
  RunContext context(*config, default_logger());
  check_run(*config, context, options.config_file.empty() ? "run config" : options.config_file);
  fs::path out = out_dir(options, *config, "pretrain");
  fs::path vocabulary = prepare_vocabulary(*config, context, out / "vocabulary");
  TrainResult result = run_pretraining(*config, context, vocabulary, out);
  exit_if_interrupted(result);
  print_json_line(Json{{"out", out.string()},
                       {"steps", result.steps},
                       {"final_loss", result.final_loss},
                       {"seconds", result.seconds},
                       {"packing_efficiency", result.data.efficiency()}}
                      .dump());
}

void run_finetune(const RunOptions& options) {
  auto config = resolve(options);
  if (!config) return;
  if (!options.from.empty()) config->finetune.from = options.from;
  if (!options.tasks.empty()) config->finetune.tasks = options.tasks;
  T5_CHECK(!config->finetune.tasks.empty(),
           "finetune: no task; give --task NAME or set finetune.tasks in the run config");
  RunContext context(*config, default_logger());
  check_run(*config, context, options.config_file.empty() ? "run config" : options.config_file);
  fs::path init = !config->finetune.from.empty() ? fs::path(config->finetune.from)
                                                 : fs::path(config->model.from);
  fs::path out = out_dir(options, *config, "finetune");
  fs::path vocabulary = init.empty() ? prepare_vocabulary(*config, context, out / "vocabulary")
                                     : vocabulary_for_model(*config, context, init);
  for (const auto& task : config->finetune.tasks) {
    TrainResult result = run_finetuning(*config, context, task, vocabulary, init, out / task);
    exit_if_interrupted(result);
    Json scores = Json::object();
    for (const auto& s : result.best_scores) scores[s.task] = s.metrics;
    print_json_line(Json{{"task", task},
                         {"out", (out / task).string()},
                         {"best_step", result.best_step},
                         {"scores", scores},
                         {"steps", result.steps},
                         {"seconds", result.seconds}}
                        .dump());
  }
}

// eval prints the scores; predict also writes predictions and metrics.json.
void run_scoring(const RunOptions& options, bool write_files) {
  auto config = resolve(options);
  if (!config) return;
  std::vector<std::string> tasks = options.tasks.empty() ? config->finetune.tasks : options.tasks;
  T5_CHECK(!tasks.empty(), "give --task NAME or set finetune.tasks in the run config");
  RunContext context(*config, default_logger());
  fs::path vocabulary = vocabulary_for_model(*config, context, options.model);
  fs::path out = write_files ? out_dir(options, *config, "predict") : fs::path(options.out);
  for (const auto& evaluation :
       run_evaluation(*config, context, tasks, vocabulary, options.model, out)) {
    print_json_line(Json{{"task", evaluation.task},
                         {"split", evaluation.split},
                         {"examples", evaluation.examples},
                         {"metrics", evaluation.metrics}}
                        .dump());
  }
}

}  // namespace

void add_train_commands(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();

  auto* pretrain = app.add_subcommand("pretrain", "pretrain a model on a corpus with an objective");
  add_config_options(*pretrain, *options);
  pretrain->add_option("--out", options->out, "output folder (default runs/<name>/pretrain)");
  pretrain->callback([options] { run_pretrain(*options); });

  auto* finetune = app.add_subcommand(
      "finetune", "fine-tune on tasks, from a pretrained run, a model folder, or fresh");
  add_config_options(*finetune, *options);
  finetune->add_option("--task", options->tasks,
                       "task or mixture (repeatable; default: "
                       "finetune.tasks)");
  finetune->add_option("--from", options->from,
                       "model folder or pretraining run folder to start from (finetune.from)");
  finetune->add_option("--out", options->out,
                       "output folder; each task in <out>/<task> (default runs/<name>/finetune)");
  finetune->callback([options] { run_finetune(*options); });

  auto* eval = app.add_subcommand("eval", "score a model on tasks' validation splits");
  add_config_options(*eval, *options);
  eval->add_option("--model", options->model, "model folder (or run folder holding model/)")
      ->required();
  eval->add_option("--task", options->tasks, "task or mixture (repeatable)");
  eval->add_option("--out", options->out, "also write predictions and metrics.json here");
  eval->callback([options] { run_scoring(*options, false); });

  auto* predict = app.add_subcommand("predict", "write a model's predictions and metrics");
  add_config_options(*predict, *options);
  predict->add_option("--model", options->model, "model folder (or run folder holding model/)")
      ->required();
  predict->add_option("--task", options->tasks, "task or mixture (repeatable)");
  predict->add_option("--out", options->out, "output folder (default runs/<name>/predict)");
  predict->callback([options] { run_scoring(*options, true); });
}

}  // namespace t5::apps

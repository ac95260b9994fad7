#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "t5/experiments/runner.h"

namespace t5::apps {

// Each subcommand lives in its own file and adds itself to the root app.
// The callbacks run after parsing, in the order CLI11 calls them.
void add_model_command(CLI::App& app);
void add_generate_command(CLI::App& app);
void add_vocab_command(CLI::App& app);
void add_score_command(CLI::App& app);
void add_tasks_command(CLI::App& app);
void add_corrupt_command(CLI::App& app);
// pretrain, finetune, eval and predict.
void add_train_commands(CLI::App& app);

// Thrown to end the program with `code` (e.g. 130 after SIGINT) once the
// work is saved.
struct ExitCode {
  int code;
};

// `t5 sweep FILE [--out DIR] [--report] [--slurm] [--workers N] [--dry-run]`.
// `make_hooks` builds the training stages' hooks; it is called only when a
// sweep is checked or run (not for --report or --slurm).
void add_sweep_command(CLI::App& app, std::function<SweepHooks()> make_hooks);

// Prints one JSON value on one line to stdout.
void print_json_line(const std::string& json_text);

}  // namespace t5::apps

#pragma once

#include <CLI/CLI.hpp>

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

// Prints one JSON value on one line to stdout.
void print_json_line(const std::string& json_text);

}  // namespace t5::apps

// The `t5` command: one subcommand per job, each in its own file.
#include <c10/util/Exception.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "apps/commands.h"
#include "t5/experiments/sweep_stages.h"
#include "t5/util/cpu.h"
#include "t5/util/error.h"
#include "t5/util/log.h"
#include "t5/util/threads.h"

namespace t5::apps {

void print_json_line(const std::string& json_text) { std::cout << json_text << "\n"; }

}  // namespace t5::apps

int main(int argc, char** argv) {
  t5::keep_freed_memory();
  CLI::App app{
      "t5: text-to-text transfer learning on LibTorch (models, tasks, objectives, "
      "training, sweeps)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("t5 ") + T5_VERSION);
  int threads = 0;
  app.add_option("--threads", threads,
                 "CPU threads for LibTorch (default: T5_THREADS, else all cores)")
      ->envname("T5_THREADS")
      ->check(CLI::PositiveNumber);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "log DEBUG lines too");
  app.parse_complete_callback([&]() {
    t5::configure_threads(threads);
    if (verbose) t5::default_logger().set_level(t5::LogLevel::kDebug);
  });

  t5::apps::add_model_command(app);
  t5::apps::add_generate_command(app);
  t5::apps::add_vocab_command(app);
  t5::apps::add_score_command(app);
  t5::apps::add_tasks_command(app);
  t5::apps::add_corrupt_command(app);
  t5::apps::add_train_commands(app);
  t5::apps::add_sweep_command(app, [] { return t5::training_sweep_hooks(t5::default_logger()); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const t5::apps::ExitCode& e) {
    return e.code;
  } catch (const t5::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  } catch (const c10::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what_without_backtrace());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}

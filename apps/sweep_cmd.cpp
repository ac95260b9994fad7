// `t5 sweep`: runs every point of a sweep file, shares the stages points
// have in common, and writes the results table and learning curves.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "apps/commands.h"
#include "t5/experiments/report.h"
#include "t5/experiments/runner.h"
#include "t5/experiments/slurm.h"
#include "t5/util/error.h"
#include "t5/util/log.h"

extern char** environ;

namespace t5::apps {
namespace {

namespace fs = std::filesystem;

struct SweepCommandOptions {
  std::string file;
  std::string out;
  bool report = false;
  bool slurm = false;
  bool dry_run = false;
  bool worker = false;
  int64_t workers = 0;
};

void print_dry_run(const SweepSpec& spec, const SweepPlan& plan) {
  size_t done = 0;
  for (const auto& planned : plan.stages) done += stage_done(planned.stage);
  std::cout << fmt::format("sweep '{}': {} points, {} stages ({} done), output in {}\n\npoints:\n",
                           spec.name, plan.points.size(), plan.stages.size(), done,
                           plan.out_dir.string());
  for (size_t p = 0; p < plan.points.size(); ++p) {
    const PointStages& stages = plan.point_stages[p];
    std::string ids = plan.stages[stages.pretrain].stage.id;
    if (stages.vocabulary) ids = plan.stages[*stages.vocabulary].stage.id + " " + ids;
    for (const auto& entry : stages.finetune) ids += " " + plan.stages[entry.second].stage.id;
    std::cout << fmt::format("  {}  {}  seed {}: {}\n", plan.points[p].id,
                             plan.points[p].row_label(), plan.points[p].seed, ids);
  }
  std::cout << "\nstages, in the order they run:\n";
  for (size_t s = 0; s < plan.stages.size(); ++s) {
    std::cout << fmt::format("  {:4}  {}  ({})\n",
                             stage_done(plan.stages[s].stage) ? "done" : "todo",
                             plan.stages[s].stage.id, describe_stage(plan, s));
  }
}

// This process's command line with "--workers N" replaced by "--worker",
// which is how each worker process is started.
std::vector<std::string> worker_command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> args;
  std::string arg;
  while (std::getline(in, arg, '\0')) args.push_back(arg);
  T5_CHECK(!args.empty(), "--workers: cannot read /proc/self/cmdline to start the workers");
  std::vector<std::string> command;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--workers") {
      ++i;
      continue;
    }
    if (args[i].rfind("--workers=", 0) == 0) continue;
    command.push_back(args[i]);
  }
  command.push_back("--worker");
  return command;
}

// Starts `count` worker processes of this program and waits for them all.
void run_worker_processes(int64_t count, const Logger& log) {
  std::vector<std::string> command = worker_command_line();
  std::vector<char*> argv;
  for (auto& arg : command) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<pid_t> pids;
  for (int64_t w = 0; w < count; ++w) {
    pid_t pid = 0;
    int error = ::posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ);
    T5_CHECK(error == 0, "--workers: cannot start worker {}: {}", w, std::strerror(error));
    pids.push_back(pid);
  }
  log.info("sweep", "started {} worker processes; each logs its own stages", count);

  int failed = 0;
  for (pid_t pid : pids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
  }
  T5_CHECK(failed == 0,
           "{} of {} workers failed (their errors are above); run the sweep again to resume it",
           failed, count);
}

void write_slurm(const SweepCommandOptions& options, const SweepSpec& spec, const fs::path& out) {
  SlurmOptions slurm = spec.slurm;
  if (options.workers > 0) slurm.workers = options.workers;
  SlurmJob job{spec.name, fs::read_symlink("/proc/self/exe"), fs::absolute(options.file),
               fs::absolute(out)};
  fs::path script = write_slurm_script(job, slurm);
  std::cout << fmt::format(
      "wrote {} ({} array tasks)\nsubmit it with:  sbatch {}\nthen build the table with:  t5 sweep "
      "{} --out {} --report\n",
      script.string(), slurm.workers, script.string(), job.sweep_file.string(),
      job.out_dir.string());
}

void run_sweep_command(const SweepCommandOptions& options,
                       const std::function<SweepHooks()>& make_hooks) {
  const Logger& log = default_logger();
  SweepSpec spec = load_sweep_file(options.file);
  fs::path out = options.out.empty() ? default_sweep_dir(spec) : fs::path(options.out);
  if (options.slurm) return write_slurm(options, spec, out);

  SweepPlan plan = plan_sweep(spec, out);
  if (options.report) {
    std::cout << write_report(spec, plan, log);
    return;
  }

  // Everything is checked once here, so a bad sweep stops before any worker.
  SweepHooks hooks = make_hooks();
  check_sweep(plan, hooks, spec.origin);
  if (options.dry_run) return print_dry_run(spec, plan);
  if (options.workers > 1) {
    run_worker_processes(options.workers, log);
  } else {
    run_sweep(spec, out, hooks);
  }
  std::string table = write_report(spec, plan, log);
  if (!options.worker) std::cout << table;
}

}  // namespace

void add_sweep_command(CLI::App& app, std::function<SweepHooks()> make_hooks) {
  auto options = std::make_shared<SweepCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Run a sweep file: every point's vocabulary, pretraining, fine-tuning and evaluation, "
      "sharing stages between points and skipping finished ones; then print the results table");
  cmd->add_option("file", options->file, "the sweep file (JSON; see t5/experiments/sweep.h)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", options->out, "output folder (default: runs/<sweep name>)");
  auto* report = cmd->add_flag("--report", options->report,
                               "rebuild the table and plots from finished stages; run nothing");
  auto* slurm = cmd->add_flag("--slurm", options->slurm,
                              "write <out>/sweep.sbatch, a Slurm array of workers; run nothing");
  auto* dry_run = cmd->add_flag("--dry-run", options->dry_run,
                                "check the sweep and print its points and stages; run nothing");
  auto* workers = cmd->add_option(
      "--workers", options->workers,
      "worker processes on this machine (they share the stages through file locks; give each "
      "a share of the cores with --threads); with --slurm: array tasks");
  workers->check(CLI::PositiveNumber);
  cmd->add_flag("--worker", options->worker,
                "run as one of several workers (as --workers and the Slurm script start them): "
                "do not print the table");
  report->excludes(slurm)->excludes(dry_run);
  slurm->excludes(dry_run);
  cmd->callback([options, make_hooks]() { run_sweep_command(*options, make_hooks); });
}

}  // namespace t5::apps

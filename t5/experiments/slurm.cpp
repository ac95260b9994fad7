#include "t5/experiments/slurm.h"

#include <fmt/format.h>

#include <regex>

#include "t5/util/files.h"

namespace t5 {
namespace {

// Slurm's time formats: "minutes", "MM:SS", "HH:MM:SS", "D-HH", "D-HH:MM",
// "D-HH:MM:SS".
bool is_slurm_time(const std::string& text) {
  static const std::regex pattern(R"(\d+|\d+:\d{2}|\d+:\d{2}:\d{2}|\d+-\d+(:\d{2}){0,2})");
  return std::regex_match(text, pattern);
}

bool is_slurm_memory(const std::string& text) {
  static const std::regex pattern(R"(\d+[KMGT]?)");
  return std::regex_match(text, pattern);
}

}  // namespace

SlurmOptions SlurmOptions::from_json(const Json& json, const std::string& where) {
  SlurmOptions options;
  JsonFields fields(json, where);
  fields.get("workers", options.workers);
  fields.get("time", options.time);
  fields.get("cpus_per_task", options.cpus_per_task);
  fields.get("mem", options.mem);
  fields.get("gpus_per_task", options.gpus_per_task);
  fields.get("partition", options.partition);
  fields.get("account", options.account);
  fields.get("setup", options.setup);
  fields.finish();

  T5_CHECK(options.workers >= 1, "{}.workers: expected at least 1 array task, got {}", where,
           options.workers);
  T5_CHECK(options.cpus_per_task >= 1, "{}.cpus_per_task: expected at least 1, got {}", where,
           options.cpus_per_task);
  T5_CHECK(options.gpus_per_task >= 0, "{}.gpus_per_task: expected 0 or more, got {}", where,
           options.gpus_per_task);
  T5_CHECK(is_slurm_time(options.time),
           "{}.time: expected a Slurm time such as \"04:00:00\" or \"1-12:00:00\", got \"{}\"",
           where, options.time);
  T5_CHECK(is_slurm_memory(options.mem),
           "{}.mem: expected a Slurm memory size such as \"32G\" or \"4000M\", got \"{}\"", where,
           options.mem);
  return options;
}

Json SlurmOptions::to_json() const {
  return {{"workers", workers},
          {"time", time},
          {"cpus_per_task", cpus_per_task},
          {"mem", mem},
          {"gpus_per_task", gpus_per_task},
          {"partition", partition},
          {"account", account},
          {"setup", setup}};
}

std::string shell_quote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

std::string slurm_script(const SlurmJob& job, const SlurmOptions& options) {
  std::string logs = (job.out_dir / "slurm" / "%A_%a.out").string();
  std::string s = "#!/bin/bash\n";
  s += fmt::format("# Sweep '{}': {} workers share its stages through file locks in\n",
                   job.sweep_name, options.workers);
  s += fmt::format("# {}. Written by `t5 sweep --slurm`; submit with sbatch.\n",
                   job.out_dir.string());
  s += fmt::format("#SBATCH --job-name=t5-{}\n", job.sweep_name);
  s += fmt::format("#SBATCH --array=0-{}\n", options.workers - 1);
  s += fmt::format("#SBATCH --time={}\n", options.time);
  s += fmt::format("#SBATCH --cpus-per-task={}\n", options.cpus_per_task);
  s += fmt::format("#SBATCH --mem={}\n", options.mem);
  if (options.gpus_per_task > 0) {
    s += fmt::format("#SBATCH --gpus-per-task={}\n", options.gpus_per_task);
  }
  if (!options.partition.empty()) s += fmt::format("#SBATCH --partition={}\n", options.partition);
  if (!options.account.empty()) s += fmt::format("#SBATCH --account={}\n", options.account);
  s += fmt::format("#SBATCH --output={}\n", logs);
  s += "set -euo pipefail\n";
  for (const auto& line : options.setup) s += line + "\n";
  s += "export T5_THREADS=\"${SLURM_CPUS_PER_TASK}\"\n";
  s += fmt::format("exec {} sweep {} --out {} --worker\n", shell_quote(job.t5_binary.string()),
                   shell_quote(job.sweep_file.string()), shell_quote(job.out_dir.string()));
  return s;
}

std::filesystem::path write_slurm_script(const SlurmJob& job, const SlurmOptions& options) {
  std::filesystem::path path = job.out_dir / "sweep.sbatch";
  std::error_code ec;
  std::filesystem::create_directories(job.out_dir / "slurm", ec);
  T5_CHECK(!ec, "cannot create {}: {}", (job.out_dir / "slurm").string(), ec.message());
  write_text_atomically(path, slurm_script(job, options));
  return path;
}

}  // namespace t5

#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "t5/util/json.h"

namespace t5 {

// The "slurm" object of a sweep file: resources of each array task. Every
// array task is one sweep worker; workers share the stages through file
// locks in the output folder, which must be on a file system all nodes see
// and that supports flock (NFSv4, Lustre and GPFS do; NFSv3 without lockd
// does not).
struct SlurmOptions {
  /// Array tasks (workers) to start; default 4. `--workers N` overrides it.
  int64_t workers = 4;
  /// Wall-time limit of each array task, Slurm syntax; default "24:00:00".
  std::string time = "24:00:00";
  /// CPU cores per array task (also exported as T5_THREADS); default 8.
  int64_t cpus_per_task = 8;
  /// Memory per array task, Slurm syntax ("32G"); default "32G".
  std::string mem = "32G";
  /// GPUs per array task; default 0 (no --gpus-per-task line).
  int64_t gpus_per_task = 0;
  /// Partition; default "" (the cluster's default partition).
  std::string partition;
  /// Account to charge; default "" (the user's default account).
  std::string account;
  /// Shell lines run before the worker (e.g. "module load cuda"); default none.
  std::vector<std::string> setup;

  // Reads the options; unknown keys and bad values are t5::Error naming
  // `where` ("sweep.json: slurm") and the key.
  static SlurmOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
};

// What the array script runs: the `t5` executable, the sweep file and the
// output folder (made absolute by the caller, since jobs start elsewhere).
struct SlurmJob {
  std::string sweep_name;
  std::filesystem::path t5_binary;
  std::filesystem::path sweep_file;
  std::filesystem::path out_dir;
};

// The text of an sbatch script: an array of options.workers tasks, each
// running `t5 sweep FILE --out DIR --worker`, logs under DIR/slurm/.
std::string slurm_script(const SlurmJob& job, const SlurmOptions& options);

// Writes <out_dir>/sweep.sbatch atomically (and creates <out_dir>/slurm/ for
// the logs); returns the script's path.
std::filesystem::path write_slurm_script(const SlurmJob& job, const SlurmOptions& options);

// Quotes a word for a POSIX shell ('...' with embedded quotes escaped).
std::string shell_quote(const std::string& word);

}  // namespace t5

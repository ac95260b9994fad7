#pragma once

#include <string>
#include <vector>

namespace t5::testing {

// What a run of the built `t5` command printed and how it exited.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};

// Which streams a run captures: stdout alone (for output that is parsed), or
// stderr too (for error messages).
enum class Capture { kStdout, kStdoutAndStderr };

// The built command: T5_BIN (set by CTest), else the build folder's bin/t5.
std::string t5_binary();

// Runs the built `t5` with `args` (each quoted for the shell).
CommandResult run_t5(const std::vector<std::string>& args, Capture capture = Capture::kStdout);

// Starts the built `t5` with `args` in the background, stdout and stderr
// going to `log_file`; returns its process id (wait for it with waitpid).
int start_t5(const std::vector<std::string>& args, const std::string& log_file);

}  // namespace t5::testing

#include "tests/support/run_t5.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <sys/wait.h>

namespace t5::testing {
namespace {

std::string shell_quote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

std::string t5_binary() {
  if (const char* bin = std::getenv("T5_BIN")) return bin;
  return T5_BINARY_DIR "/bin/t5";
}

CommandResult run_t5(const std::vector<std::string>& args, Capture capture) {
  std::string command = shell_quote(t5_binary());
  for (const auto& arg : args) command += " " + shell_quote(arg);
  command += capture == Capture::kStdout ? " 2>/dev/null" : " 2>&1";

  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot start " + command);
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace t5::testing

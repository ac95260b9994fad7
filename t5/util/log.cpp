#include "t5/util/log.h"

#include <chrono>
#include <ctime>

namespace t5 {
namespace {

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarn:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "?";
}

}  // namespace

std::string iso_time_now() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

void Logger::write(LogLevel level, const std::string& component, const std::string& message) const {
  if (rank_ != 0 || level < level_) return;
  std::string line =
      fmt::format("{} {} [{}] {}\n", iso_time_now(), level_name(level), component, message);
  std::fputs(line.c_str(), stderr);
}

Logger& default_logger() {
  static Logger logger;
  return logger;
}

}  // namespace t5

#pragma once

#include <fmt/format.h>

#include <cstdio>
#include <string>

namespace t5 {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// A small logger: "2026-12-04T17:20:01Z INFO [train] message" lines on
// stderr. Each object holds its own level and rank (only rank 0 writes), so
// two runs or two ranks in one process do not share state.
class Logger {
 public:
  explicit Logger(LogLevel level = LogLevel::kInfo, int rank = 0) : level_(level), rank_(rank) {}

  void set_level(LogLevel level) { level_ = level; }
  LogLevel level() const { return level_; }
  void set_rank(int rank) { rank_ = rank; }

  void write(LogLevel level, const std::string& component, const std::string& message) const;

  template <typename... Args>
  void info(const std::string& component, fmt::format_string<Args...> f, Args&&... args) const {
    write(LogLevel::kInfo, component, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void warn(const std::string& component, fmt::format_string<Args...> f, Args&&... args) const {
    write(LogLevel::kWarn, component, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void debug(const std::string& component, fmt::format_string<Args...> f, Args&&... args) const {
    write(LogLevel::kDebug, component, fmt::format(f, std::forward<Args>(args)...));
  }

 private:
  LogLevel level_;
  int rank_;
};

// The logger that library code without a logger of its own writes to (INFO,
// rank 0). Apps may change its level (e.g. --verbose).
Logger& default_logger();

// "2026-12-04T17:20:01Z" for the current UTC time.
std::string iso_time_now();

}  // namespace t5

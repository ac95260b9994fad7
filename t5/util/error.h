#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace t5 {

// The one project error type. Every message says where (file:line or config
// key), what was expected, what was found, and how to fix it. main() prints
// "error: <message>" and exits non-zero; no stack trace for user mistakes.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Throws t5::Error with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace t5

// Checks a condition on user input; on failure throws t5::Error with the
// formatted message (which must name the bad value and the fix).
#define T5_CHECK(cond, ...)    \
  do {                         \
    if (!(cond)) {             \
      ::t5::fail(__VA_ARGS__); \
    }                          \
  } while (false)

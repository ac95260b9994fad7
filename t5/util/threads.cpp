#include "t5/util/threads.h"

#include <torch/torch.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "t5/util/error.h"

namespace t5 {

int resolve_thread_count(int requested) {
  if (requested > 0) return requested;
  if (const char* env = std::getenv("T5_THREADS"); env != nullptr && *env != '\0') {
    std::string text(env);
    size_t used = 0;
    int value = 0;
    try {
      value = std::stoi(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    T5_CHECK(used == text.size() && value > 0,
             "T5_THREADS: expected a positive integer, got '{}'; unset it to use every core", text);
    return value;
  }
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

int configure_threads(int requested) {
  int threads = resolve_thread_count(requested);
  torch::set_num_threads(threads);
  return threads;
}

}  // namespace t5

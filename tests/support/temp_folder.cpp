#include "tests/support/temp_folder.h"

#include <unistd.h>

#include <atomic>
#include <system_error>

namespace t5::testing {

TempFolder::TempFolder(const std::string& label) {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("t5_test_" + label + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempFolder::~TempFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace t5::testing

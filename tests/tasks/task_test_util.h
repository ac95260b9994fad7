#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "t5/tasks/registry.h"
#include "t5/tasks/sources.h"

namespace t5::testing {

// A fresh folder under the system temporary folder, removed with its
// contents when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `bytes` to `name` (sub-folders are created) and returns the path.
  std::filesystem::path write(const std::string& name, const std::string& bytes) const;
  // Same, gzip-compressed.
  std::filesystem::path write_gz(const std::string& name, const std::string& bytes) const;

 private:
  std::filesystem::path path_;
};

// Reads every record under `policy`; `stats` receives the counts.
std::vector<Record> read_all(std::unique_ptr<RecordReader> reader, OnBadRecord policy,
                             ReadStats* stats = nullptr);

// Reads up to `limit` examples of a task's split.
std::vector<Example> read_examples(const Task& task, const std::string& split,
                                   const DataOptions& options, size_t limit = SIZE_MAX);

// The real data sets ($T5_DATA_DIR), or nothing when it is unset.
std::optional<std::filesystem::path> real_data_dir();

// The built-in tasks and mixtures, loaded once per process.
const TaskRegistry& builtin_tasks();
const MixtureRegistry& builtin_mixtures();

}  // namespace t5::testing

// Skips the rest of a test case, visibly, when T5_DATA_DIR is unset.
#define T5_REQUIRE_DATA_DIR(variable)                                                \
  auto variable##_optional = ::t5::testing::real_data_dir();                         \
  if (!variable##_optional) {                                                        \
    WARN(                                                                            \
        "T5_DATA_DIR is unset: skipping this test of the real data sets (set it to " \
        "../shared/datasets to run it)");                                            \
    return;                                                                          \
  }                                                                                  \
  const std::filesystem::path variable = *variable##_optional

#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "t5/tasks/registry.h"
#include "t5/tasks/sources.h"
#include "tests/support/temp_folder.h"

namespace t5::testing {

// A temporary folder (see TempFolder) with helpers to write test files.
class TempDir : public TempFolder {
 public:
  TempDir() : TempFolder("t5-tasks") {}

  // Writes `bytes` to `name` (sub-folders are created) and returns the path.
  std::filesystem::path write(const std::string& name, const std::string& bytes) const;
  // Same, gzip-compressed.
  std::filesystem::path write_gz(const std::string& name, const std::string& bytes) const;
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

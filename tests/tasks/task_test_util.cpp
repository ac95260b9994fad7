#include "tests/tasks/task_test_util.h"

#include <stdlib.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>

#include "t5/util/error.h"

namespace t5::testing {

std::filesystem::path TempDir::write(const std::string& name, const std::string& bytes) const {
  std::filesystem::path file = path() / name;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  T5_CHECK(out.good(), "cannot write {}", file.string());
  return file;
}

std::filesystem::path TempDir::write_gz(const std::string& name, const std::string& bytes) const {
  std::filesystem::path file = path() / name;
  std::filesystem::create_directories(file.parent_path());
  gzFile gz = gzopen(file.string().c_str(), "wb");
  T5_CHECK(gz != nullptr, "cannot write {}", file.string());
  int written = gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(gz);
  T5_CHECK(written == static_cast<int>(bytes.size()), "cannot write {}", file.string());
  return file;
}

std::vector<Record> read_all(std::unique_ptr<RecordReader> reader, OnBadRecord policy,
                             ReadStats* stats) {
  RecordStream stream(std::move(reader), policy);
  std::vector<Record> records;
  Record record;
  while (stream.next(record)) records.push_back(record);
  if (stats != nullptr) *stats = stream.stats();
  return records;
}

std::vector<Example> read_examples(const Task& task, const std::string& split,
                                   const DataOptions& options, size_t limit) {
  ExampleReader reader = task.read(split, options);
  std::vector<Example> examples;
  Example example;
  while (examples.size() < limit && reader.next(example)) examples.push_back(example);
  return examples;
}

std::optional<std::filesystem::path> real_data_dir() {
  const char* root = std::getenv("T5_DATA_DIR");
  if (root == nullptr || *root == '\0') return std::nullopt;
  return std::filesystem::path(root);
}

namespace {

struct Builtin {
  TaskRegistry tasks;
  MixtureRegistry mixtures;

  Builtin() { register_builtin_tasks(tasks, mixtures); }
};

const Builtin& builtin() {
  static const Builtin loaded;
  return loaded;
}

}  // namespace

const TaskRegistry& builtin_tasks() { return builtin().tasks; }
const MixtureRegistry& builtin_mixtures() { return builtin().mixtures; }

}  // namespace t5::testing

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <sys/wait.h>

#include "t5/util/files.h"
#include "t5/util/json.h"
#include "tests/support/run_t5.h"
#include "tests/support/temp_folder.h"
#include "tests/tasks/task_test_util.h"

namespace {

namespace fs = std::filesystem;
using t5::Json;

fs::path smoke_sweep() { return fs::path(T5_SOURCE_DIR) / "experiments" / "smoke.json"; }

std::vector<fs::path> stage_dirs(const fs::path& out) {
  std::vector<fs::path> dirs;
  if (!fs::exists(out / "stages")) return dirs;
  for (const auto& entry : fs::directory_iterator(out / "stages")) {
    if (entry.is_directory()) dirs.push_back(entry.path());
  }
  return dirs;
}

std::vector<fs::path> done_stages(const fs::path& out) {
  std::vector<fs::path> done;
  for (const auto& dir : stage_dirs(out)) {
    if (fs::exists(dir / "done.json")) done.push_back(dir);
  }
  return done;
}

int64_t attempts(const fs::path& stage) {
  std::ifstream in(stage / "attempts.jsonl");
  int64_t lines = 0;
  for (std::string line; std::getline(in, line);) lines += !line.empty();
  return lines;
}

}  // namespace

TEST_CASE("smoke.json killed mid-run and run again completes without rerunning finished stages",
          "[apps][experiments][slow]") {
  T5_REQUIRE_DATA_DIR(data_dir);
  t5::testing::TempFolder folder("sweep_kill");
  fs::path out = folder / "smoke";
  int pid = t5::testing::start_t5({"sweep", smoke_sweep().string(), "--out", out.string()},
                                  (folder / "first.log").string());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (done_stages(out).empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  INFO(t5::read_text_file(folder / "first.log"));
  REQUIRE(WIFSIGNALED(status));
  std::vector<fs::path> finished = done_stages(out);
  REQUIRE(!finished.empty());
  REQUIRE(finished.size() < 4);  // smoke.json has 4 stages: killed mid-run

  auto second = t5::testing::run_t5({"sweep", smoke_sweep().string(), "--out", out.string()},
                                    t5::testing::Capture::kStdoutAndStderr);
  INFO(second.output);
  REQUIRE(second.exit_code == 0);
  CHECK(done_stages(out).size() == 4);
  for (const auto& stage : finished) {
    INFO(stage.string());
    CHECK(attempts(stage) == 1);
  }
  CHECK(fs::exists(out / "report" / "results.md"));
  CHECK_THAT(second.output,
             Catch::Contains("| objective |") && Catch::Contains("| no pretraining |"));
}

TEST_CASE("a bad sweep file is one clear error and starts no work", "[apps][experiments]") {
  T5_REQUIRE_DATA_DIR(data_dir);
  t5::testing::TempFolder folder("sweep_bad");
  Json sweep = Json::parse(t5::read_text_file(smoke_sweep()));
  struct Case {
    const char* change;
    Json value;
    const char* expected;
  };
  std::vector<Case> cases = {
      {"/axes/0/values", Json::array(), "values"},
      {"/base/finetune/taskz", Json::array({"glue_mrpc"}), "unknown key 'taskz'"},
      {"/base/finetune/tasks", Json::array({"glue_mrpx"}), "did you mean 'glue_mrpc'"},
      {"/axes/0/values/1", "span_corruptio", "span_corruption"},
      {"/base/vocabulary/path", "missing/spiece.model", "missing/spiece.model"},
      {"/seeds", Json::array(), "seeds"},
  };
  for (const auto& c : cases) {
    INFO(c.change);
    Json bad = sweep;
    bad[Json::json_pointer(c.change)] = c.value;
    fs::path file = folder / "bad.json";
    t5::write_text_atomically(file, bad.dump(2));
    fs::path out = folder / "out";
    auto result = t5::testing::run_t5({"sweep", file.string(), "--out", out.string()},
                                      t5::testing::Capture::kStdoutAndStderr);
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.output, Catch::Contains("error: ") && Catch::Contains(c.expected));
    CHECK(stage_dirs(out).empty());
  }
}

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <thread>

#include "t5/experiments/runner.h"
#include "t5/util/files.h"
#include "tests/experiments/fake_stages.h"
#include "tests/support/temp_folder.h"

using t5::Json;
using t5::testing::attempts;
using t5::testing::FakeStages;
using t5::testing::TempFolder;

namespace {

t5::SweepSpec fake_spec() {
  return t5::SweepSpec::from_json(t5::testing::fake_sweep_json(), "fake.json");
}

t5::SweepRunOptions fast_polling() {
  t5::SweepRunOptions options;
  options.poll_interval = std::chrono::milliseconds(5);
  return options;
}

// The plan's stage folders, for inspecting what the runner left there.
std::vector<std::filesystem::path> stage_dirs(const t5::SweepSpec& spec,
                                              const std::filesystem::path& out) {
  std::vector<std::filesystem::path> dirs;
  for (const auto& planned : t5::plan_sweep(spec, out).stages) dirs.push_back(planned.stage.dir);
  return dirs;
}

}  // namespace

TEST_CASE("A sweep runs every stage once, and a second run skips them all", "[experiments]") {
  TempFolder temp("sweep_rerun");
  auto spec = fake_spec();
  FakeStages first;
  auto summary = t5::run_sweep(spec, temp / "out", first.hooks(), fast_polling());

  // 4 pretraining + 16 fine-tuning stages (see plan_test.cpp).
  CHECK(summary.stages == 20);
  CHECK(summary.ran == 20);
  CHECK(first.runs().size() == 20);
  CHECK(first.checks() == 8);
  for (const auto& dir : stage_dirs(spec, temp / "out")) {
    CHECK(attempts(dir) == 1);
    Json done = t5::read_json_file((dir / "done.json").string());
    CHECK(done["seconds"].get<double>() >= 0);
    CHECK(t5::read_json_file((dir / "config.json").string())["model"]["preset"] == "t5-mini");
  }
  Json point = t5::read_json_file((temp / "out" / "points" / "003-seed1" / "point.json").string());
  CHECK(point["row"] == "prefix LM, 20");
  CHECK(point["config"]["seed"] == 1);
  CHECK(point["stages"]["finetune"].size() == 2);
  CHECK(t5::read_json_file((temp / "out" / "sweep.json").string())["stages"].size() == 20);

  FakeStages second;
  summary = t5::run_sweep(spec, temp / "out", second.hooks(), fast_polling());
  CHECK(summary.ran == 0);
  CHECK(summary.skipped == 20);
  CHECK(second.runs().empty());
}

TEST_CASE("A sweep stopped by a failing stage resumes without rerunning finished stages",
          "[experiments]") {
  TempFolder temp("sweep_crash");
  auto spec = fake_spec();
  FakeStages crashing;
  crashing.crash_on_call(7);
  CHECK_THROWS_WITH(t5::run_sweep(spec, temp / "out", crashing.hooks(), fast_polling()),
                    Catch::Contains("failed: fake stage crashed on purpose") &&
                        Catch::Contains("run the sweep again to resume it"));
  std::vector<std::string> ran = crashing.runs();
  REQUIRE(ran.size() == 6);
  std::set<std::string> finished(ran.begin(), ran.end());

  FakeStages resumed;
  auto summary = t5::run_sweep(spec, temp / "out", resumed.hooks(), fast_polling());
  CHECK(summary.ran == 14);
  for (const auto& id : resumed.runs()) CHECK(finished.count(id) == 0);
  // Every stage started once, but the one that crashed, which started twice.
  size_t twice = 0;
  for (const auto& dir : stage_dirs(spec, temp / "out")) {
    CHECK(std::filesystem::exists(dir / "done.json"));
    size_t n = attempts(dir);
    if (finished.count(dir.filename().string())) CHECK(n == 1);
    twice += n == 2;
  }
  CHECK(twice == 1);
}

TEST_CASE("Two workers share one sweep and run every stage exactly once", "[experiments]") {
  TempFolder temp("sweep_workers");
  auto spec = fake_spec();
  FakeStages fake;
  fake.set_delay(std::chrono::milliseconds(20));
  std::vector<t5::SweepRunSummary> summaries(2);
  std::vector<std::thread> workers;
  for (size_t w = 0; w < 2; ++w) {
    workers.emplace_back(
        [&, w] { summaries[w] = t5::run_sweep(spec, temp / "out", fake.hooks(), fast_polling()); });
  }
  for (auto& worker : workers) worker.join();

  std::vector<std::string> runs = fake.runs();
  CHECK(runs.size() == 20);
  CHECK(std::set<std::string>(runs.begin(), runs.end()).size() == 20);
  CHECK(summaries[0].ran + summaries[1].ran == 20);
  // With 20 ms stages and 5 ms polling both workers get work.
  CHECK(summaries[0].ran > 0);
  CHECK(summaries[1].ran > 0);
  for (const auto& dir : stage_dirs(spec, temp / "out")) CHECK(attempts(dir) == 1);
}

TEST_CASE("A worker killed with SIGKILL leaves no lock behind and finished stages stay done",
          "[experiments]") {
  TempFolder temp("sweep_kill");
  auto spec = fake_spec();
  std::filesystem::path marker = temp / "third_stage_started";
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child runs the sweep and hangs in its third stage until killed.
    t5::SweepHooks hooks;
    size_t calls = 0;
    hooks.run_stage = [&](const t5::Stage&) {
      if (++calls == 3) {
        t5::write_text_atomically(marker, "");
        while (true) ::pause();
      }
    };
    try {
      t5::run_sweep(spec, temp / "out", hooks, fast_polling());
    } catch (...) {
    }
    ::_exit(1);
  }
  for (int i = 0; i < 1000 && !std::filesystem::exists(marker); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(std::filesystem::exists(marker));
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(WIFSIGNALED(status));

  FakeStages resumed;
  auto summary = t5::run_sweep(spec, temp / "out", resumed.hooks(), fast_polling());
  CHECK(summary.skipped == 2);
  CHECK(summary.ran == 18);
  auto dirs = stage_dirs(spec, temp / "out");
  size_t total = 0;
  for (const auto& dir : dirs) total += attempts(dir);
  // The killed stage started twice; all others once.
  CHECK(total == dirs.size() + 1);
}

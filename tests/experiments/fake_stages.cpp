#include "tests/experiments/fake_stages.h"

#include <fmt/format.h>

#include <fstream>
#include <thread>

#include "t5/util/files.h"

namespace t5::testing {

Json fake_run_config() {
  return {{"name", "fake"},
          {"seed", 0},
          {"threads", 1},
          {"precision", "float32"},
          {"data_dir", "data"},
          {"model", {{"preset", "t5-mini"}}},
          {"vocabulary", {{"path", "spiece.model"}}},
          {"pretrain", {{"objective", {{"name", "span_corruption"}}}, {"steps", 20}}},
          {"finetune", {{"tasks", {"glue_sst2", "glue_mrpc"}}, {"steps", 10}}},
          {"eval", {{"beam_size", 1}}}};
}

Json fake_sweep_json() {
  return {{"name", "fake"},
          {"base", fake_run_config()},
          {"axes",
           {{{"key", "pretrain.objective.name"},
             {"values", {"span_corruption", "prefix_lm"}},
             {"labels", {"span corruption", "prefix LM"}},
             {"name", "objective"}},
            {{"key", "finetune.steps"}, {"values", {10, 20}}}}},
          {"seeds", {0, 1}}};
}

SweepHooks FakeStages::hooks() {
  SweepHooks hooks;
  hooks.check_config = [this](const Json&, const std::string&) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++checks_;
  };
  hooks.run_stage = [this](const Stage& stage) {
    std::this_thread::sleep_for(delay_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++calls_;
      if (calls_ == crash_on_call_) throw Error("fake stage crashed on purpose");
      runs_.push_back(stage.id);
    }
    if (stage.kind == StageKind::kPretrain) {
      std::ofstream log(stage.dir / "metrics.jsonl", std::ios::app);
      for (int step = 0; step < 3; ++step) {
        log << Json{{"event", "train"}, {"step", step * 10}, {"loss", 5.0 - step}}.dump() << "\n";
      }
    }
    if (stage.kind != StageKind::kFinetune) return;
    // A score that depends on the seed and steps, so the table has spread.
    double score = 70.0 + stage.config["seed"].get<int>() +
                   stage.config["finetune"]["steps"].get<int>() / 10.0;
    write_text_atomically(
        stage.dir / "scores.json",
        Json{{"task", stage.task}, {"step", 10}, {"metrics", {{"accuracy", score}}}}.dump());
    std::ofstream log(stage.dir / "metrics.jsonl", std::ios::app);
    log << Json{{"event", "eval"},
                {"step", 10},
                {"task", stage.task},
                {"metrics", {{"accuracy", score}}}}
               .dump()
        << "\n";
  };
  return hooks;
}

std::vector<std::string> FakeStages::runs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return runs_;
}

size_t FakeStages::checks() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return checks_;
}

size_t attempts(const std::filesystem::path& stage_dir) {
  std::ifstream in(stage_dir / "attempts.jsonl");
  size_t lines = 0;
  std::string line;
  while (std::getline(in, line)) lines += !line.empty();
  return lines;
}

}  // namespace t5::testing

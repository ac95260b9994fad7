#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>
#include <thread>

#include <sys/wait.h>

#include "t5/text/vocabulary_trainer.h"
#include "t5/util/files.h"
#include "t5/util/json.h"
#include "tests/support/run_t5.h"
#include "tests/support/temp_folder.h"
#include "tests/support/tiny_corpus.h"

namespace {

namespace fs = std::filesystem;
using t5::Json;
using t5::testing::run_t5;

// A data folder with a tiny corpus task and vocabulary, and a run config
// that pretrains a tiny model on it.
struct TinyRun {
  t5::testing::TempFolder folder{"train_cmd"};
  fs::path config;

  TinyRun() {
    t5::testing::write_tiny_corpus(folder / "corpus.txt");
    t5::train_vocabulary(
        t5::VocabularyTrainOptions({(folder / "corpus.txt").string()}, 50).num_threads(1),
        folder / "tiny.model");
    fs::create_directories(folder / "tasks");
    Json task = {{"name", "tiny_corpus"},
                 {"source", {{"format", "text"}, {"splits", {{"train", "corpus.txt"}}}}},
                 {"fields", {{"text", "text"}}},
                 {"inputs", ""},
                 {"targets", "{text}"},
                 {"drop_empty_targets", true}};
    t5::write_text_atomically(folder / "tasks" / "tiny_corpus.json", task.dump(2));
    Json run = {{"name", "tiny"},
                {"threads", 1},
                {"data_dir", folder.path().string()},
                {"tasks_dir", (folder / "tasks").string()},
                {"model",
                 {{"preset", "t5-nano"},
                  {"config",
                   {{"d_model", 16},
                    {"d_kv", 4},
                    {"d_ff", 32},
                    {"num_heads", 2},
                    {"num_layers", 2},
                    {"num_decoder_layers", 2},
                    {"dropout_rate", 0.1}}}}},
                {"vocabulary", {{"path", (folder / "tiny.model").string()}, {"extra_ids", 10}}},
                {"pretrain",
                 {{"corpus", "tiny_corpus"},
                  {"objective", {{"name", "span_corruption"}, {"final_sentinel", false}}},
                  {"inputs_length", 32},
                  {"targets_length", 16},
                  {"batch_size", 4},
                  {"pack", true},
                  {"steps", 150},
                  {"log_every", 10},
                  {"checkpoint_every", 10},
                  {"schedule", {{"name", "constant"}, {"base", 0.01}, {"warmup_steps", 0}}}}}};
    config = folder / "run.json";
    t5::write_text_atomically(config, run.dump(2));
  }
};

double final_loss(const std::string& output) {
  auto json = Json::parse(output.substr(output.rfind('{')));
  return json.at("final_loss").get<double>();
}

}  // namespace

TEST_CASE("a pretraining run killed with SIGKILL and resumed ends with the uninterrupted loss",
          "[apps][train][slow]") {
  TinyRun run;
  auto whole = run_t5(
      {"pretrain", "--config", run.config.string(), "--out", (run.folder / "whole").string()});
  REQUIRE(whole.exit_code == 0);

  // Kill the second run once it has written its step-30 checkpoint.
  fs::path out = run.folder / "killed";
  int pid =
      t5::testing::start_t5({"pretrain", "--config", run.config.string(), "--out", out.string()},
                            (run.folder / "killed.log").string());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!fs::exists(out / "checkpoints" / "step_000000030") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  INFO(t5::read_text_file(run.folder / "killed.log"));
  REQUIRE(WIFSIGNALED(status));  // it was still training when killed
  CHECK_FALSE(fs::exists(out / "model"));

  auto resumed = run_t5({"pretrain", "--config", run.config.string(), "--out", out.string()},
                        t5::testing::Capture::kStdout);
  REQUIRE(resumed.exit_code == 0);
  CHECK(final_loss(resumed.output) == final_loss(whole.output));
  CHECK(fs::exists(out / "model" / "model.safetensors"));
  CHECK(fs::exists(out / "model" / "spiece.model"));
}

TEST_CASE("run config mistakes are one clear error and --print-config shows the resolved config",
          "[apps][train]") {
  TinyRun run;
  auto printed = run_t5(
      {"pretrain", "--config", run.config.string(), "--set", "pretrain.steps=7", "--print-config"});
  REQUIRE(printed.exit_code == 0);
  auto config = Json::parse(printed.output);
  CHECK(config["pretrain"]["steps"] == 7);
  CHECK(config["finetune"]["schedule"]["name"] == "constant");

  auto typo = run_t5({"pretrain", "--config", run.config.string(), "--set", "pretrain.stepz=7"},
                     t5::testing::Capture::kStdoutAndStderr);
  CHECK(typo.exit_code != 0);
  CHECK_THAT(typo.output,
             Catch::Contains("unknown key 'stepz'") && Catch::Contains("did you mean 'steps'"));
  auto corpus =
      run_t5({"pretrain", "--config", run.config.string(), "--set", "pretrain.corpus=tiny_corpuss"},
             t5::testing::Capture::kStdoutAndStderr);
  CHECK(corpus.exit_code != 0);
  CHECK_THAT(corpus.output, Catch::Contains("tiny_corpuss") && Catch::Contains("tiny_corpus'"));
  auto objective = run_t5(
      {"pretrain", "--config", run.config.string(), "--set", "pretrain.objective=span_corruptio"},
      t5::testing::Capture::kStdoutAndStderr);
  CHECK(objective.exit_code != 0);
  CHECK_THAT(objective.output, Catch::Contains("span_corruption"));
}

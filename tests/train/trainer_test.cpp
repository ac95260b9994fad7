#include "t5/train/trainer.h"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <string>
#include <vector>

#include "t5/train/checkpoint_state.h"
#include "t5/util/files.h"
#include "tests/support/tiny_corpus.h"
#include "tests/support/tiny_model.h"
#include "tests/train/tiny_data.h"

namespace {

namespace fs = std::filesystem;
using t5::Json;

// The tiny data folder with a labelled TSV task ("pairs") whose targets
// name the parity of the row, 24 examples.
struct TrainerWorld : t5::testing::TinyData {
  TrainerWorld() {
    std::string rows;
    for (int i = 0; i < 24; ++i) {
      rows += fmt::format("the {} walks\t{}\n", t5::testing::kTinyCorpusWords[i % 30], i % 2);
    }
    add_tsv_task("pairs", "pairs/train.tsv", rows, "{sentence}", {"dog", "cat"});
  }

  t5::Loader loader() const {
    t5::LoaderOptions options;
    options.seed = 3;
    options.shuffle_buffer = 8;
    options.batching.batch_size = 4;
    options.batching.inputs_length = 16;
    options.batching.targets_length = 4;
    return TinyData::loader("pairs", options);
  }
};

const TrainerWorld& world() {
  static const TrainerWorld instance;
  return instance;
}

t5::T5Model dropout_model() {
  auto config = t5::testing::tiny_model_config();
  config.dropout_rate = 0.1;  // resumed runs must draw the same masks
  t5::T5Model model(config);
  model->reset_parameters(11);
  return model;
}

t5::TrainerOptions options(int64_t steps) {
  t5::TrainerOptions options;
  options.steps = steps;
  options.log_every = 2;
  options.checkpoint_every = 3;
  options.schedule.name = "constant";
  options.schedule.base = 0.01;
  options.schedule.warmup_steps = 0;
  return options;
}

bool same_parameters(const t5::T5ModelImpl& a, const t5::T5ModelImpl& b) {
  auto left = a.unique_named_parameters();
  auto right = b.unique_named_parameters();
  if (left.size() != right.size()) return false;
  for (size_t i = 0; i < left.size(); ++i) {
    if (left[i].first != right[i].first || !torch::equal(left[i].second, right[i].second)) {
      return false;
    }
  }
  return true;
}

std::vector<Json> read_jsonl(const fs::path& file) {
  std::vector<Json> lines;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) lines.push_back(Json::parse(line));
  return lines;
}

}  // namespace

TEST_CASE("A trainer run stopped and resumed ends with the same loss as an uninterrupted one",
          "[train][trainer]") {
  t5::testing::TempFolder folder("trainer_resume");
  const t5::Logger quiet(t5::LogLevel::kWarn);

  auto whole_model = dropout_model();
  auto whole_loader = world().loader();
  auto whole =
      t5::train(*whole_model, whole_loader, options(10), folder / "whole", {}, Json(), quiet);

  // The same run in two parts: 7 steps (last checkpoint at step 6, so step
  // 7 is redone), then to 10 in a fresh model and loader.
  {
    auto model = dropout_model();
    auto loader = world().loader();
    t5::train(*model, loader, options(7), folder / "parts", {}, Json(), quiet);
    fs::remove_all(t5::checkpoint_folder(folder / "parts" / "checkpoints", 7));
  }
  auto model = dropout_model();
  auto loader = world().loader();
  auto resumed = t5::train(*model, loader, options(10), folder / "parts", {}, Json(), quiet);

  CHECK(whole.steps == 10);
  CHECK(resumed.steps == 10);
  CHECK(resumed.final_loss == whole.final_loss);
  CHECK(same_parameters(*model, *whole_model));
  // metrics.jsonl keeps one line per logged step: those past the restored
  // step 6 were dropped and written again.
  std::vector<int64_t> steps;
  for (const auto& line : read_jsonl(folder / "parts" / "metrics.jsonl"))
    steps.push_back(line["step"]);
  CHECK(steps == std::vector<int64_t>{2, 4, 6, 8, 10});
}

TEST_CASE("A non-finite loss stops the run naming the step, or skips the batch when asked",
          "[train][trainer]") {
  t5::testing::TempFolder folder("trainer_nan");
  const t5::Logger quiet(t5::LogLevel::kError);
  auto poisoned = [] {
    auto model = dropout_model();
    torch::NoGradGuard no_grad;
    model->shared->weight.fill_(std::numeric_limits<float>::quiet_NaN());
    return model;
  };

  auto model = poisoned();
  auto loader = world().loader();
  CHECK_THROWS_WITH(t5::train(*model, loader, options(4), folder / "stop", {}, Json(), quiet),
                    Catch::Contains("step 1: the loss (") && Catch::Contains("on_non_finite"));

  auto skip_options = options(4);
  skip_options.on_non_finite = t5::OnNonFinite::kSkip;
  auto skipping = poisoned();
  auto skip_loader = world().loader();
  auto result = t5::train(*skipping, skip_loader, skip_options, folder / "skip", {}, Json(), quiet);
  CHECK(result.steps == 4);
  CHECK(result.skipped_batches == 4);
}

TEST_CASE("Evaluation keeps the best checkpoint and early stopping ends the run",
          "[train][trainer]") {
  t5::testing::TempFolder folder("trainer_eval");
  const t5::Logger quiet(t5::LogLevel::kWarn);
  // Scores by step: the best at step 2, then two evaluations without a
  // better one (patience 2) stop the run at step 4.
  std::map<int64_t, double> score = {{1, 50}, {2, 70}, {3, 60}, {4, 65}, {5, 90}};
  t5::TrainerHooks hooks;
  std::vector<int64_t> evaluated;
  hooks.evaluate = [&](int64_t step) {
    evaluated.push_back(step);
    return std::vector<t5::TaskScores>{{"pairs", {{"accuracy", score.at(step)}}}};
  };
  auto run_options = options(5);
  run_options.eval_every = 1;
  run_options.early_stopping_patience = 2;
  run_options.keep_checkpoints = 1;
  run_options.checkpoint_every = 0;
  auto model = dropout_model();
  auto loader = world().loader();
  auto result = t5::train(*model, loader, run_options, folder.path(), hooks, Json(), quiet);

  CHECK(evaluated == std::vector<int64_t>{1, 2, 3, 4});
  CHECK(result.stopped_early);
  CHECK(result.steps == 4);
  CHECK(result.best_step == 2);
  CHECK(result.best_scores.at(0).metrics.at("accuracy") == 70);
  CHECK(result.best_checkpoint == t5::checkpoint_folder(folder.path() / "checkpoints", 2));
  // Kept: the best (step 2) and the newest (step 4).
  CHECK(t5::list_checkpoints(folder.path() / "checkpoints") ==
        std::vector<fs::path>{t5::checkpoint_folder(folder.path() / "checkpoints", 2),
                              t5::checkpoint_folder(folder.path() / "checkpoints", 4)});
  int eval_lines = 0;
  for (const auto& line : read_jsonl(folder.path() / "metrics.jsonl")) {
    eval_lines += line["event"] == "eval";
  }
  CHECK(eval_lines == 4);
}

TEST_CASE("SIGTERM during training saves a checkpoint and returns interrupted",
          "[train][trainer]") {
  t5::testing::TempFolder folder("trainer_signal");
  const t5::Logger quiet(t5::LogLevel::kError);
  t5::TrainerHooks hooks;
  hooks.evaluate = [](int64_t step) {
    if (step == 2) std::raise(SIGTERM);
    return std::vector<t5::TaskScores>{};
  };
  auto run_options = options(8);
  run_options.eval_every = 1;
  run_options.checkpoint_every = 0;
  auto model = dropout_model();
  auto loader = world().loader();
  auto result = t5::train(*model, loader, run_options, folder.path(), hooks, Json(), quiet);
  CHECK(result.interrupted);
  CHECK(result.signal == SIGTERM);
  CHECK(result.steps == 2);
  CHECK(t5::list_checkpoints(folder.path() / "checkpoints") ==
        std::vector<fs::path>{t5::checkpoint_folder(folder.path() / "checkpoints", 2)});
}

#include <catch2/catch.hpp>

#include <fstream>

#include <torch/torch.h>

#include "t5/train/checkpoint_state.h"
#include "tests/support/temp_folder.h"
#include "tests/support/tiny_model.h"

namespace {

t5::ModelConfig tiny_config() { return t5::testing::tiny_model_config(); }

}  // namespace

TEST_CASE("a damaged latest checkpoint falls back to the previous one", "[train]") {
  t5::testing::TempFolder temp("t5-ckpt-state");
  auto dir = temp.path() / "checkpoints";
  t5::T5Model model(tiny_config());
  model->reset_parameters(1);
  t5::Optimizer optimizer({}, model->unique_named_parameters());
  for (int64_t step : {10, 20}) {
    t5::TrainingState state;
    state.step = step;
    state.data_position = {{"offset", step * 4}};
    t5::save_checkpoint(dir, *model, optimizer, state);
  }
  REQUIRE(t5::list_checkpoints(dir).size() == 2);

  // Truncate the newest model file: it no longer reads back.
  auto newest = t5::list_checkpoints(dir).back();
  std::filesystem::resize_file(newest / "model.safetensors", 100);
  t5::T5Model restored(tiny_config());
  t5::Optimizer restored_optimizer({}, restored->unique_named_parameters());
  t5::Logger quiet(t5::LogLevel::kError);
  auto state = t5::restore_latest_checkpoint(dir, *restored, restored_optimizer, quiet);
  REQUIRE(state.has_value());
  CHECK(state->step == 10);
  CHECK(state->data_position.at("offset").get<int64_t>() == 40);
  CHECK(torch::equal(restored->shared->weight, model->shared->weight));

  t5::prune_checkpoints(dir, 1);
  CHECK(t5::list_checkpoints(dir).size() == 1);
}

TEST_CASE("no checkpoint folder means a fresh start", "[train]") {
  t5::testing::TempFolder temp("t5-ckpt-none");
  t5::T5Model model(tiny_config());
  t5::Optimizer optimizer({}, model->unique_named_parameters());
  t5::Logger quiet(t5::LogLevel::kError);
  CHECK(!t5::restore_latest_checkpoint(temp.path() / "none", *model, optimizer, quiet));
}

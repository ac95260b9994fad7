#include "t5/train/checkpoint_state.h"

#include <algorithm>

#include <fmt/format.h>
#include <unistd.h>

#include "t5/model/checkpoint.h"
#include "t5/model/safetensors.h"
#include "t5/util/error.h"
#include "t5/util/files.h"

namespace t5 {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPrefix = "step_";

void restore_from(const fs::path& folder, T5ModelImpl& model, Optimizer& optimizer,
                  TrainingState& state) {
  auto json = read_json_file((folder / "state.json").string());
  T5_CHECK(json.is_object() && json.contains("step"), "{}: no 'step'",
           (folder / "state.json").string());
  load_parameters(model, folder / "model.safetensors");
  auto optimizer_file = folder / "optimizer.safetensors";
  optimizer.load_state(read_safetensors(optimizer_file).tensors, optimizer_file.string());
  state.step = json.at("step").get<int64_t>();
  state.data_position = json.value("data_position", Json());
  state.run_config = json.value("run_config", Json());
  state.extra = json.value("extra", Json());
}

}  // namespace

fs::path checkpoint_folder(const fs::path& checkpoints_dir, int64_t step) {
  return checkpoints_dir / fmt::format("{}{:09d}", kPrefix, step);
}

fs::path save_checkpoint(const fs::path& checkpoints_dir, const T5ModelImpl& model,
                         const Optimizer& optimizer, const TrainingState& state) {
  auto final_path = checkpoint_folder(checkpoints_dir, state.step);
  auto temporary = checkpoints_dir / fmt::format(".tmp-{}-{}", state.step, ::getpid());
  fs::remove_all(temporary);
  fs::create_directories(temporary);
  save_model(model, temporary);
  write_safetensors(temporary / "optimizer.safetensors", optimizer.state());
  Json json = {{"step", state.step},
               {"data_position", state.data_position},
               {"run_config", state.run_config},
               {"extra", state.extra}};
  write_text_atomically(temporary / "state.json", json.dump(2) + "\n");
  fs::remove_all(final_path);
  fs::rename(temporary, final_path);
  return final_path;
}

std::vector<fs::path> list_checkpoints(const fs::path& checkpoints_dir) {
  std::vector<fs::path> found;
  if (!fs::is_directory(checkpoints_dir)) return found;
  for (const auto& entry : fs::directory_iterator(checkpoints_dir)) {
    auto name = entry.path().filename().string();
    if (entry.is_directory() && name.rfind(kPrefix, 0) == 0) found.push_back(entry.path());
  }
  // Zero-padded step numbers sort as text.
  std::sort(found.begin(), found.end());
  return found;
}

std::optional<TrainingState> restore_latest_checkpoint(const fs::path& checkpoints_dir,
                                                       T5ModelImpl& model, Optimizer& optimizer,
                                                       const Logger& logger) {
  auto folders = list_checkpoints(checkpoints_dir);
  for (auto it = folders.rbegin(); it != folders.rend(); ++it) {
    TrainingState state;
    try {
      restore_from(*it, model, optimizer, state);
      return state;
    } catch (const Error& e) {
      logger.warn("ckpt", "skipping damaged checkpoint {}: {}", it->string(), e.what());
    } catch (const c10::Error& e) {
      logger.warn("ckpt", "skipping damaged checkpoint {}: {}", it->string(),
                  e.what_without_backtrace());
    }
  }
  return std::nullopt;
}

void prune_checkpoints(const fs::path& checkpoints_dir, int64_t keep, const fs::path& protect) {
  auto folders = list_checkpoints(checkpoints_dir);
  int64_t excess = static_cast<int64_t>(folders.size()) - keep;
  for (int64_t i = 0; i < excess; ++i) {
    if (!protect.empty() && fs::equivalent(folders[i], protect)) continue;
    fs::remove_all(folders[i]);
  }
}

}  // namespace t5

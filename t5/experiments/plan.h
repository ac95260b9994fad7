#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "t5/experiments/sweep.h"
#include "t5/util/json.h"

namespace t5 {

// The stages of a point: train a vocabulary (only when the config asks for
// one), pretrain, then fine-tune and evaluate once per entry of
// finetune.tasks. A stage's id is a hash of exactly the config parts that
// change what it produces, so points that agree on them share the stage:
// one pretraining serves every fine-tuning task, and an axis over
// finetune.steps reuses the pretrained model.
//
//   vocabulary: vocabulary, data_dir
//   pretrain:   model, vocabulary, pretrain, seed, precision, data_dir,
//               tasks_dir
//   finetune:   the pretrain stage's id, finetune (without "tasks"), eval,
//               the task
//
// A pretrain stage exists even for objective "none": it then only writes
// the seeded initial model, which every task of the point starts from.
enum class StageKind { kVocabulary, kPretrain, kFinetune };

// "vocabulary", "pretrain" or "finetune".
const char* stage_kind_name(StageKind kind);

struct Stage {
  StageKind kind;
  // "<kind>-<16 hex digits>", also the name of its folder.
  std::string id;
  // The run config of the first point that uses the stage (every point
  // using it agrees on the parts the id covers).
  Json config;
  // finetune: the task or mixture name.
  std::string task;
  // Its output folder, <out>/stages/<id>/ (created before run_stage).
  std::filesystem::path dir;
  // The vocabulary stage's folder, or empty when the config gives a path.
  std::filesystem::path vocabulary;
  // finetune: the pretrain stage's folder.
  std::filesystem::path pretrained;
};

// A stage with what it waits for and whom it serves.
struct PlannedStage {
  Stage stage;
  // Indices into SweepPlan::stages of the stages that must finish first.
  std::vector<size_t> needs;
  // Indices into SweepPlan::points of the points that use the stage.
  std::vector<size_t> points;
};

// The stages one point uses (indices into SweepPlan::stages).
struct PointStages {
  std::optional<size_t> vocabulary;
  size_t pretrain = 0;
  // finetune.tasks entry -> its stage, in the order of finetune.tasks.
  std::vector<std::pair<std::string, size_t>> finetune;
};

struct SweepPlan {
  std::filesystem::path out_dir;
  std::vector<SweepPoint> points;
  std::vector<PointStages> point_stages;
  // In dependency order: every stage comes after the stages it needs.
  // Seed-major, so the first seed of every grid point is done before the
  // second seed starts and a stopped sweep already has a full table.
  std::vector<PlannedStage> stages;
};

// FNV-1a, 64 bits, of a byte string.
uint64_t fnv1a_64(const std::string& bytes);

// FNV-1a 64 of `value.dump()`: JSON objects keep their keys sorted, so the
// hash ignores key order. Integers and floats differ (1 vs 1.0).
uint64_t stable_hash(const Json& value);

// 16 lowercase hex digits.
std::string hex_id(uint64_t hash);

// Expands the sweep and lays out its stages under `out_dir`. Throws
// t5::Error naming the sweep file and point when a point has no
// finetune.tasks list of names or lists a task twice.
SweepPlan plan_sweep(const SweepSpec& spec, const std::filesystem::path& out_dir);

// "glue_sst2, point 'span corruption' seed 0, shared by 3 points": the
// stage's task and the first point that uses it, for log lines.
std::string describe_stage(const SweepPlan& plan, size_t stage);

// {"id", "kind", "task", "needs", "points"} for point.json and --dry-run.
Json stage_summary(const SweepPlan& plan, size_t stage);

// What <out>/points/<id>/point.json holds: id, seed, row, axis labels and
// values, the stage ids and the resolved run config.
Json point_summary(const SweepSpec& spec, const SweepPlan& plan, size_t point);

}  // namespace t5

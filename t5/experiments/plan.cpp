#include "t5/experiments/plan.h"

#include <fmt/format.h>

#include <numeric>

#include "t5/util/json_path.h"
#include "t5/util/names.h"

namespace t5 {
namespace {

Json section(const Json& config, const std::string& key) {
  const Json* value = find_json_path(config, key);
  return value ? *value : Json();
}

// The fine-tuning tasks of a point: a non-empty list of distinct names.
std::vector<std::string> finetune_tasks(const SweepPoint& point, const std::string& where) {
  const Json* tasks = find_json_path(point.config, "finetune.tasks");
  T5_CHECK(tasks && tasks->is_array() && !tasks->empty(),
           "{}: point {} ({}): finetune.tasks: expected a non-empty list of task or mixture "
           "names, got {}; set it in 'base' or on an axis",
           where, point.id, point.describe(), tasks ? tasks->dump() : "nothing");
  std::vector<std::string> names;
  for (const Json& task : *tasks) {
    T5_CHECK(task.is_string() && !task.get<std::string>().empty(),
             "{}: point {}: finetune.tasks: expected task or mixture names, got {}", where,
             point.id, task.dump());
    T5_CHECK(std::find(names.begin(), names.end(), task.get<std::string>()) == names.end(),
             "{}: point {}: finetune.tasks lists '{}' twice; remove the repeat", where, point.id,
             task.get<std::string>());
    names.push_back(task.get<std::string>());
  }
  return names;
}

// Builds the plan stage by stage, merging stages with equal ids.
class PlanBuilder {
 public:
  explicit PlanBuilder(SweepPlan& plan) : plan_(plan) {}

  size_t add(StageKind kind, uint64_t hash, size_t point, std::vector<size_t> needs) {
    std::string id = fmt::format("{}-{}", stage_kind_name(kind), hex_id(hash));
    auto [it, fresh] = index_.emplace(id, plan_.stages.size());
    if (fresh) {
      PlannedStage planned;
      planned.stage.kind = kind;
      planned.stage.id = id;
      planned.stage.config = plan_.points[point].config;
      planned.stage.dir = plan_.out_dir / "stages" / id;
      planned.needs = std::move(needs);
      plan_.stages.push_back(std::move(planned));
    }
    auto& users = plan_.stages[it->second].points;
    if (users.empty() || users.back() != point) users.push_back(point);
    return it->second;
  }

 private:
  SweepPlan& plan_;
  std::map<std::string, size_t> index_;
};

void plan_point(SweepPlan& plan, PlanBuilder& builder, size_t p, const std::string& where) {
  const SweepPoint& point = plan.points[p];
  const Json& config = point.config;
  std::vector<std::string> tasks = finetune_tasks(point, where);
  PointStages& stages = plan.point_stages[p];

  std::vector<size_t> pretrain_needs;
  if (find_json_path(config, "vocabulary.train")) {
    Json key = {{"vocabulary", section(config, "vocabulary")},
                {"data_dir", section(config, "data_dir")}};
    stages.vocabulary = builder.add(StageKind::kVocabulary, stable_hash(key), p, {});
    pretrain_needs.push_back(*stages.vocabulary);
  }

  Json pretrain_key = Json::object();
  for (const char* part :
       {"model", "vocabulary", "pretrain", "seed", "precision", "data_dir", "tasks_dir"}) {
    pretrain_key[part] = section(config, part);
  }
  stages.pretrain = builder.add(StageKind::kPretrain, stable_hash(pretrain_key), p, pretrain_needs);
  std::string pretrain_id = plan.stages[stages.pretrain].stage.id;
  std::filesystem::path vocabulary_dir;
  if (stages.vocabulary) vocabulary_dir = plan.stages[*stages.vocabulary].stage.dir;
  plan.stages[stages.pretrain].stage.vocabulary = vocabulary_dir;

  // The task list itself is left out, so a task keeps its stage when an axis
  // adds or removes other tasks.
  Json finetune = section(config, "finetune");
  finetune.erase("tasks");
  for (const std::string& task : tasks) {
    Json key = {{"pretrain", pretrain_id},
                {"finetune", finetune},
                {"eval", section(config, "eval")},
                {"task", task}};
    size_t s = builder.add(StageKind::kFinetune, stable_hash(key), p, {stages.pretrain});
    Stage& stage = plan.stages[s].stage;
    stage.task = task;
    stage.vocabulary = vocabulary_dir;
    stage.pretrained = plan.stages[stages.pretrain].stage.dir;
    stages.finetune.emplace_back(task, s);
  }
}

// A baseline may only score tasks the sweep fine-tunes: its rows share the
// table's columns.
void check_baselines(const SweepSpec& spec, const SweepPlan& plan, const std::string& where) {
  std::vector<std::string> tasks;
  for (const auto& stages : plan.point_stages) {
    for (const auto& entry : stages.finetune) tasks.push_back(entry.first);
  }
  for (size_t b = 0; b < spec.baselines.size(); ++b) {
    for (const auto& entry : spec.baselines[b].scores) {
      T5_CHECK(std::find(tasks.begin(), tasks.end(), entry.first) != tasks.end(),
               "{}.baselines[{}].scores: task '{}' is not fine-tuned by any point{}; a baseline "
               "scores the sweep's tasks only",
               where, b, entry.first, did_you_mean(entry.first, tasks));
    }
  }
}

}  // namespace

const char* stage_kind_name(StageKind kind) {
  switch (kind) {
    case StageKind::kVocabulary:
      return "vocabulary";
    case StageKind::kPretrain:
      return "pretrain";
    case StageKind::kFinetune:
      return "finetune";
  }
  return "?";
}

uint64_t fnv1a_64(const std::string& bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 1099511628211ull;
  }
  return hash;
}

uint64_t stable_hash(const Json& value) { return fnv1a_64(value.dump()); }

std::string hex_id(uint64_t hash) { return fmt::format("{:016x}", hash); }

SweepPlan plan_sweep(const SweepSpec& spec, const std::filesystem::path& out_dir) {
  SweepPlan plan;
  plan.out_dir = out_dir;
  plan.points = expand_sweep(spec);
  plan.point_stages.resize(plan.points.size());

  // Points are stored grid-major; stages are laid out seed-major.
  std::vector<size_t> order(plan.points.size());
  std::iota(order.begin(), order.end(), 0);
  size_t seeds = spec.seeds.size();
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return a % seeds < b % seeds; });

  const std::string where = spec.origin.empty() ? "sweep" : spec.origin;
  PlanBuilder builder(plan);
  for (size_t p : order) plan_point(plan, builder, p, where);
  check_baselines(spec, plan, where);
  return plan;
}

std::string describe_stage(const SweepPlan& plan, size_t stage) {
  const PlannedStage& planned = plan.stages[stage];
  std::string text = planned.stage.task.empty() ? "" : planned.stage.task + ", ";
  text += "point " + plan.points[planned.points.front()].describe();
  if (planned.points.size() > 1)
    text += fmt::format(", shared by {} points", planned.points.size());
  return text;
}

Json stage_summary(const SweepPlan& plan, size_t stage) {
  const PlannedStage& planned = plan.stages[stage];
  Json needs = Json::array();
  for (size_t n : planned.needs) needs.push_back(plan.stages[n].stage.id);
  Json points = Json::array();
  for (size_t p : planned.points) points.push_back(plan.points[p].id);
  Json summary = {{"id", planned.stage.id},
                  {"kind", stage_kind_name(planned.stage.kind)},
                  {"needs", needs},
                  {"points", points}};
  if (!planned.stage.task.empty()) summary["task"] = planned.stage.task;
  return summary;
}

Json point_summary(const SweepSpec& spec, const SweepPlan& plan, size_t p) {
  const SweepPoint& point = plan.points[p];
  const PointStages& stages = plan.point_stages[p];
  Json axes = Json::array();
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    Json values = Json::object();
    for (const auto& key : spec.axes[a].keys) values[key.key] = key.values[point.steps[a]];
    axes.push_back({{"name", spec.axes[a].name}, {"label", point.labels[a]}, {"values", values}});
  }
  Json finetune = Json::object();
  for (const auto& [task, s] : stages.finetune) finetune[task] = plan.stages[s].stage.id;
  Json stage_ids = {{"pretrain", plan.stages[stages.pretrain].stage.id}, {"finetune", finetune}};
  if (stages.vocabulary) stage_ids["vocabulary"] = plan.stages[*stages.vocabulary].stage.id;
  return {{"id", point.id}, {"seed", point.seed},  {"row", point.row_label()},
          {"axes", axes},   {"stages", stage_ids}, {"config", point.config}};
}

}  // namespace t5

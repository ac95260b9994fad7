#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "t5/experiments/plan.h"
#include "tests/experiments/fake_stages.h"

using t5::Json;
using t5::StageKind;

namespace {

size_t count_kind(const t5::SweepPlan& plan, StageKind kind) {
  size_t n = 0;
  for (const auto& planned : plan.stages) n += planned.stage.kind == kind;
  return n;
}

}  // namespace

TEST_CASE("FNV-1a 64 matches the published test vectors", "[experiments]") {
  // Vectors from the FNV reference page (isthe.com/chongo/tech/comp/fnv).
  CHECK(t5::hex_id(t5::fnv1a_64("")) == "cbf29ce484222325");
  CHECK(t5::hex_id(t5::fnv1a_64("a")) == "af63dc4c8601ec8c");
  CHECK(t5::hex_id(t5::fnv1a_64("foobar")) == "85944171f73967e8");
}

TEST_CASE("One pretraining serves every task and every fine-tuning-only axis value",
          "[experiments]") {
  auto spec = t5::SweepSpec::from_json(t5::testing::fake_sweep_json(), "fake.json");
  auto plan = t5::plan_sweep(spec, "out");

  // Pretraining depends on objective x seed (2 x 2); finetune.steps does not
  // change it. Fine-tuning: objective x steps x seed x 2 tasks.
  CHECK(plan.points.size() == 8);
  CHECK(count_kind(plan, StageKind::kVocabulary) == 0);
  CHECK(count_kind(plan, StageKind::kPretrain) == 4);
  CHECK(count_kind(plan, StageKind::kFinetune) == 16);
  for (size_t s = 0; s < plan.stages.size(); ++s) {
    const auto& planned = plan.stages[s];
    CHECK(planned.points.size() == (planned.stage.kind == StageKind::kPretrain ? 2 : 1));
    for (size_t need : planned.needs) CHECK(need < s);
    CHECK(planned.stage.dir == std::filesystem::path("out") / "stages" / planned.stage.id);
    CHECK(std::regex_match(planned.stage.id, std::regex("(pretrain|finetune)-[0-9a-f]{16}")));
  }

  SECTION("finetune stages point at their pretraining; no vocabulary stage for a given path") {
    for (const auto& stages : plan.point_stages) {
      CHECK_FALSE(stages.vocabulary);
      REQUIRE(stages.finetune.size() == 2);
      CHECK(stages.finetune[0].first == "glue_sst2");
      CHECK(stages.finetune[1].first == "glue_mrpc");
      for (const auto& entry : stages.finetune) {
        const t5::Stage& stage = plan.stages[entry.second].stage;
        CHECK(stage.task == entry.first);
        CHECK(stage.pretrained == plan.stages[stages.pretrain].stage.dir);
        CHECK(stage.vocabulary.empty());
      }
    }
  }
  SECTION("stages are laid out seed-major, so the first seed finishes first") {
    for (size_t s = 0; s < 10; ++s) {
      CHECK(plan.points[plan.stages[s].points.front()].seed == 0);
    }
  }
}

TEST_CASE("A trained vocabulary is one stage that every pretraining waits for", "[experiments]") {
  Json json = t5::testing::fake_sweep_json();
  json["base"]["vocabulary"] = {{"train", {{"vocab_size", 100}, {"corpus", "c4"}}}};
  auto plan = t5::plan_sweep(t5::SweepSpec::from_json(json, "fake.json"), "out");

  REQUIRE(count_kind(plan, StageKind::kVocabulary) == 1);
  CHECK(plan.stages[0].stage.kind == StageKind::kVocabulary);
  CHECK(plan.stages[0].points.size() == 8);
  for (const auto& planned : plan.stages) {
    if (planned.stage.kind == StageKind::kPretrain) CHECK(planned.needs == std::vector<size_t>{0});
    if (planned.stage.kind != StageKind::kVocabulary) {
      CHECK(planned.stage.vocabulary == plan.stages[0].stage.dir);
    }
  }
}

TEST_CASE("A task keeps its stage when an axis adds other tasks", "[experiments]") {
  Json json = t5::testing::fake_sweep_json();
  json["axes"] = {
      {{"key", "finetune.tasks"},
       {"values", {Json::array({"glue_sst2"}), Json::array({"glue_sst2", "glue_mrpc"})}}}};
  json["seeds"] = {0};
  auto plan = t5::plan_sweep(t5::SweepSpec::from_json(json, "fake.json"), "out");
  // One pretraining, glue_sst2 fine-tuned once for both points, glue_mrpc once.
  CHECK(count_kind(plan, StageKind::kPretrain) == 1);
  CHECK(count_kind(plan, StageKind::kFinetune) == 2);
  CHECK(plan.point_stages[0].finetune[0].second == plan.point_stages[1].finetune[0].second);
}

TEST_CASE("Stage ids are stable across runs and ignore key order", "[experiments]") {
  auto ids = [](const Json& json) {
    auto plan = t5::plan_sweep(t5::SweepSpec::from_json(json, "fake.json"), "out");
    std::vector<std::string> result;
    for (const auto& planned : plan.stages) result.push_back(planned.stage.id);
    return result;
  };
  Json json = t5::testing::fake_sweep_json();
  std::vector<std::string> first = ids(json);
  CHECK(ids(json) == first);

  // The same base written with its keys in another order.
  std::string reordered = R"({"eval": {"beam_size": 1}, "finetune": {"steps": 10,
      "tasks": ["glue_sst2", "glue_mrpc"]}, "vocabulary": {"path": "spiece.model"},
      "pretrain": {"steps": 20, "objective": {"name": "span_corruption"}},
      "model": {"preset": "t5-mini"}, "data_dir": "data", "precision": "float32",
      "threads": 1, "seed": 0, "name": "fake"})";
  json["base"] = Json::parse(reordered);
  CHECK(ids(json) == first);

  SECTION("settings that do not change results (threads, name) keep the ids") {
    json["base"]["threads"] = 8;
    json["base"]["name"] = "renamed";
    CHECK(ids(json) == first);
  }
  SECTION("a pretraining setting changes every id") {
    json["base"]["pretrain"]["steps"] = 21;
    std::vector<std::string> changed = ids(json);
    for (size_t i = 0; i < first.size(); ++i) CHECK(changed[i] != first[i]);
  }
}

#include <catch2/catch.hpp>

#include <filesystem>

#include "t5/experiments/runner.h"
#include "t5/experiments/sweep.h"
#include "t5/util/files.h"
#include "tests/experiments/fake_stages.h"
#include "tests/support/temp_folder.h"

using t5::Json;
using t5::testing::FakeStages;
using t5::testing::TempFolder;

TEST_CASE("A sweep expands to the grid of its axes times its seeds", "[experiments]") {
  Json json = t5::testing::fake_sweep_json();
  json["axes"].push_back(
      {{"zip",
        {{{"key", "pretrain.objective.noise_density"}, {"values", {0.1, 0.5}}},
         {{"key", "pretrain.objective.mean_noise_span_length"}, {"values", {2, 8}}}}}});
  auto spec = t5::SweepSpec::from_json(json, "fake.json");
  auto points = t5::expand_sweep(spec);

  // 2 objectives x 2 step counts x 2 zipped steps x 2 seeds.
  REQUIRE(points.size() == 16);
  CHECK(spec.grid_size() == 8);
  CHECK(spec.axes[0].name == "objective");
  CHECK(spec.axes[1].name == "steps");
  CHECK(spec.axes[2].name == "noise_density, mean_noise_span_length");

  SECTION("the first axis varies slowest and the seeds fastest") {
    CHECK(points[0].id == "000-seed0");
    CHECK(points[1].id == "000-seed1");
    CHECK(points[2].id == "001-seed0");
    CHECK(points[15].id == "007-seed1");
    CHECK(points[15].config["pretrain"]["objective"]["name"] == "prefix_lm");
    CHECK(points[15].config["finetune"]["steps"] == 20);
    CHECK(points[15].config["seed"] == 1);
  }
  SECTION("zipped keys move together") {
    for (const auto& point : points) {
      const Json& objective = point.config["pretrain"]["objective"];
      CHECK(objective["mean_noise_span_length"] == (objective["noise_density"] == 0.1 ? 2 : 8));
    }
  }
  SECTION("labels are given ones, or the values as compact text, joined into the row") {
    CHECK(points[0].labels == std::vector<std::string>{"span corruption", "10", "0.1, 2"});
    CHECK(points[0].row_label() == "span corruption, 10, 0.1, 2");
    CHECK(points[15].describe() == "'prefix LM, 20, 0.5, 8' seed 1");
  }
  SECTION("the base is left as it was") { CHECK(spec.base == t5::testing::fake_run_config()); }
}

TEST_CASE("A sweep without axes or seeds runs the base config once with seed 0", "[experiments]") {
  auto spec = t5::SweepSpec::from_json(
      {{"name", "single"}, {"base", t5::testing::fake_run_config()}}, "single.json");
  auto points = t5::expand_sweep(spec);
  REQUIRE(points.size() == 1);
  CHECK(points[0].row_label() == "base");
  CHECK(points[0].seed == 0);
}

namespace {

// Writes `json` as a sweep file and runs it with fake stages; returns the
// error message ("" when it ran).
std::string run_sweep_file(const Json& json, FakeStages& fake, const TempFolder& temp) {
  std::string path = (temp / "sweep.json").string();
  t5::write_text_atomically(path, json.dump(2));
  try {
    t5::SweepRunOptions options;
    options.poll_interval = std::chrono::milliseconds(10);
    t5::run_sweep(t5::load_sweep_file(path), temp / "out", fake.hooks(), options);
  } catch (const t5::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Each bad sweep file gives one error naming the file and key, and no work starts",
          "[experiments]") {
  TempFolder temp("sweep_errors");
  Json json = t5::testing::fake_sweep_json();
  std::string expected;
  SECTION("unknown top-level key") {
    json["axis"] = json["axes"];
    expected = "unknown key 'axis' (did you mean 'axes'?)";
  }
  SECTION("unknown key in an axis") {
    json["axes"][1]["valeus"] = {1};
    expected = "axes[1]: unknown key 'valeus' (did you mean 'values'";
  }
  SECTION("empty list of axes") {
    json["axes"] = Json::array();
    expected = ".axes: expected a non-empty list, got []";
  }
  SECTION("axis without values") {
    json["axes"][1]["values"] = Json::array();
    expected = "axes[1].values: expected a non-empty list";
  }
  SECTION("labels of the wrong count") {
    json["axes"][0]["labels"] = {"only one"};
    expected = "axes[0].labels: expected a list of 2 strings";
  }
  SECTION("zipped keys of unequal lengths") {
    json["axes"].push_back(
        {{"zip", {{{"key", "a.b"}, {"values", {1, 2}}}, {{"key", "a.c"}, {"values", {1}}}}}});
    expected = "axes[2].zip[1].values: zipped keys need equal lengths, but 'a.b' has 2 values";
  }
  SECTION("one key on two axes") {
    json["axes"].push_back({{"key", "finetune.steps"}, {"values", {5}}});
    expected = "axes[2]: key 'finetune.steps' is already set by";
  }
  SECTION("an axis over the seed") {
    json["axes"][1]["key"] = "seed";
    expected = "key 'seed' cannot be an axis";
  }
  SECTION("no seeds") {
    json["seeds"] = Json::array();
    expected = ".seeds: expected a non-empty list";
  }
  SECTION("a repeated seed") {
    json["seeds"] = {0, 1, 0};
    expected = "seed 0 is listed twice";
  }
  SECTION("a name that cannot name a folder") {
    json["name"] = "my sweep";
    expected = "'name' must be a folder-safe name";
  }
  SECTION("no base config") {
    json.erase("base");
    expected = "'base' must be a run config object";
  }
  SECTION("an axis key through a value that is not an object") {
    json["axes"][1]["key"] = "model.preset.size";
    expected = "cannot set 'model.preset.size': 'model.preset' is string";
  }
  SECTION("no fine-tuning tasks") {
    json["base"]["finetune"].erase("tasks");
    expected = "finetune.tasks: expected a non-empty list of task or mixture names";
  }
  SECTION("a task listed twice") {
    json["base"]["finetune"]["tasks"] = {"glue_sst2", "glue_sst2"};
    expected = "finetune.tasks lists 'glue_sst2' twice";
  }
  SECTION("a baseline for a task the sweep does not run") {
    json["baselines"] = {{{"label", "majority"}, {"scores", {{"glue_sst", {{"accuracy", 50}}}}}}};
    expected =
        "baselines[0].scores: task 'glue_sst' is not fine-tuned by any point (did you mean "
        "'glue_sst2'";
  }
  SECTION("an unknown Slurm option") {
    json["slurm"] = {{"time", "01:00:00"}, {"memory", "8G"}};
    expected = "slurm: unknown key 'memory'";
  }
  FakeStages fake;
  std::string error = run_sweep_file(json, fake, temp);
  CHECK_THAT(error, Catch::Contains((temp / "sweep.json").string()));
  CHECK_THAT(error, Catch::Contains(expected));
  CHECK(fake.runs().empty());
  CHECK_FALSE(std::filesystem::exists(temp / "out" / "stages"));
}

TEST_CASE("A run config the stages reject stops the sweep before any stage runs", "[experiments]") {
  TempFolder temp("sweep_check");
  std::vector<std::string> checked;
  FakeStages fake;
  t5::SweepHooks hooks = fake.hooks();
  hooks.check_config = [&](const Json& config, const std::string& where) {
    checked.push_back(where);
    if (config["pretrain"]["objective"]["name"] == "prefix_lm") {
      t5::fail("{}: pretrain.objective: unknown objective 'prefix_lm'", where);
    }
  };
  auto spec = t5::SweepSpec::from_json(t5::testing::fake_sweep_json(), "fake.json");
  CHECK_THROWS_WITH(t5::run_sweep(spec, temp / "out", hooks),
                    "fake.json: point 002-seed0 ('prefix LM, 10' seed 0): pretrain.objective: "
                    "unknown objective 'prefix_lm'");
  // Grid points 0 and 1 (span corruption) have two seeds each; the fifth
  // point checked is the first prefix LM one.
  CHECK(checked.size() == 5);
  CHECK(fake.runs().empty());
  CHECK_FALSE(std::filesystem::exists(temp / "out"));
}

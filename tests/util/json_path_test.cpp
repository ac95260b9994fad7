#include <catch2/catch.hpp>

#include "t5/util/json_path.h"

using t5::Json;

TEST_CASE("Dotted assignments set nested keys and parse values as JSON", "[util][json]") {
  Json config = {{"model", {{"preset", "t5-small"}}}};
  t5::apply_assignments(config,
                        {"model.preset=t5-mini", "finetune.steps=200", "finetune.pack=true",
                         "eval.tasks=[\"glue_sst2\"]", "name=\"7\""},
                        "--set");
  CHECK(config["model"]["preset"] == "t5-mini");
  CHECK(config["finetune"]["steps"] == 200);
  CHECK(config["finetune"]["pack"] == true);
  CHECK(config["eval"]["tasks"] == Json::array({"glue_sst2"}));
  CHECK(config["name"] == "7");
  REQUIRE(t5::find_json_path(config, "finetune.steps") != nullptr);
  CHECK(*t5::find_json_path(config, "finetune.steps") == 200);
  CHECK(t5::find_json_path(config, "finetune.nothing") == nullptr);
}

TEST_CASE("Bad assignments name the assignment and the fix", "[util][json]") {
  Json config = {{"model", {{"preset", "t5-small"}}}};
  CHECK_THROWS_WITH(t5::apply_assignments(config, {"steps"}, "--set"),
                    Catch::Contains("expected key.path=value"));
  CHECK_THROWS_WITH(t5::apply_assignments(config, {"model.preset.x=1"}, "--set"),
                    Catch::Contains("'model.preset' is string"));
  CHECK_THROWS_WITH(t5::apply_assignments(config, {"a..b=1"}, "--set"),
                    Catch::Contains("empty key"));
}

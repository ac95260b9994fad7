#include "t5/objectives/registry.h"

#include <catch2/catch.hpp>

#include "t5/objectives/language_modeling.h"
#include "tests/objectives/fixtures.h"

namespace {

t5::ObjectiveRegistry builtin_registry() {
  t5::ObjectiveRegistry registry;
  t5::register_builtin_objectives(registry);
  return registry;
}

t5::ObjectiveContext context(int64_t inputs = 512, int64_t targets = 0) {
  t5::ObjectiveContext c;
  c.lengths = {inputs, targets};
  c.where = "run.json: pretraining.objective";
  return c;
}

}  // namespace

TEST_CASE("the registry lists every built-in objective", "[objectives]") {
  auto registry = builtin_registry();
  CHECK(registry.names() == std::vector<std::string>{"bert_style", "deshuffling", "iid_drop_tokens",
                                                     "iid_replace_spans", "language_modeling",
                                                     "mass_style", "mixture_of_denoisers", "none",
                                                     "prefix_lm", "span_corruption", "ul2"});
  for (const auto& name : registry.names()) CHECK(!registry.description(name).empty());
}

TEST_CASE("an unknown objective name is an error that suggests the nearest name", "[objectives]") {
  auto registry = builtin_registry();
  CHECK_THROWS_WITH(registry.create("span_corruptoin", context()),
                    Catch::Contains("run.json: pretraining.objective") &&
                        Catch::Contains("unknown objective 'span_corruptoin'") &&
                        Catch::Contains("did you mean 'span_corruption'"));
  CHECK_THROWS_WITH(registry.create(t5::Json{{"noise_density", 0.15}}, context()),
                    Catch::Contains("an object with a \"name\""));
}

TEST_CASE("an unknown objective option is an error naming the key and the nearest one",
          "[objectives]") {
  auto registry = builtin_registry();
  t5::Json spec = {{"name", "span_corruption"}, {"noise_densty", 0.3}};
  CHECK_THROWS_WITH(registry.create(spec, context()),
                    Catch::Contains("run.json: pretraining.objective") &&
                        Catch::Contains("unknown key 'noise_densty'") &&
                        Catch::Contains("did you mean 'noise_density'"));
  t5::Json mixture = {{"name", "mixture_of_denoisers"},
                      {"denoisers", {{{"objective", "prefix_lm"}, {"rates", 2}}}}};
  CHECK_THROWS_WITH(registry.create(mixture, context()),
                    Catch::Contains("denoisers[0]") && Catch::Contains("unknown key 'rates'") &&
                        Catch::Contains("'rate'"));
}

TEST_CASE("a bad objective option value is an error naming the key and the range", "[objectives]") {
  auto registry = builtin_registry();
  auto spec = [](const char* name, const char* key, t5::Json value) {
    return t5::Json{{"name", name}, {key, value}};
  };
  CHECK_THROWS_WITH(registry.create(spec("span_corruption", "noise_density", "high"), context()),
                    Catch::Contains("key 'noise_density': expected a number, got \"high\""));
  CHECK_THROWS_WITH(
      registry.create(spec("span_corruption", "noise_density", 1.5), context()),
      Catch::Contains("noise_density is 1.5") && Catch::Contains("strictly between 0 and 1"));
  CHECK_THROWS_WITH(
      registry.create(spec("span_corruption", "mean_noise_span_length", 0.5), context()),
      Catch::Contains("mean_noise_span_length is 0.5") && Catch::Contains("at least 1"));
  CHECK_THROWS_WITH(registry.create(spec("bert_style", "mask_fraction", 0.95), context()),
                    Catch::Contains("mask_fraction 0.95 + random_fraction 0.1 exceed 1"));
  CHECK_THROWS_WITH(
      registry.create(spec("bert_style", "mask_token", "<extra_id_100>"), context()),
      Catch::Contains("mask_token") && Catch::Contains("<extra_id_100> does not exist"));
  CHECK_THROWS_WITH(registry.create(spec("iid_drop_tokens", "final_sentinel", true), context()),
                    Catch::Contains("unknown key 'final_sentinel'"));
  CHECK_THROWS_WITH(
      registry.create(spec("mixture_of_denoisers", "denoisers", t5::Json::array()), context()),
      Catch::Contains("'denoisers' is empty"));
  CHECK_THROWS_WITH(registry.create("bert_style", context(1, 0)),
                    Catch::Contains("a sequence length of 1 leaves no room"));
}

TEST_CASE("registering an objective name twice is an error", "[objectives]") {
  auto registry = builtin_registry();
  auto factory = [](const t5::Json&, const t5::ObjectiveContext&, const t5::ObjectiveRegistry&) {
    return std::make_unique<t5::NoPretraining>();
  };
  CHECK_THROWS_WITH(registry.add("prefix_lm", "again", factory),
                    Catch::Contains("'prefix_lm' is registered already"));
  registry.add("my_objective", "a user's objective", factory);
  CHECK(registry.contains("my_objective"));
}

TEST_CASE("an objective's JSON reads back into an objective that makes the same examples",
          "[objectives]") {
  auto registry = builtin_registry();
  for (const auto& name : registry.names()) {
    t5::Json spec = name;
    if (name == "mixture_of_denoisers") {
      spec = {{"name", name},
              {"denoisers",
               {{{"objective", "bert_style"}, {"rate", 2}, {"paradigm_token", 32000}},
                {{"objective", "deshuffling"}}}}};
    }
    auto objective = registry.create(spec, context(128, 128));
    auto json = objective->to_json();
    INFO(json.dump());
    CHECK(json["name"] == name);
    auto again = registry.create(json, context(128, 128));
    CHECK(again->to_json() == json);
    auto text = t5::testing::random_text(std::min<int64_t>(objective->raw_length(), 100), 3);
    t5::Rng a(5), b(5);
    CHECK(objective->apply(text, a) == again->apply(text, b));
  }
}

TEST_CASE("a mixture refuses mixtures and none as members", "[objectives]") {
  auto registry = builtin_registry();
  for (const char* member : {"ul2", "none"}) {
    t5::Json spec = {{"name", "mixture_of_denoisers"}, {"denoisers", {{{"objective", member}}}}};
    CHECK_THROWS_WITH(registry.create(spec, context()),
                      Catch::Contains("denoisers[0].objective") &&
                          Catch::Contains("may not be '" + std::string(member) + "'"));
  }
}

TEST_CASE("paradigm tokens read as ids or sentinel names and reserve the sentinels above them",
          "[objectives]") {
  auto ids = t5::testing::t5_ids();
  CHECK(t5::resolve_token("<extra_id_99>", ids, "x") == 32000);
  CHECK(t5::resolve_token(32099, ids, "x") == 32099);
  CHECK(t5::resolve_token("5", ids, "x") == 5);
  CHECK_THROWS_WITH(t5::resolve_token("[NLU]", ids, "x"),
                    Catch::Contains("expected a token id or \"<extra_id_N>\""));
  CHECK_THROWS_WITH(t5::resolve_token(32100, ids, "x"), Catch::Contains("outside the vocabulary"));

  // <extra_id_0> as a paradigm token would leave spans no sentinel.
  auto registry = builtin_registry();
  t5::Json spec = {{"name", "ul2"}, {"nlu_token", "<extra_id_0>"}};
  CHECK_THROWS_WITH(registry.create(spec, context()),
                    Catch::Contains("paradigm token <extra_id_0> leaves no sentinel"));
}

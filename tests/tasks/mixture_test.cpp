#include "t5/tasks/mixture.h"

#include <catch2/catch.hpp>

#include "tests/tasks/task_test_util.h"

namespace {

// Three tasks of 100, 300 and 1000 training examples.
int64_t sizes(const std::string& task) {
  if (task == "a") return 100;
  if (task == "b") return 300;
  return 1000;
}

t5::MixtureSpec three_tasks(t5::MixingRate rate, int64_t limit = 0, double temperature = 1.0) {
  t5::MixtureSpec spec;
  spec.name = "mix";
  spec.members = {{"a", std::nullopt}, {"b", std::nullopt}, {"c", std::nullopt}};
  spec.rate = rate;
  spec.limit = limit;
  spec.temperature = temperature;
  return spec;
}

}  // namespace

TEST_CASE("examples-proportional rates are task sizes capped at the limit", "[tasks][mixture]") {
  // Hand computed: min(n, 500) = 100, 300, 500 of 900.
  auto rates =
      t5::compute_mixture_rates(three_tasks(t5::MixingRate::kExamplesProportional, 500), sizes);
  REQUIRE(rates.size() == 3);
  CHECK(rates[0].rate == Approx(100.0 / 900.0));
  CHECK(rates[1].rate == Approx(300.0 / 900.0));
  CHECK(rates[2].rate == Approx(500.0 / 900.0));
  CHECK(rates[2].examples == 1000);
  CHECK(rates[2].weight == Approx(500.0));
  // Without a limit: 100, 300, 1000 of 1400.
  auto uncapped =
      t5::compute_mixture_rates(three_tasks(t5::MixingRate::kExamplesProportional), sizes);
  CHECK(uncapped[2].rate == Approx(1000.0 / 1400.0));
}

TEST_CASE("temperature rates raise capped sizes to one over the temperature", "[tasks][mixture]") {
  // Hand computed, T = 2, K = 500: sqrt(100) = 10, sqrt(300) = 17.3205,
  // sqrt(500) = 22.3607; sum 49.6812.
  auto rates =
      t5::compute_mixture_rates(three_tasks(t5::MixingRate::kTemperature, 500, 2.0), sizes);
  CHECK(rates[0].rate == Approx(0.2012834));
  CHECK(rates[1].rate == Approx(0.3486331));
  CHECK(rates[2].rate == Approx(0.4500834));
}

TEST_CASE("equal rates ignore task sizes and explicit rates override", "[tasks][mixture]") {
  auto spec = three_tasks(t5::MixingRate::kEqual);
  auto rates = t5::compute_mixture_rates(spec, [](const std::string&) -> int64_t {
    FAIL("equal rates must not count examples");
    return 0;
  });
  CHECK(rates[0].rate == Approx(1.0 / 3.0));
  spec.members[2].rate = 0.0;  // evaluation only
  rates = t5::compute_mixture_rates(spec, sizes);
  CHECK(rates[0].rate == Approx(0.5));
  CHECK(rates[2].rate == 0.0);
  spec.members[0].rate = 0.0;
  spec.members[1].rate = 0.0;
  CHECK_THROWS_WITH(t5::compute_mixture_rates(spec, sizes),
                    Catch::Contains("every task has rate 0"));
}

TEST_CASE("glue and super_glue mixtures use the reference example counts", "[tasks][mixture]") {
  const auto& tasks = t5::testing::builtin_tasks();
  const auto& mixtures = t5::testing::builtin_mixtures();
  t5::DataOptions no_data;
  // Sum of the reference's GLUE training sizes: 8551 + 67349 + 3668 +
  // 363849 + 5749 + 392702 + 104743 + 2490 = 949101; MNLI's dev sets and AX
  // are in at rate 0.
  auto glue = t5::mixture_rates(mixtures.get("glue"), tasks, no_data);
  REQUIRE(glue.size() == 10);
  double total = 0;
  for (const auto& rate : glue) {
    total += rate.rate;
    if (rate.task == "glue_cola") CHECK(rate.rate == Approx(8551.0 / 949101.0));
    if (rate.task == "glue_mnli_matched") CHECK(rate.rate == Approx(392702.0 / 949101.0));
    if (rate.task == "glue_mnli_mismatched" || rate.task == "glue_ax") CHECK(rate.rate == 0.0);
  }
  CHECK(total == Approx(1.0));
  // SuperGLUE: 9427 + 250 + 400 + 27243 + 138854 + 2490 + 5428 + 259 = 184351.
  auto super_glue = t5::mixture_rates(mixtures.get("super_glue"), tasks, no_data);
  REQUIRE(super_glue.size() == 8);
  for (const auto& rate : super_glue) {
    if (rate.task == "super_glue_record") CHECK(rate.rate == Approx(138854.0 / 184351.0));
    if (rate.task == "super_glue_wsc") CHECK(rate.rate == Approx(259.0 / 184351.0));
  }
}

TEST_CASE("mixture specs check their tasks and rate settings", "[tasks][mixture]") {
  const auto& tasks = t5::testing::builtin_tasks();
  auto mixture = [&](const t5::Json& json) {
    return t5::Mixture(t5::MixtureSpec::from_json(json, "mix.json"), tasks);
  };
  t5::Json good = {{"kind", "mixture"},
                   {"name", "pair"},
                   {"tasks", {"glue_rte", "glue_mrpc"}},
                   {"rate", "temperature"},
                   {"temperature", 2.0}};
  CHECK(mixture(good).task_names() == std::vector<std::string>{"glue_rte", "glue_mrpc"});

  t5::Json unknown = good;
  unknown["tasks"] = {"glue_rte", "glue_mrcp"};
  CHECK_THROWS_WITH(mixture(unknown), Catch::Contains("mix.json: mixture 'pair'") &&
                                          Catch::Contains("no task named 'glue_mrcp'") &&
                                          Catch::Contains("'glue_mrpc'"));
  t5::Json twice = good;
  twice["tasks"] = {"glue_rte", "glue_rte"};
  CHECK_THROWS_WITH(mixture(twice), Catch::Contains("listed twice"));
  t5::Json cold = good;
  cold["rate"] = "equal";
  CHECK_THROWS_WITH(mixture(cold), Catch::Contains("temperature is used only with"));
  t5::Json misspelt = good;
  misspelt["temprature"] = 3;
  CHECK_THROWS_WITH(mixture(misspelt), Catch::Contains("unknown key 'temprature'") &&
                                           Catch::Contains("'temperature'"));
  t5::Json clash = good;
  clash["name"] = "glue_rte";
  CHECK_THROWS_WITH(mixture(clash), Catch::Contains("already a task's name"));
}

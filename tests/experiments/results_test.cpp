#include <catch2/catch.hpp>

#include <filesystem>

#include "t5/experiments/plots.h"
#include "t5/experiments/report.h"
#include "t5/experiments/results.h"
#include "t5/util/files.h"
#include "tests/experiments/fake_stages.h"
#include "tests/support/temp_folder.h"

using t5::Json;
using t5::testing::TempFolder;

namespace {

// Three objectives x seeds 0-2, fine-tuned on SST-2 and MRPC, with the
// majority-class baseline.
t5::SweepSpec table_spec() {
  Json json = {{"name", "objectives"},
               {"description", "Objectives on one budget."},
               {"base", t5::testing::fake_run_config()},
               {"axes",
                {{{"key", "pretrain.objective.name"},
                  {"values", {"span_corruption", "prefix_lm", "deshuffling"}},
                  {"labels", {"span corruption", "prefix LM", "deshuffling"}},
                  {"name", "objective"}}}},
               {"seeds", {0, 1, 2}},
               {"task_labels", {{"glue_sst2", "SST-2"}}},
               {"baselines",
                {{{"label", "majority class"},
                  {"scores",
                   {{"glue_sst2", {{"accuracy", 50.9}}},
                    {"glue_mrpc", {{"accuracy", 68.4}, {"f1", 81.2}}}}}}}}};
  return t5::SweepSpec::from_json(json, "objectives.json");
}

// Marks the stage of (grid point, seed, task) done with the given metrics.
void finish(const t5::SweepPlan& plan, size_t grid, size_t seed, size_t task, Json metrics) {
  const auto& entry = plan.point_stages[grid * 3 + seed].finetune[task];
  const auto& dir = plan.stages[entry.second].stage.dir;
  t5::write_text_atomically(dir / "scores.json",
                            Json{{"task", entry.first}, {"step", 30}, {"metrics", metrics}}.dump());
  t5::write_text_atomically(dir / "done.json", "{}");
}

// Hand-chosen scores: span corruption complete; prefix LM missing seed 2 of
// SST-2 and seeds 1-2 of MRPC; deshuffling has none.
t5::SweepPlan finished_plan(const t5::SweepSpec& spec, const std::filesystem::path& out) {
  auto plan = t5::plan_sweep(spec, out);
  const double sst2[] = {90, 91, 92}, mrpc_accuracy[] = {80, 82, 84}, mrpc_f1[] = {86, 88, 90};
  for (size_t seed = 0; seed < 3; ++seed) {
    finish(plan, 0, seed, 0, {{"accuracy", sst2[seed]}});
    finish(plan, 0, seed, 1, {{"accuracy", mrpc_accuracy[seed]}, {"f1", mrpc_f1[seed]}});
  }
  finish(plan, 1, 0, 0, {{"accuracy", 85}});
  finish(plan, 1, 1, 0, {{"accuracy", 87}});
  finish(plan, 1, 0, 1, {{"accuracy", 83}, {"f1", 87}});
  return plan;
}

}  // namespace

TEST_CASE("The results table pools seeds, averages tasks like GLUE and bolds the best",
          "[experiments]") {
  TempFolder temp("results_table");
  auto spec = table_spec();
  auto table = t5::collect_results(spec, finished_plan(spec, temp / "out"));
  std::string markdown = t5::results_markdown(table);

  // Span corruption: SST-2 90, 91, 92 -> 91 ± 1; MRPC accuracy 80, 82, 84 ->
  // 82 ± 2; F1 86, 88, 90 -> 88 ± 2. Average per seed = (SST-2 + mean of the
  // MRPC pair) / 2 = 86.5, 88, 89.5 -> 88 ± 1.5.
  // Prefix LM: SST-2 85, 87 -> 86 ± 1.41 (sample sd = sqrt(2)); MRPC from seed
  // 0 alone; average only for seed 0: (85 + (83 + 87) / 2) / 2 = 85.
  // Majority class: (50.9 + (68.4 + 81.2) / 2) / 2 = 62.85.
  std::string expected =
      "| objective | SST-2 accuracy | glue_mrpc accuracy | glue_mrpc f1 | Average |\n"
      "|---|---:|---:|---:|---:|\n"
      "| span corruption | **91.00 ± 1.00** | 82.00 ± 2.00 | **88.00 ± 2.00** | **88.00 ± 1.50** "
      "|\n"
      "| prefix LM | 86.00 ± 1.41 (n=2) | **83.00** (n=1) | 87.00 (n=1) | 85.00 (n=1) |\n"
      "| deshuffling | - | - | - | - |\n"
      "| *majority class* | 50.90 | 68.40 | 81.20 | 62.85 |\n";
  CHECK_THAT(markdown, Catch::EndsWith(expected));
  CHECK_THAT(markdown, Catch::StartsWith("# objectives\n\nObjectives on one budget.\n"));
  CHECK_THAT(markdown, Catch::Contains("Mean ± sample sd over 3 seeds"));

  SECTION("the CSV keeps mean, sd and n apart") {
    std::string csv = t5::results_csv(table);
    CHECK_THAT(csv, Catch::StartsWith(
                        "row,kind,objective,SST-2 accuracy mean,SST-2 accuracy sd,SST-2 accuracy "
                        "n,glue_mrpc accuracy mean,"));
    CHECK_THAT(csv, Catch::Contains(
                        "\nspan corruption,point,span corruption,91,1,3,82,2,3,88,2,3,88,1.5,3\n"));
    CHECK_THAT(csv, Catch::Contains("\ndeshuffling,point,deshuffling,,,0,,,0,,,0,,,0\n"));
    CHECK_THAT(csv, Catch::Contains("\nmajority class,baseline,,50.9,,1,68.4,,1,81.2,,1,"));
  }
}

TEST_CASE("A malformed scores.json is an error naming the file", "[experiments]") {
  TempFolder temp("results_bad");
  auto spec = table_spec();
  auto plan = t5::plan_sweep(spec, temp / "out");
  finish(plan, 0, 0, 0, {{"accuracy", "high"}});
  CHECK_THROWS_WITH(
      t5::collect_results(spec, plan),
      Catch::Contains("scores.json: metrics.accuracy: expected a number, got \"high\""));
}

TEST_CASE("Line charts are standalone SVG with one polyline per series", "[experiments]") {
  t5::LineChart chart{"loss <train>",
                      "step",
                      "loss",
                      {{"a & b", {{0, 4.0}, {10, 3.0}, {20, 2.5}}}, {"single", {{5, 3.5}}}}};
  std::string svg = t5::render_line_chart(chart);
  CHECK_THAT(svg, Catch::StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK_THAT(svg, Catch::EndsWith("</svg>\n"));
  CHECK_THAT(svg, Catch::Contains("loss &lt;train&gt;") && Catch::Contains("a &amp; b"));
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t at = svg.find(what); at != std::string::npos; at = svg.find(what, at + 1)) ++n;
    return n;
  };
  CHECK(count("<polyline") == 2);
  CHECK(count("<circle") == 1);
  CHECK(count("<text") == count("</text>"));
  // x ticks over [0, 20] in steps of 5 (the round step nearest a fifth).
  CHECK_THAT(svg, Catch::Contains(">15</text>"));
}

TEST_CASE("The report draws one curve per grid point from the stages' metrics", "[experiments]") {
  TempFolder temp("results_report");
  auto spec = table_spec();
  auto plan = finished_plan(spec, temp / "out");
  // Pretraining logs for seed 0 of every objective; the last line of one is
  // cut short, as a kill mid-write leaves it.
  for (size_t grid = 0; grid < 3; ++grid) {
    const auto& dir = plan.stages[plan.point_stages[grid * 3].pretrain].stage.dir;
    std::string lines;
    for (int step = 0; step <= 100; step += 50) {
      lines += Json{{"event", "train"}, {"step", step}, {"loss", 5.0 - grid - step / 50.0}}.dump() +
               "\n";
    }
    if (grid == 2) lines += "{\"event\": \"tra";
    t5::write_text_atomically(dir / "metrics.jsonl", lines);
  }
  const auto& sst2 = plan.stages[plan.point_stages[0].finetune[0].second].stage.dir;
  t5::write_text_atomically(
      sst2 / "metrics.jsonl",
      Json{{"event", "eval"}, {"step", 10}, {"task", "glue_sst2"}, {"metrics", {{"accuracy", 88}}}}
              .dump() +
          "\n");

  t5::Logger quiet(t5::LogLevel::kError);
  std::string markdown = t5::write_report(spec, plan, quiet);
  auto report = temp / "out" / "report";
  CHECK(t5::read_text_file(report / "results.md") == markdown);
  CHECK(std::filesystem::exists(report / "results.csv"));
  std::string loss = t5::read_text_file(report / "pretrain_loss.svg");
  CHECK_THAT(loss, Catch::StartsWith("<svg"));
  CHECK_THAT(loss, Catch::Contains("Pretraining loss (mean over 3 seeds)"));
  size_t lines = 0;
  for (size_t at = loss.find("<polyline"); at != std::string::npos;
       at = loss.find("<polyline", at + 1)) {
    ++lines;
  }
  CHECK(lines == 3);
  std::string accuracy = t5::read_text_file(report / "glue_sst2_accuracy.svg");
  CHECK_THAT(accuracy, Catch::Contains("SST-2 accuracy while fine-tuning"));
  CHECK_THAT(accuracy, Catch::Contains("<polyline"));
}

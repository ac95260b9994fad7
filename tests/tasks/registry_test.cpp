#include "t5/tasks/registry.h"

#include <catch2/catch.hpp>
#include <cstdlib>

#include "t5/tasks/text_ops.h"
#include "tests/support/scoped_env.h"
#include "tests/tasks/task_test_util.h"

using t5::Json;
using t5::testing::builtin_tasks;
using t5::testing::TempDir;

using t5::testing::ScopedEnv;

#include "tests/support/scoped_env.h"

namespace {

// A user task in a spec folder: the README's worked example.
const char* kSentimentSpec = R"({
  "name": "movie_sentiment",
  "description": "Is a one-line movie review positive?",
  "source": {"format": "tsv", "splits": {"train": "movies/train.tsv"}},
  "fields": {"review": "text", "label": "stars"},
  "inputs": "sentiment review: {review}",
  "targets": "{label}",
  "label_names": ["negative", "positive"],
  "postprocessor": "label",
  "metrics": ["accuracy"]
})";

// A task spec with one key replaced (or removed when `value` is null).
Json sentiment_with(const std::string& key, const Json& value) {
  Json spec = Json::parse(kSentimentSpec);
  if (value.is_null()) {
    spec.erase(key);
  } else {
    spec[key] = value;
  }
  return spec;
}

t5::Task make_task(const Json& spec) {
  static const t5::Processors processors = t5::Processors::builtin();
  return t5::Task(t5::TaskSpec::from_json(spec, "movie_sentiment.json"), processors);
}

}  // namespace

TEST_CASE("task registry holds every built-in task and both mixtures", "[tasks][registry]") {
  // The issue's list, in its order.
  auto required = t5::split(
      "glue_cola glue_sst2 glue_mrpc glue_qqp glue_stsb glue_mnli_matched glue_mnli_mismatched "
      "glue_qnli glue_rte glue_wnli glue_ax super_glue_boolq super_glue_cb super_glue_copa "
      "super_glue_multirc super_glue_record super_glue_rte super_glue_wic super_glue_wsc "
      "squad_v1 cnn_dailymail wmt14_ende wmt14_enfr wmt16_enro",
      ' ');
  REQUIRE(required.size() == 24);
  for (const auto& name : required) {
    INFO(name);
    CHECK(builtin_tasks().contains(name));
  }
  for (const auto& corpus : {"c4", "wikitext2", "wikitext2_raw", "english_novels"}) {
    CHECK(builtin_tasks().contains(corpus));
  }
  CHECK(t5::testing::builtin_mixtures().list() ==
        std::vector<std::string>{"glue", "pretrain_mix", "super_glue"});
  const auto& stsb = builtin_tasks().get("glue_stsb").spec();
  CHECK(stsb.lengths.inputs == 512);
  CHECK(stsb.lengths.targets == 84);
  CHECK(builtin_tasks().get("squad_v1").spec().lengths.targets == 97);
  CHECK(builtin_tasks().get("super_glue_cb").spec().metrics[0].options.at("labels").size() == 3);
}

TEST_CASE("task registry misses name the nearest known names", "[tasks][registry]") {
  CHECK_THROWS_WITH(
      builtin_tasks().get("glue_rtee"),
      Catch::Contains("no task named 'glue_rtee'") && Catch::Contains("did you mean 'glue_rte'"));
  CHECK_THROWS_WITH(
      t5::testing::builtin_mixtures().get("super_glu"),
      Catch::Contains("no mixture named 'super_glu'") && Catch::Contains("'super_glue'"));
  t5::Processors processors = t5::Processors::builtin();
  CHECK_THROWS_WITH(processors.preprocessors.get("recrod"),
                    Catch::Contains("'recrod'") && Catch::Contains("did you mean 'record'"));
}

TEST_CASE("task registry refuses a second task with the same name", "[tasks][registry]") {
  t5::TaskRegistry registry;
  registry.add(make_task(Json::parse(kSentimentSpec)));
  CHECK_THROWS_WITH(registry.add(make_task(Json::parse(kSentimentSpec))),
                    Catch::Contains("task 'movie_sentiment' is already defined"));
  CHECK(registry.list() == std::vector<std::string>{"movie_sentiment"});
}

TEST_CASE("a user task spec folder adds tasks and mixtures beside the built-in ones",
          "[tasks][registry]") {
  TempDir specs;
  TempDir data;
  specs.write("movie_sentiment.json", kSentimentSpec);
  specs.write("movies_and_rte.json", R"({"kind": "mixture", "name": "movies_and_rte",
    "tasks": ["movie_sentiment", {"task": "glue_rte", "rate": 100}]})");
  data.write("movies/train.tsv", "text\tstars\nA triumph.\t1\nDull and long.\t0\nFun.\t1\n");

  t5::TaskRegistry tasks;
  t5::MixtureRegistry mixtures;
  t5::register_builtin_tasks(tasks, mixtures);
  t5::load_task_folders(t5::user_task_dirs(specs.path().string()), tasks, mixtures);
  t5::DataOptions options;
  options.data_dir = data.path();
  auto examples = t5::testing::read_examples(tasks.get("movie_sentiment"), "train", options);
  REQUIRE(examples.size() == 3);
  CHECK(examples[0].inputs == "sentiment review: A triumph.");
  CHECK(examples[0].targets == "positive");
  CHECK(examples[1].targets == "negative");
  // Counted from the file (3 examples), against glue_rte's explicit 100.
  auto rates = t5::mixture_rates(mixtures.get("movies_and_rte"), tasks, options);
  CHECK(rates[0].examples == 3);
  CHECK(rates[0].rate == Approx(3.0 / 103.0));
  CHECK(rates[1].rate == Approx(100.0 / 103.0));
}

TEST_CASE("task specs with mistakes fail at load naming the file and the fix",
          "[tasks][registry]") {
  SECTION("an unknown key names the nearest") {
    CHECK_THROWS_WITH(make_task(sentiment_with("label_name", Json::array({"a", "b"}))),
                      Catch::Contains("movie_sentiment.json") &&
                          Catch::Contains("unknown key 'label_name'") &&
                          Catch::Contains("'label_names'"));
  }
  SECTION("a template field that nothing provides") {
    CHECK_THROWS_WITH(make_task(sentiment_with("inputs", "sentiment review: {reveiw}")),
                      Catch::Contains("uses {reveiw}") && Catch::Contains("'review'"));
    CHECK_THROWS_WITH(make_task(sentiment_with("inputs", "sentiment {review")),
                      Catch::Contains("is never closed"));
  }
  SECTION("an unknown preprocessor, postprocessor or format") {
    CHECK_THROWS_WITH(make_task(sentiment_with("preprocessor", "recrod")),
                      Catch::Contains("did you mean 'record'"));
    CHECK_THROWS_WITH(make_task(sentiment_with("postprocessor", "lable")),
                      Catch::Contains("did you mean 'label'"));
    Json source = {{"format", "tvs"}, {"splits", {{"train", "x.tsv"}}}};
    CHECK_THROWS_WITH(
        make_task(sentiment_with("source", source)),
        Catch::Contains("'tvs' is not a known format") && Catch::Contains("did you mean 'tsv'"));
  }
  SECTION("a preprocessor without the fields it needs") {
    Json spec = sentiment_with("preprocessor", "wsc");
    CHECK_THROWS_WITH(make_task(spec), Catch::Contains("preprocessor 'wsc' needs the field"));
  }
  SECTION("label names without a label, or a label postprocessor without names") {
    Json spec = sentiment_with("fields", {{"review", "text"}});
    spec["targets"] = "x";
    CHECK_THROWS_WITH(make_task(spec), Catch::Contains("no \"label\" field is mapped"));
    CHECK_THROWS_WITH(make_task(sentiment_with("label_names", nullptr)),
                      Catch::Contains("needs \"label_names\""));
  }
  SECTION("a bad name") {
    CHECK_THROWS_WITH(make_task(sentiment_with("name", "movie sentiment")),
                      Catch::Contains("task name 'movie sentiment'"));
  }
  SECTION("a metric the metrics layer does not know, through the hook") {
    TempDir specs;
    specs.write("movie_sentiment.json", sentiment_with("metrics", Json::array({"acuracy"})).dump());
    t5::TaskRegistry tasks;
    t5::MixtureRegistry mixtures;
    t5::TaskLoadOptions options;
    options.check_metric = t5::metric_name_check({"accuracy", "f1", "matthews_corrcoef"});
    CHECK_THROWS_WITH(t5::load_task_folders({specs.path()}, tasks, mixtures, options),
                      Catch::Contains("metrics[0]") &&
                          Catch::Contains("no metric named "
                                          "'acuracy'") &&
                          Catch::Contains("did you mean 'accuracy'"));
  }
}

TEST_CASE("built-in task specs pass the metric hook and round trip through json",
          "[tasks][registry]") {
  t5::TaskRegistry tasks;
  t5::MixtureRegistry mixtures;
  t5::TaskLoadOptions options;
  options.check_metric =
      t5::metric_name_check({"accuracy", "f1", "f1_macro", "matthews_corrcoef", "pearson",
                             "spearman", "squad", "record", "multirc", "bleu", "rouge"});
  t5::register_builtin_tasks(tasks, mixtures, options);
  t5::Processors processors = t5::Processors::builtin();
  for (const auto& name : tasks.list()) {
    INFO(name);
    const t5::TaskSpec& spec = tasks.get(name).spec();
    t5::Task again(t5::TaskSpec::from_json(spec.to_json(), "round trip"), processors);
    CHECK(again.spec().to_json() == spec.to_json());
  }
}

TEST_CASE("malformed records follow the spec's policy unless the data options override it",
          "[tasks][registry]") {
  TempDir data;
  auto file = data.write("movies/train.tsv",
                         "text\tstars\nA triumph.\t1\nno stars column\nDull.\t0\nOdd.\tmaybe\n");
  t5::DataOptions options;
  options.data_dir = data.path();
  SECTION("fail (the default) names the file and line") {
    t5::Task task = make_task(Json::parse(kSentimentSpec));
    CHECK_THROWS_WITH(t5::testing::read_examples(task, "train", options),
                      Catch::Contains(file.string() + ":3") &&
                          Catch::Contains("expected 2 tab-separated fields"));
  }
  SECTION("skip counts the bad rows, including a label that is not a class") {
    t5::Task task = make_task(sentiment_with("on_bad_record", "skip"));
    t5::ExampleReader reader = task.read("train", options);
    t5::Example example;
    std::vector<std::string> targets;
    while (reader.next(example)) targets.push_back(example.targets);
    CHECK(targets == std::vector<std::string>{"positive", "negative"});
    CHECK(reader.stats().skipped == 2);
    CHECK(reader.stats().records == 3);
    CHECK_THAT(reader.stats().skipped_messages[1],
               Catch::Contains(file.string() + ":5") &&
                   Catch::Contains("label 'maybe' is not one of the label names"));
  }
  SECTION("the data options override the spec") {
    t5::Task task = make_task(sentiment_with("on_bad_record", "skip"));
    options.on_bad_record = t5::OnBadRecord::kFail;
    CHECK_THROWS_AS(t5::testing::read_examples(task, "train", options), t5::RecordError);
  }
}

TEST_CASE("a record without a mapped field is malformed at its file and line",
          "[tasks][registry]") {
  TempDir data;
  auto file = data.write("movies/train.jsonl",
                         "{\"text\": \"Fun.\", \"stars\": 1}\n"
                         "{\"body\": \"No text key.\", \"stars\": 0}\n");
  Json spec = Json::parse(kSentimentSpec);
  spec["source"] = {{"format", "jsonl"}, {"splits", {{"train", "movies/train.jsonl"}}}};
  t5::Task task = make_task(spec);
  t5::DataOptions options;
  options.data_dir = data.path();
  CHECK_THROWS_WITH(t5::testing::read_examples(task, "train", options),
                    Catch::Contains(file.string() + ":2") &&
                        Catch::Contains("missing field 'review' (record key 'text')"));
  options.on_bad_record = t5::OnBadRecord::kSkip;
  t5::ExampleReader reader = task.read("train", options);
  t5::Example example;
  REQUIRE(reader.next(example));
  CHECK(example.inputs == "sentiment review: Fun.");
  CHECK_FALSE(reader.next(example));
  CHECK(reader.stats().skipped == 1);
}

TEST_CASE("missing splits, files and data roots are errors that say what to do",
          "[tasks][registry]") {
  const t5::Task& rte = builtin_tasks().get("glue_rte");
  TempDir empty;
  t5::DataOptions options;
  options.data_dir = empty.path();
  CHECK_THROWS_WITH(rte.read("dev", options),
                    Catch::Contains("task 'glue_rte' has no split "
                                    "'dev'") &&
                        Catch::Contains("its splits: test, train, validation"));
  CHECK_THROWS_WITH(rte.read("validation", options),
                    Catch::Contains((empty.path() / "glue/RTE/dev.tsv").string()) &&
                        Catch::Contains("T5_DATA_DIR"));
  CHECK_THROWS_WITH(rte.read("validation", t5::DataOptions{}), Catch::Contains("no data root"));
  CHECK_THROWS_WITH(t5::resolve_data_dir((empty.path() / "nowhere").string()),
                    Catch::Contains("is not a folder"));
  CHECK(t5::resolve_data_dir(empty.path().string()) == empty.path());
}

TEST_CASE("built-in specs are found beside the executable or through T5_BUILTIN_TASKS",
          "[tasks][registry]") {
  CHECK(std::filesystem::exists(t5::builtin_tasks_dir() / "glue_rte.json"));
  TempDir specs;
  specs.write("movie_sentiment.json", kSentimentSpec);
  ScopedEnv env("T5_BUILTIN_TASKS", specs.path().string());
  t5::TaskRegistry tasks;
  t5::MixtureRegistry mixtures;
  t5::register_builtin_tasks(tasks, mixtures);
  CHECK(tasks.list() == std::vector<std::string>{"movie_sentiment"});
}

TEST_CASE("user task folders come from the flag or T5_TASKS_PATH", "[tasks][registry]") {
  CHECK(t5::user_task_dirs("a:b").size() == 2);
  ScopedEnv env("T5_TASKS_PATH", "/one:/two::");
  auto folders = t5::user_task_dirs("");
  REQUIRE(folders.size() == 2);
  CHECK(folders[1] == "/two");
  CHECK(t5::user_task_dirs("/flag").front() == "/flag");
}

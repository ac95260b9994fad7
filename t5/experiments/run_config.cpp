#include "t5/experiments/run_config.h"

#include "t5/util/json_path.h"

namespace t5 {

namespace {

// Keys of a stage section that describe its data; the others are the
// trainer's.
const std::vector<std::string> kDataKeys = {
    "corpus",     "tasks",        "objective",      "split",  "inputs_length", "targets_length",
    "batch_size", "batch_tokens", "shuffle_buffer", "epochs", "pack",          "from"};

TrainerOptions default_trainer(bool pretraining) {
  TrainerOptions options;
  if (!pretraining) {
    // T5 fine-tunes with Adafactor at a constant 1e-3.
    options.schedule.name = "constant";
    options.schedule.base = 1e-3;
    options.schedule.warmup_steps = 0;
    options.eval_every = 200;
  }
  return options;
}

}  // namespace

ModelSection ModelSection::from_json(const Json& json, const std::string& where) {
  ModelSection section;
  JsonFields fields(json, where);
  fields.get("preset", section.preset);
  fields.get("config", section.config);
  fields.get("from", section.from);
  fields.finish();
  T5_CHECK(section.config.is_object(),
           "{}: key 'config': expected an object of config.json keys, got {}", where,
           section.config.dump());
  return section;
}

Json ModelSection::to_json() const {
  return {{"preset", preset}, {"config", config}, {"from", from}};
}

VocabularySection VocabularySection::from_json(const Json& json, const std::string& where) {
  VocabularySection section;
  JsonFields fields(json, where);
  fields.get("path", section.path);
  fields.get("extra_ids", section.extra_ids);
  fields.get("train", section.train);
  fields.finish();
  T5_CHECK(section.extra_ids >= 0 && section.extra_ids <= 1000,
           "{}: key 'extra_ids': expected 0 to 1000 sentinels (T5: 100), got {}", where,
           section.extra_ids);
  if (section.trains()) {
    JsonFields train(section.train, where + ".train");
    std::string corpus, model_type;
    int64_t vocab_size = 0, max_documents = 0;
    train.get("corpus", corpus);
    train.get("vocab_size", vocab_size);
    train.get("max_documents", max_documents);
    train.get("model_type", model_type);
    train.finish();
    T5_CHECK(!corpus.empty(),
             "{}.train: key 'corpus': expected a task name such as "
             "\"wikitext2_raw\" whose texts train the vocabulary",
             where);
    T5_CHECK(vocab_size >= 16, "{}.train: key 'vocab_size': expected at least 16, got {}", where,
             vocab_size);
  }
  return section;
}

Json VocabularySection::to_json() const {
  Json json = {{"path", path}, {"extra_ids", extra_ids}};
  if (trains()) json["train"] = train;
  return json;
}

StageSection StageSection::from_json(const Json& json, const std::string& where, bool pretraining) {
  StageSection section;
  section.train = default_trainer(pretraining);
  T5_CHECK(json.is_object(), "{}: expected an object, got {}", where, json.dump());
  Json data = Json::object();
  Json trainer = section.train.to_json();
  for (auto it = json.begin(); it != json.end(); ++it) {
    bool is_data = std::find(kDataKeys.begin(), kDataKeys.end(), it.key()) != kDataKeys.end();
    if (is_data) {
      data[it.key()] = it.value();
    } else if (trainer.contains(it.key()) && trainer[it.key()].is_object()) {
      trainer[it.key()].update(it.value());
    } else {
      trainer[it.key()] = it.value();
    }
  }
  JsonFields fields(data, where);
  fields.get("corpus", section.corpus);
  fields.get("tasks", section.tasks);
  fields.get("objective", section.objective);
  fields.get("split", section.split);
  fields.get("inputs_length", section.inputs_length);
  fields.get("targets_length", section.targets_length);
  fields.get("batch_size", section.batch_size);
  fields.get("batch_tokens", section.batch_tokens);
  fields.get("shuffle_buffer", section.shuffle_buffer);
  fields.get("epochs", section.epochs);
  fields.get("pack", section.pack);
  fields.get("from", section.from);
  fields.finish();
  section.train = TrainerOptions::from_json(trainer, where);

  if (pretraining) {
    T5_CHECK(section.tasks.empty(),
             "{}: key 'tasks' belongs in 'finetune'; pretraining reads "
             "its 'corpus'",
             where);
    if (section.objective.is_null()) section.objective = "span_corruption";
    if (section.corpus.empty()) section.corpus = "c4";
    if (section.inputs_length == 0) section.inputs_length = 512;
  } else {
    T5_CHECK(section.objective.is_null() && section.corpus.empty(),
             "{}: keys 'objective' and 'corpus' belong in 'pretrain'", where);
  }
  auto positive = [&](const char* key, int64_t value) {
    T5_CHECK(value >= 0, "{}: key '{}': expected 0 or more, got {}", where, key, value);
  };
  positive("inputs_length", section.inputs_length);
  positive("targets_length", section.targets_length);
  positive("batch_tokens", section.batch_tokens);
  positive("epochs", section.epochs);
  positive("shuffle_buffer", section.shuffle_buffer);
  T5_CHECK(section.batch_size >= 1, "{}: key 'batch_size': expected at least 1 row, got {}", where,
           section.batch_size);
  T5_CHECK(section.train.steps > 0 || section.epochs > 0,
           "{}: give a budget: 'steps' or 'epochs' above 0", where);
  return section;
}

Json StageSection::to_json(bool pretraining) const {
  Json json = train.to_json();
  if (pretraining) {
    json["corpus"] = corpus;
    json["objective"] = objective;
  } else {
    json["tasks"] = tasks;
    json["from"] = from;
  }
  json["split"] = split;
  json["inputs_length"] = inputs_length;
  json["targets_length"] = targets_length;
  json["batch_size"] = batch_size;
  json["batch_tokens"] = batch_tokens;
  json["shuffle_buffer"] = shuffle_buffer;
  json["epochs"] = epochs;
  json["pack"] = pack;
  return json;
}

RunConfig RunConfig::from_json(const Json& json, const std::string& where) {
  RunConfig config;
  JsonFields fields(json, where);
  Json model = Json::object(), vocabulary = Json::object(), pretrain = Json::object(),
       finetune = Json::object(), eval = Json::object();
  fields.get("name", config.name);
  fields.get("seed", config.seed);
  fields.get("threads", config.threads);
  fields.get("precision", config.precision);
  fields.get("data_dir", config.data_dir);
  fields.get("tasks_dir", config.tasks_dir);
  fields.get("model", model);
  fields.get("vocabulary", vocabulary);
  fields.get("pretrain", pretrain);
  fields.get("finetune", finetune);
  fields.get("eval", eval);
  fields.finish();
  T5_CHECK(!config.name.empty(), "{}: key 'name': expected a run name, got \"\"", where);
  T5_CHECK(config.threads >= 0, "{}: key 'threads': expected 0 (all cores) or more, got {}", where,
           config.threads);
  config.model = ModelSection::from_json(model, where + ": model");
  config.vocabulary = VocabularySection::from_json(vocabulary, where + ": vocabulary");
  config.pretrain = StageSection::from_json(pretrain, where + ": pretrain", true);
  config.finetune = StageSection::from_json(finetune, where + ": finetune", false);
  config.eval = EvalOptions::from_json(eval, where + ": eval");
  if (!config.precision.empty()) {
    Precision precision = parse_precision(config.precision, where + ": precision");
    config.pretrain.train.precision = precision;
    config.finetune.train.precision = precision;
  }
  // Dropout follows the run's seed unless a stage sets its own.
  if (!pretrain.contains("seed")) config.pretrain.train.seed = config.seed;
  if (!finetune.contains("seed")) config.finetune.train.seed = config.seed;
  return config;
}

Json RunConfig::to_json() const {
  return {{"name", name},
          {"seed", seed},
          {"threads", threads},
          {"precision", precision},
          {"data_dir", data_dir},
          {"tasks_dir", tasks_dir},
          {"model", model.to_json()},
          {"vocabulary", vocabulary.to_json()},
          {"pretrain", pretrain.to_json(true)},
          {"finetune", finetune.to_json(false)},
          {"eval", eval.to_json()}};
}

Json default_run_config() { return RunConfig::from_json(Json::object(), "defaults").to_json(); }

RunConfig load_run_config(const std::string& file, const std::vector<std::string>& assignments) {
  Json json = file.empty() ? Json::object() : read_json_file(file);
  apply_assignments(json, assignments, "--set");
  return RunConfig::from_json(json, file.empty() ? "run config" : file);
}

}  // namespace t5

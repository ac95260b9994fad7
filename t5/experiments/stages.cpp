#include "t5/experiments/stages.h"

#include <fstream>

#include "t5/model/checkpoint.h"
#include "t5/objectives/special_ids.h"
#include "t5/text/vocabulary_trainer.h"
#include "t5/util/files.h"

namespace t5 {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kDefaultVocabularyDocuments = 20000;

// Copies a checkpoint's model files and the vocabulary into `out` as one
// model folder, replacing it whole.
void export_model(const fs::path& checkpoint, const fs::path& vocabulary_file,
                  const fs::path& out) {
  fs::path temporary = out.parent_path() / (".tmp-" + out.filename().string());
  fs::remove_all(temporary);
  fs::create_directories(temporary);
  for (const char* name : {"config.json", "model.safetensors"}) {
    fs::copy_file(checkpoint / name, temporary / name);
  }
  fs::copy_file(vocabulary_file, temporary / "spiece.model");
  fs::remove_all(out);
  fs::rename(temporary, out);
}

void write_run_config(const RunConfig& config, const fs::path& out) {
  fs::create_directories(out);
  write_text_atomically(out / "run_config.json", config.to_json().dump(2) + "\n");
}

// Rows per batch: batch_size, or batch_tokens over the row's length.
int64_t rows_per_batch(const StageSection& stage, int64_t row_length) {
  if (stage.batch_tokens <= 0) return stage.batch_size;
  return std::max<int64_t>(1, stage.batch_tokens / std::max<int64_t>(row_length, 1));
}

LoaderOptions loader_options(const StageSection& stage, const ModelConfig& model, uint64_t seed,
                             int64_t inputs_length, int64_t targets_length) {
  LoaderOptions options;
  options.split = stage.split;
  options.seed = seed;
  options.shuffle_buffer = stage.shuffle_buffer;
  options.epochs = stage.epochs;
  BatchingOptions& batching = options.batching;
  batching.layout = feature_layout_for(model.architecture);
  bool encoder_decoder = batching.layout == FeatureLayout::kEncoderDecoder;
  batching.inputs_length = inputs_length;
  batching.targets_length = encoder_decoder ? targets_length : inputs_length + targets_length;
  batching.batch_size =
      rows_per_batch(stage, encoder_decoder ? inputs_length : batching.targets_length);
  batching.pack = stage.pack;
  // Packed rows are full anyway; unpacked fine-tuning rows are mostly short.
  batching.pad_to = stage.pack ? PadTo::kFixed : PadTo::kLongest;
  batching.pad_id = model.pad_token_id;
  batching.decoder_start_id = model.decoder_start_token_id;
  return options;
}

// The longest feature lengths of a task or of a mixture's members.
FeatureLengths task_lengths(const RunContext& context, const std::string& name) {
  if (!context.mixtures.contains(name)) return context.tasks.get(name).spec().lengths;
  FeatureLengths lengths{0, 0};
  for (const auto& member : context.mixtures.get(name).task_names()) {
    const auto& spec = context.tasks.get(member).spec().lengths;
    lengths.inputs = std::max(lengths.inputs, spec.inputs);
    lengths.targets = std::max(lengths.targets, spec.targets);
  }
  return lengths;
}

void check_opens(const RunContext& context, const std::string& name, const std::string& split,
                 const std::string& where) {
  std::vector<std::string> members = {name};
  if (context.mixtures.contains(name)) {
    members = context.mixtures.get(name).task_names();
  } else {
    context.tasks.get(name);  // names the nearest tasks on a miss
  }
  for (const auto& member : members) {
    const Task& task = context.tasks.get(member);
    T5_CHECK(task.has_split(split), "{}: task '{}' has no split '{}' (it has: {})", where, member,
             split, fmt::join(task.splits(), ", "));
    Example example;
    bool has_example = false;
    try {
      has_example = task.read(split, context.data).next(example);
    } catch (const Error& e) {
      fail("{}: {}", where, e.what());
    }
    T5_CHECK(has_example, "{}: task '{}' split '{}' has no examples; check its files under {}",
             where, member, split, context.data.data_dir.string());
  }
}

std::unique_ptr<Objective> make_objective(const RunConfig& config, const RunContext& context,
                                          const SpecialIds& ids) {
  ObjectiveContext objective_context;
  objective_context.ids = ids;
  objective_context.lengths = {config.pretrain.inputs_length, config.pretrain.targets_length};
  objective_context.where = "pretrain.objective";
  return context.objectives.create(config.pretrain.objective, objective_context);
}

}  // namespace

RunContext::RunContext(const RunConfig& config, const Logger& logger) : logger(logger) {
  register_builtin_metrics(metrics);
  register_all_tasks(config.tasks_dir, metrics, tasks, mixtures);
  register_builtin_objectives(objectives);
  data.data_dir = resolve_data_dir(config.data_dir);
  data.logger = &logger;
}

fs::path model_folder(const fs::path& folder) {
  if (fs::exists(folder / "model" / "config.json")) return folder / "model";
  return folder;
}

void check_run(const RunConfig& config, const RunContext& context, const std::string& where) {
  if (config.vocabulary.trains()) {
    check_opens(context, config.vocabulary.train.at("corpus").get<std::string>(), "train",
                where + ": vocabulary.train.corpus");
  } else {
    prepare_vocabulary(config, context, {});
  }
  auto objective = make_objective(config, context, SpecialIds{});
  if (!objective->skips_pretraining()) {
    check_opens(context, config.pretrain.corpus, config.pretrain.split,
                where + ": pretrain.corpus");
  }
  for (const auto& task : config.finetune.tasks) {
    check_opens(context, task, config.finetune.split, where + ": finetune.tasks");
    for (const auto& scored : evaluation_tasks(context, task)) {
      check_opens(context, scored, config.eval.split, where + ": eval.split");
    }
  }
  for (const std::string& from : {config.model.from, config.finetune.from}) {
    if (from.empty()) continue;
    T5_CHECK(fs::exists(model_folder(from) / "config.json"),
             "{}: model folder '{}' has no config.json; give a folder written by `t5 pretrain`, "
             "`t5 finetune` or `t5 model init`, or a released Hugging Face T5 folder",
             where, from);
  }
}

fs::path prepare_vocabulary(const RunConfig& config, const RunContext& context,
                            const fs::path& trained_dir) {
  const VocabularySection& section = config.vocabulary;
  if (!section.trains()) {
    fs::path path = section.path;
    if (path.is_relative() && !fs::exists(path)) path = context.data.data_dir / path;
    T5_CHECK(fs::exists(path),
             "vocabulary.path: no file '{}' (looked for it as given and under the data folder "
             "{}); give a SentencePiece .model file",
             section.path, context.data.data_dir.string());
    return path;
  }
  fs::path model = trained_dir / "spiece.model";
  if (fs::exists(model)) return model;
  fs::create_directories(trained_dir);

  // One document per line, as SentencePiece reads sentences.
  const Json& train = section.train;
  std::string corpus = train.at("corpus").get<std::string>();
  int64_t max_documents = train.value("max_documents", kDefaultVocabularyDocuments);
  fs::path text_file = trained_dir / "corpus.txt";
  {
    std::ofstream out(text_file);
    ExampleReader reader = context.tasks.get(corpus).read("train", context.data);
    Example example;
    for (int64_t n = 0; n < max_documents && reader.next(example);) {
      std::string text = example.targets.empty() ? example.inputs : example.targets;
      std::replace(text.begin(), text.end(), '\n', ' ');
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      out << text << "\n";
      ++n;
    }
  }
  auto options = VocabularyTrainOptions({text_file.string()}, train.at("vocab_size").get<int>())
                     .model_type(train.value("model_type", std::string("unigram")))
                     .num_threads(config.threads);
  train_vocabulary(options, model);
  fs::remove(text_file);
  return model;
}

T5Model make_model(const RunConfig& config, const SentencePieceVocabulary& vocabulary,
                   const fs::path& from, uint64_t seed) {
  if (!from.empty()) {
    T5Model model = load_model(model_folder(from));
    T5_CHECK(model->config().vocab_size >= vocabulary.size(),
             "model {} has vocab_size {}, fewer than the {} ids of vocabulary {}; use the "
             "vocabulary it was trained with",
             from.string(), model->config().vocab_size, vocabulary.size(),
             vocabulary.path().string());
    return model;
  }
  Json json = ModelConfig::preset(config.model.preset).to_json();
  for (auto it = config.model.config.begin(); it != config.model.config.end(); ++it) {
    json[it.key()] = it.value();
  }
  json["vocab_size"] = embedding_size(vocabulary.size());
  T5Model model(ModelConfig::from_json(json, "model.config"));
  model->reset_parameters(seed);
  return model;
}

TrainResult run_pretraining(const RunConfig& config, const RunContext& context,
                            const fs::path& vocabulary_file, const fs::path& out) {
  write_run_config(config, out);
  SentencePieceVocabulary vocabulary(vocabulary_file, config.vocabulary.extra_ids);
  T5Model model = make_model(config, vocabulary, config.model.from, config.seed);
  auto objective = make_objective(config, context, special_ids_of(vocabulary));
  if (objective->skips_pretraining()) {
    context.logger.info("pretrain", "objective 'none': no pretraining; {} holds the fresh model",
                        (out / "model").string());
    fs::path temporary = out / ".fresh";
    fs::remove_all(temporary);
    save_model(*model, temporary);
    export_model(temporary, vocabulary_file, out / "model");
    fs::remove_all(temporary);
    return {};
  }

  const StageSection& stage = config.pretrain;
  int64_t targets_length = stage.targets_length;
  if (targets_length == 0) targets_length = objective->output_lengths().targets;
  if (targets_length == 0) targets_length = stage.inputs_length;
  Loader loader(
      context.tasks, context.mixtures, vocabulary, {stage.corpus, objective.get()},
      loader_options(stage, model->config(), config.seed, stage.inputs_length, targets_length),
      context.data);
  TrainResult result =
      train(*model, loader, stage.train, out, {}, config.to_json(), context.logger);
  if (!result.interrupted) export_model(result.last_checkpoint, vocabulary_file, out / "model");
  return result;
}

std::vector<std::string> evaluation_tasks(const RunContext& context, const std::string& name) {
  if (!context.mixtures.contains(name)) return {context.tasks.get(name).name()};
  std::vector<std::string> scored;
  for (const auto& member : context.mixtures.get(name).task_names()) {
    if (!context.tasks.get(member).spec().metrics.empty()) scored.push_back(member);
  }
  return scored;
}

TrainResult run_finetuning(const RunConfig& config, const RunContext& context,
                           const std::string& task, const fs::path& vocabulary_file,
                           const fs::path& init, const fs::path& out) {
  write_run_config(config, out);
  SentencePieceVocabulary vocabulary(vocabulary_file, config.vocabulary.extra_ids);
  T5Model model = make_model(config, vocabulary, init, config.seed);
  const StageSection& stage = config.finetune;
  FeatureLengths lengths = task_lengths(context, task);
  int64_t inputs_length = stage.inputs_length > 0 ? stage.inputs_length : lengths.inputs;
  int64_t targets_length = stage.targets_length > 0 ? stage.targets_length : lengths.targets;
  Loader loader(context.tasks, context.mixtures, vocabulary, {task, nullptr},
                loader_options(stage, model->config(), config.seed, inputs_length, targets_length),
                context.data);

  // Each evaluation scores every task; the best one's predictions are kept.
  std::vector<std::string> scored = evaluation_tasks(context, task);
  std::optional<double> best;
  TrainerHooks hooks;
  hooks.evaluate = [&](int64_t step) {
    std::vector<TaskScores> scores;
    std::vector<TaskEvaluation> evaluations;
    for (const auto& name : scored) {
      evaluations.push_back(evaluate_task(*model, vocabulary, context.tasks.get(name),
                                          context.metrics, context.data, config.eval,
                                          &context.logger));
      scores.push_back({name, evaluations.back().metrics});
    }
    auto score = selection_score(scores);
    if (score && (!best || *score > *best)) {
      best = score;
      for (const auto& evaluation : evaluations) {
        write_predictions(out / "predictions" / (evaluation.task + ".jsonl"), evaluation);
      }
    }
    return scores;
  };
  TrainResult result =
      train(*model, loader, stage.train, out, hooks, config.to_json(), context.logger);
  if (result.interrupted) return result;

  export_model(result.best_checkpoint, vocabulary_file, out / "model");
  Json metrics = Json::object();
  for (const auto& scores : result.best_scores) {
    for (const auto& [name, value] : scores.metrics) {
      metrics[scored.size() == 1 ? name : scores.task + "/" + name] = value;
    }
  }
  Json summary = {
      {"task", task},          {"step", result.best_step},        {"metrics", metrics},
      {"steps", result.steps}, {"final_loss", result.final_loss}, {"seconds", result.seconds}};
  write_text_atomically(out / "scores.json", summary.dump(2) + "\n");
  return result;
}

fs::path vocabulary_for_model(const RunConfig& config, const RunContext& context,
                              const fs::path& folder) {
  fs::path beside = model_folder(folder) / "spiece.model";
  if (fs::exists(beside)) return beside;
  return prepare_vocabulary(config, context, folder / "vocabulary");
}

std::vector<TaskEvaluation> run_evaluation(const RunConfig& config, const RunContext& context,
                                           const std::vector<std::string>& tasks,
                                           const fs::path& vocabulary_file,
                                           const fs::path& model_dir, const fs::path& out) {
  SentencePieceVocabulary vocabulary(vocabulary_file, config.vocabulary.extra_ids);
  T5Model model = load_model(model_folder(model_dir));
  std::vector<TaskEvaluation> evaluations;
  Json metrics = Json::object();
  for (const auto& name : tasks) {
    for (const auto& scored : evaluation_tasks(context, name)) {
      evaluations.push_back(evaluate_task(*model, vocabulary, context.tasks.get(scored),
                                          context.metrics, context.data, config.eval,
                                          &context.logger));
      metrics[scored] = evaluations.back().metrics;
      if (!out.empty()) {
        write_predictions(out / "predictions" / (scored + ".jsonl"), evaluations.back());
      }
    }
  }
  if (!out.empty()) {
    Json summary = {
        {"model", model_dir.string()}, {"split", config.eval.split}, {"tasks", metrics}};
    write_text_atomically(out / "metrics.json", summary.dump(2) + "\n");
  }
  return evaluations;
}

}  // namespace t5

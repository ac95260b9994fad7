// `t5 model info` and `t5 model init`.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>

#include "apps/commands.h"
#include "t5/model/checkpoint.h"
#include "t5/text/vocabulary.h"
#include "t5/util/error.h"
#include "t5/util/log.h"

namespace t5::apps {
namespace {

struct InfoOptions {
  std::string preset;
  std::string model;
  bool json = false;
};

struct InitOptions {
  std::string preset;
  std::string vocab;
  std::string out;
  uint64_t seed = 0;
  bool write_aliases = false;
};

std::string preset_list() {
  std::string list;
  for (const auto& name : ModelConfig::preset_names()) list += (list.empty() ? "" : ", ") + name;
  return list;
}

void run_info(const InfoOptions& options) {
  T5_CHECK(options.preset.empty() != options.model.empty(),
           "model info: give exactly one of --preset NAME or --model DIR");
  ModelConfig config = options.preset.empty()
                           ? ModelConfig::load(std::filesystem::path(options.model) / "config.json")
                           : ModelConfig::preset(options.preset);
  // Counted from the config: building t5-11b would take 44 GB.
  int64_t parameters = config.parameter_count();
  Json json = config.to_json();
  json["parameters"] = parameters;
  json["source"] = options.preset.empty() ? options.model : "preset:" + options.preset;
  if (options.json) {
    print_json_line(json.dump());
    return;
  }
  std::cout << fmt::format("{} ({})\n", json["source"].get<std::string>(),
                           architecture_name(config.architecture));
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (it.key() == "source" || it.key() == "architectures") continue;
    std::cout << fmt::format("  {:32} {}\n", it.key(), it.value().dump());
  }
}

void run_init(const InitOptions& options) {
  auto config = ModelConfig::preset(options.preset);
  std::optional<SentencePieceVocabulary> vocab;
  if (!options.vocab.empty()) {
    vocab.emplace(options.vocab);
    config.vocab_size = embedding_size(vocab->size());
  }
  T5Model model(config);
  model->reset_parameters(options.seed);
  SaveOptions save;
  save.write_aliases = options.write_aliases;
  save_model(*model, options.out, save);
  if (vocab) {
    // The folder then holds all that `t5 generate --text` needs.
    std::filesystem::copy_file(options.vocab, std::filesystem::path(options.out) / "spiece.model",
                               std::filesystem::copy_options::overwrite_existing);
  }
  default_logger().info("model", "wrote {} ({} parameters, seed {}) to {}", options.preset,
                        model->parameter_count(), options.seed, options.out);
}

}  // namespace

void add_model_command(CLI::App& app) {
  auto* model = app.add_subcommand("model", "Inspect model configurations and create models");
  model->require_subcommand(1);

  auto info_options = std::make_shared<InfoOptions>();
  auto* info = model->add_subcommand("info", "Print a model's config and parameter count");
  info->add_option("--preset", info_options->preset, "a preset: " + preset_list());
  info->add_option("--model", info_options->model, "a model folder holding config.json");
  info->add_flag("--json", info_options->json, "one JSON object (with a \"parameters\" field)");
  info->callback([info_options]() { run_info(*info_options); });

  auto init_options = std::make_shared<InitOptions>();
  auto* init = model->add_subcommand(
      "init", "Save a randomly initialised model (config.json + model.safetensors)");
  init->add_option("--preset", init_options->preset, "a preset: " + preset_list())->required();
  init->add_option("--out", init_options->out, "output folder")->required();
  init->add_option("--seed", init_options->seed, "initialisation seed (default 0)");
  init->add_option("--vocab", init_options->vocab,
                   "SentencePiece model: sizes the embedding to it and is copied into the folder");
  init->add_flag("--write-aliases", init_options->write_aliases,
                 "also store tied aliases (encoder/decoder.embed_tokens, lm_head) as copies");
  init->callback([init_options]() { run_init(*init_options); });
}

}  // namespace t5::apps

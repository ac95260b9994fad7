#include "t5/model/checkpoint.h"

#include <catch2/catch.hpp>

#include "t5/model/safetensors.h"
#include "t5/util/error.h"
#include "t5/util/files.h"
#include "tests/model/fixtures.h"
#include "tests/support/temp_folder.h"

namespace {

using Catch::Matchers::Contains;

t5::ModelConfig small_config(bool tied) {
  t5::ModelConfig config;
  config.vocab_size = 40;
  config.d_model = 8;
  config.d_kv = 4;
  config.d_ff = 16;
  config.num_heads = 2;
  config.num_layers = 2;
  config.num_decoder_layers = 3;
  config.feed_forward_proj = tied ? "relu" : "gated-gelu";
  config.tie_word_embeddings = tied;
  return config;
}

// Rewrites a saved model.safetensors through `edit` (names and tensors).
void rewrite(const std::filesystem::path& file,
             const std::function<void(std::vector<std::pair<std::string, torch::Tensor>>&)>& edit) {
  auto contents = t5::read_safetensors(file);
  edit(contents.tensors);
  t5::write_safetensors(file, contents.tensors);
}

}  // namespace

TEST_CASE("a saved model loads back bitwise, with or without alias keys", "[model]") {
  for (bool tied : {true, false}) {
    for (bool aliases : {true, false}) {
      INFO("tied " << tied << " aliases " << aliases);
      t5::T5Model model(small_config(tied));
      model->reset_parameters(9);
      t5::testing::TempFolder temp("t5-ckpt");
      const auto& folder = temp.path();
      t5::SaveOptions options;
      options.write_aliases = aliases;
      t5::save_model(*model, folder, options);

      auto stored = t5::read_safetensors(folder / "model.safetensors");
      size_t expected_keys = model->unique_named_parameters().size() +
                             (aliases ? model->parameter_aliases().size() : 0);
      CHECK(stored.tensors.size() == expected_keys);

      auto loaded = t5::load_model(folder);
      auto original = model->unique_named_parameters();
      auto reloaded = loaded->unique_named_parameters();
      REQUIRE(original.size() == reloaded.size());
      for (size_t i = 0; i < original.size(); ++i) {
        CHECK(original[i].first == reloaded[i].first);
        CHECK(torch::equal(original[i].second, reloaded[i].second));
      }
      CHECK(loaded->config().to_json() == model->config().to_json());
    }
  }
}

TEST_CASE("loading rejects missing, unexpected and misshapen tensors by name", "[model]") {
  t5::T5Model model(small_config(true));
  t5::testing::TempFolder temp("t5-ckpt-bad");
  const auto& folder = temp.path();
  t5::save_model(*model, folder);
  auto file = folder / "model.safetensors";

  SECTION("a missing key") {
    rewrite(file, [](auto& tensors) {
      tensors.erase(std::remove_if(
                        tensors.begin(), tensors.end(),
                        [](const auto& t) { return t.first == "decoder.final_layer_norm.weight"; }),
                    tensors.end());
    });
    CHECK_THROWS_WITH(t5::load_model(folder),
                      Contains("missing") && Contains("decoder.final_layer_norm.weight"));
  }
  SECTION("an unexpected key names the nearest known one") {
    rewrite(file, [](auto& tensors) {
      tensors.emplace_back("encoder.block.0.layer.0.SelfAttention.qq.weight", torch::zeros({2}));
    });
    CHECK_THROWS_WITH(t5::load_model(folder),
                      Contains("unexpected tensor 'encoder.block.0.layer.0.SelfAttention.qq") &&
                          Contains("did you mean"));
  }
  SECTION("a shape that differs from the config") {
    rewrite(file, [](auto& tensors) {
      for (auto& [name, tensor] : tensors) {
        if (name == "shared.weight") tensor = torch::zeros({41, 8});
      }
    });
    CHECK_THROWS_WITH(t5::load_model(folder),
                      Contains("'shared.weight' has shape [41, 8]") && Contains("[40, 8]"));
  }
  SECTION("an integer tensor where floats belong") {
    rewrite(file, [](auto& tensors) {
      for (auto& [name, tensor] : tensors) {
        if (name == "shared.weight") tensor = torch::zeros({40, 8}, torch::kLong);
      }
    });
    CHECK_THROWS_WITH(t5::load_model(folder), Contains("expected a floating type"));
  }
  SECTION("a folder without weights") {
    std::filesystem::remove(file);
    CHECK_THROWS_WITH(t5::load_model(folder), Contains("no model.safetensors"));
  }
  SECTION("a config with an unknown field") {
    t5::write_text_atomically(folder / "config.json", R"({"d_model": 8, "d_modle": 3})");
    CHECK_THROWS_WITH(t5::load_model(folder),
                      Contains("unknown key 'd_modle'") && Contains("did you mean 'd_model'"));
  }
  SECTION("a config with a bad value") {
    t5::write_text_atomically(folder / "config.json", R"({"num_heads": 0})");
    CHECK_THROWS_WITH(t5::load_model(folder), Contains("'num_heads' must be a positive integer"));
  }
}

TEST_CASE("a released Hugging Face config.json reads with its bookkeeping fields", "[model]") {
  auto folders = t5::testing::parity_fixture_folders();
  if (folders.empty()) {
    WARN("no fixtures; skipped");
    return;
  }
  for (const auto& folder : folders) {
    auto config = t5::ModelConfig::load(folder / "config.json");
    auto raw = t5::read_json_file((folder / "config.json").string());
    CHECK(config.d_model == raw.at("d_model").get<int64_t>());
    CHECK(config.tie_word_embeddings == raw.at("tie_word_embeddings").get<bool>());
    CHECK(config.architecture == t5::Architecture::kEncoderDecoder);
  }
}

TEST_CASE("an unknown preset names the nearest presets", "[model]") {
  CHECK_THROWS_WITH(t5::ModelConfig::preset("t5-smal"), Contains("did you mean 't5-small'"));
}

#include "t5/model/checkpoint.h"

#include <torch/torch.h>

#include <set>
#include <unordered_map>

#include "t5/model/safetensors.h"
#include "t5/util/error.h"
#include "t5/util/log.h"
#include "t5/util/names.h"

namespace t5 {
namespace {

// Keys that old released checkpoints carry and that the model never reads:
// transformers drops them on load too.
bool is_ignored_legacy_key(const std::string& name) {
  return name == "decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight";
}

std::string shape_string(const torch::Tensor& tensor) { return c10::str(tensor.sizes()); }

}  // namespace

void save_model(const T5ModelImpl& model, const std::filesystem::path& folder,
                const SaveOptions& options) {
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  std::unordered_map<std::string, torch::Tensor> by_name;
  for (const auto& [name, parameter] : model.unique_named_parameters()) {
    auto value = parameter.detach();
    tensors.emplace_back(name, value);
    by_name.emplace(name, value);
  }
  if (options.write_aliases) {
    for (const auto& [alias, canonical] : model.parameter_aliases()) {
      tensors.emplace_back(alias, by_name.at(canonical));
    }
  }
  write_safetensors(folder / "model.safetensors", tensors);
  model.config().save(folder / "config.json");
}

void load_parameters(T5ModelImpl& model, const std::filesystem::path& safetensors_file) {
  auto contents = read_safetensors(safetensors_file);
  const std::string file = safetensors_file.string();

  std::unordered_map<std::string, torch::Tensor> parameters;
  std::vector<std::string> known;
  for (const auto& [name, parameter] : model.unique_named_parameters()) {
    parameters.emplace(name, parameter);
    known.push_back(name);
  }
  std::unordered_map<std::string, std::string> aliases;
  for (const auto& [alias, canonical] : model.parameter_aliases()) {
    aliases.emplace(alias, canonical);
    known.push_back(alias);
  }

  // Every stored tensor must be a parameter or an alias of one, with the
  // shape the config implies.
  std::set<std::string> loaded;
  torch::NoGradGuard no_grad;
  for (const auto& [name, tensor] : contents.tensors) {
    if (is_ignored_legacy_key(name)) continue;
    bool is_alias = aliases.count(name) > 0;
    const std::string& target = is_alias ? aliases.at(name) : name;
    auto it = parameters.find(target);
    T5_CHECK(it != parameters.end(),
             "{}: unexpected tensor '{}'{}; the file does not match config.json (wrong "
             "architecture or layer count?)",
             file, name, did_you_mean(name, known));
    torch::Tensor& parameter = it->second;
    T5_CHECK(tensor.sizes() == parameter.sizes(),
             "{}: tensor '{}' has shape {}, but config.json implies {}; is config.json the one "
             "saved with these weights?",
             file, name, shape_string(tensor), shape_string(parameter));
    T5_CHECK(tensor.is_floating_point(), "{}: tensor '{}' has dtype {}, expected a floating type",
             file, name, c10::toString(tensor.scalar_type()));
    // An alias only re-ties: the canonical tensor, when present, wins.
    if (is_alias && contents.find(target).defined()) continue;
    parameter.copy_(tensor.to(parameter.scalar_type()));
    loaded.insert(target);
  }

  std::vector<std::string> missing;
  for (const auto& name : known) {
    if (parameters.count(name) && !loaded.count(name)) missing.push_back(name);
  }
  if (!missing.empty()) {
    fail(
        "{}: {} parameter(s) missing, first '{}'; the file is truncated or belongs to another "
        "model",
        file, missing.size(), missing.front());
  }
}

T5Model load_model(const std::filesystem::path& folder) {
  auto config_path = folder / "config.json";
  auto weights_path = folder / "model.safetensors";
  T5_CHECK(std::filesystem::exists(config_path),
           "{}: no config.json; expected a model folder (config.json + model.safetensors)",
           folder.string());
  if (!std::filesystem::exists(weights_path)) {
    bool has_bin = std::filesystem::exists(folder / "pytorch_model.bin");
    fail("{}: no model.safetensors{}", folder.string(),
         has_bin ? "; only pytorch_model.bin is there: convert it to safetensors first"
                 : "; expected a model folder (config.json + model.safetensors)");
  }
  T5Model model(ModelConfig::load(config_path));
  load_parameters(*model, weights_path);
  model->eval();
  return model;
}

}  // namespace t5

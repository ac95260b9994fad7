#pragma once

#include <filesystem>

#include "t5/model/t5_model.h"

namespace t5 {

struct SaveOptions {
  /// Also write the aliases of shared tensors (encoder.embed_tokens.weight,
  /// decoder.embed_tokens.weight, lm_head.weight when tied, shared sublayers)
  /// as copies, as transformers' full state dict has them. Off: the keys
  /// transformers' own safetensors export keeps.
  bool write_aliases = false;
};

// Writes config.json and model.safetensors (Hugging Face names, float32 or
// the parameters' dtype) into `folder`, each atomically.
void save_model(const T5ModelImpl& model, const std::filesystem::path& folder,
                const SaveOptions& options = {});

// Copies the tensors of a safetensors file into the model's parameters.
// Canonical names are required; alias names may be present or absent (they
// are re-tied: the model holds one tensor for all of them). Throws t5::Error
// naming the file and key for a missing key, an unexpected key (with the
// nearest known name), or a shape that differs from the config. Floating
// tensors of another dtype are converted to the parameter's dtype.
void load_parameters(T5ModelImpl& model, const std::filesystem::path& safetensors_file);

// Builds a model from a folder holding config.json and model.safetensors
// (a released Hugging Face T5 folder loads as it is). The model is in eval
// mode on the CPU.
T5Model load_model(const std::filesystem::path& folder);

}  // namespace t5

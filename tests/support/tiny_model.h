#pragma once

#include "t5/model/t5_model.h"

namespace t5::testing {

// A model small enough to run in milliseconds: vocabulary 64, d_model 16,
// 2 heads of 4, d_ff 32, 2 + 2 blocks, no dropout.
inline ModelConfig tiny_model_config(Architecture architecture = Architecture::kEncoderDecoder) {
  ModelConfig config;
  config.vocab_size = 64;
  config.d_model = 16;
  config.d_kv = 4;
  config.d_ff = 32;
  config.num_heads = 2;
  config.num_layers = 2;
  config.num_decoder_layers = 2;
  config.dropout_rate = 0.0;
  config.architecture = architecture;
  return config;
}

// The tiny model with seeded reference initialisation, in eval mode.
inline T5Model tiny_model(Architecture architecture, uint64_t seed) {
  T5Model model(tiny_model_config(architecture));
  model->reset_parameters(seed);
  model->eval();
  return model;
}

}  // namespace t5::testing

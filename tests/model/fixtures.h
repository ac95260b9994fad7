#pragma once

// Helpers for tests that read the reference fixtures (../shared/fixtures,
// format in its README): where they are, and JSON tensors as torch tensors.

#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <vector>

#include "t5/util/json.h"

namespace t5::testing {

// T5_PARITY_FIXTURES, else ../shared/fixtures/hf_t5 beside the source tree.
std::filesystem::path parity_fixture_root();

// Every folder under the root that holds a config.json, sorted.
std::vector<std::filesystem::path> parity_fixture_folders();

// {"dtype", "shape", "data"} -> tensor (float32, float64 or int64).
torch::Tensor tensor_from_json(const Json& json);

// Largest absolute difference where `mask` ([batch, len], nonzero = compare)
// is set; a, b: [batch, len, ...].
double max_abs_diff_masked(const torch::Tensor& a, const torch::Tensor& b,
                           const torch::Tensor& mask);

}  // namespace t5::testing

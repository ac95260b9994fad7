#include "tests/model/fixtures.h"

#include <algorithm>
#include <cstdlib>

namespace t5::testing {
namespace {

void flatten(const Json& data, std::vector<double>& out) {
  if (data.is_array()) {
    for (const auto& item : data) flatten(item, out);
  } else {
    out.push_back(data.get<double>());
  }
}

}  // namespace

std::filesystem::path parity_fixture_root() {
  if (const char* env = std::getenv("T5_PARITY_FIXTURES"); env != nullptr && *env != '\0') {
    return env;
  }
  return std::filesystem::path(T5_SOURCE_DIR) / ".." / "shared" / "fixtures" / "hf_t5";
}

std::vector<std::filesystem::path> parity_fixture_folders() {
  std::vector<std::filesystem::path> folders;
  auto root = parity_fixture_root();
  if (!std::filesystem::is_directory(root)) return folders;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "config.json")) {
      folders.push_back(entry.path());
    }
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

torch::Tensor tensor_from_json(const Json& json) {
  std::vector<int64_t> shape = json.at("shape").get<std::vector<int64_t>>();
  std::vector<double> values;
  flatten(json.at("data"), values);
  auto tensor = torch::tensor(values, torch::kFloat64).view(shape);
  std::string dtype = json.at("dtype").get<std::string>();
  if (dtype == "int64") return tensor.to(torch::kLong);
  if (dtype == "float32") return tensor.to(torch::kFloat32);
  return tensor;
}

double max_abs_diff_masked(const torch::Tensor& a, const torch::Tensor& b,
                           const torch::Tensor& mask) {
  auto diff = (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs();
  while (diff.dim() > 2) diff = std::get<0>(diff.max(-1));
  auto selected = diff.masked_select(mask != 0);
  return selected.numel() == 0 ? 0.0 : selected.max().item<double>();
}

}  // namespace t5::testing

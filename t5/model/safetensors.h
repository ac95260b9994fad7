#pragma once

#include <torch/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace t5 {

// The contents of one safetensors file: tensors in file order (CPU,
// contiguous, the stored dtype) and the "__metadata__" string map. File
// order is the order of the tensors' data offsets, which is also the header's
// key order in files that Hugging Face or write_safetensors write; empty
// tensors that share an offset keep their header order.
struct SafetensorsContents {
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  std::map<std::string, std::string> metadata;

  // The tensor stored under `name`, or an undefined tensor.
  torch::Tensor find(const std::string& name) const;
};

// Reads a safetensors file (8-byte little-endian header length, JSON header,
// raw little-endian data). Supported dtypes: F64, F32, F16, BF16, I64, I32,
// I16, I8, U8, BOOL. Throws t5::Error naming the file and the fault for a
// truncated file, a header length past the end of the file, a malformed
// header, an unknown dtype, data offsets out of range, overlapping or not
// matching the shape, and duplicate names. Never allocates more than the
// file's size: the header is checked against the file before it is read, and
// every entry before any tensor is allocated; each tensor is then read
// straight into its own storage. Accepted, although the reference reader
// refuses them, because no tensor's bytes are in doubt: trailing bytes after
// the data and unused bytes between tensors. Unknown fields in an entry are
// ignored, as the reference reader ignores them.
SafetensorsContents read_safetensors(const std::filesystem::path& path);

// Writes tensors (any device; copied to CPU, made contiguous) in the given
// order, atomically. Names must be unique. `metadata` defaults to
// {"format": "pt"}, as Hugging Face writes.
void write_safetensors(const std::filesystem::path& path,
                       const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                       const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

}  // namespace t5

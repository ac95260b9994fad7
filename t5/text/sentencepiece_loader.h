#pragma once

#include <filesystem>
#include <vector>

#include "t5/text/sentencepiece_backend.h"

namespace t5 {

// The environment variable that names the SentencePiece shim library
// explicitly (a path to libt5_sentencepiece.so).
inline constexpr const char* kSentencePieceShimVariable = "T5_SENTENCEPIECE_SHIM";

// Where the shim is looked for, in order: $T5_SENTENCEPIECE_SHIM alone when
// it is set; else beside the running executable, in ../lib from it, and in
// the build's library folder recorded at compile time.
std::vector<std::filesystem::path> sentencepiece_shim_candidates();

// The first candidate that exists. Throws t5::Error listing the places
// searched when none does, or when $T5_SENTENCEPIECE_SHIM names a missing
// file.
std::filesystem::path find_sentencepiece_shim();

// Opens the shim at `path` (RTLD_LOCAL | RTLD_DEEPBIND, see the shim's
// source for why) and returns its backend. The library stays loaded for the
// life of the process. Throws t5::Error when it cannot be opened, lacks the
// factory, or was built for another version of the boundary.
const SentencePieceBackend& open_sentencepiece_backend(const std::filesystem::path& path);

// The process-wide backend, opened on first use from find_sentencepiece_shim().
const SentencePieceBackend& sentencepiece_backend();

}  // namespace t5

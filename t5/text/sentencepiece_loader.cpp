#include "t5/text/sentencepiece_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <string>
#include <system_error>

#include "t5/util/error.h"

namespace t5 {
namespace {

namespace fs = std::filesystem;

// The folder of the running executable, or empty when /proc is unavailable.
fs::path executable_folder() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

std::string join_paths(const std::vector<fs::path>& paths) {
  std::string joined;
  for (const auto& path : paths) joined += (joined.empty() ? "" : ", ") + path.string();
  return joined;
}

}  // namespace

std::vector<fs::path> sentencepiece_shim_candidates() {
  const char* explicit_path = std::getenv(kSentencePieceShimVariable);
  if (explicit_path != nullptr && *explicit_path != '\0') return {fs::path(explicit_path)};

  std::vector<fs::path> candidates;
  fs::path folder = executable_folder();
  if (!folder.empty()) {
    candidates.push_back(folder / T5_SENTENCEPIECE_SHIM_NAME);
    candidates.push_back((folder / ".." / "lib" / T5_SENTENCEPIECE_SHIM_NAME).lexically_normal());
  }
  candidates.push_back(fs::path(T5_SENTENCEPIECE_SHIM_BUILD_PATH));
  return candidates;
}

fs::path find_sentencepiece_shim() {
  std::vector<fs::path> candidates = sentencepiece_shim_candidates();
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  const char* explicit_path = std::getenv(kSentencePieceShimVariable);
  if (explicit_path != nullptr && *explicit_path != '\0') {
    fail("{}={}: no such file; point it at {} (the build puts it in build/lib) or unset it",
         kSentencePieceShimVariable, explicit_path, T5_SENTENCEPIECE_SHIM_NAME);
  }
  fail(
      "the SentencePiece shim {} was not found (looked in: {}); build it with `cmake --build "
      "build --target t5_sentencepiece`, or set {} to its path",
      T5_SENTENCEPIECE_SHIM_NAME, join_paths(candidates), kSentencePieceShimVariable);
}

const SentencePieceBackend& open_sentencepiece_backend(const fs::path& path) {
  // Never closed: models made by the shim live as long as their owners, and
  // the library must outlive them.
  void* library = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
  if (library == nullptr) {
    fail(
        "cannot load the SentencePiece shim {}: {}; is libsentencepiece0 installed "
        "(scripts/setup.sh)?",
        path.string(), ::dlerror());
  }
  auto factory =
      reinterpret_cast<SentencePieceBackendFactory>(::dlsym(library, kSentencePieceShimFactory));
  T5_CHECK(factory != nullptr, "{} is not the SentencePiece shim: it has no symbol {}",
           path.string(), kSentencePieceShimFactory);
  SentencePieceBackend* backend = factory(kSentencePieceShimAbiVersion);
  T5_CHECK(backend != nullptr,
           "{} was built for another version of t5 (expected shim interface version {}); "
           "rebuild it with `cmake --build build --target t5_sentencepiece`",
           path.string(), kSentencePieceShimAbiVersion);
  return *backend;
}

const SentencePieceBackend& sentencepiece_backend() {
  static const SentencePieceBackend& backend =
      open_sentencepiece_backend(find_sentencepiece_shim());
  return backend;
}

}  // namespace t5

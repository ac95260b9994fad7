#include "t5/text/sentencepiece_loader.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <string>

#include "t5/util/error.h"
#include "tests/support/scoped_env.h"

using t5::testing::ScopedEnv;

TEST_CASE("the SentencePiece shim is found in the build without any setting", "[text]") {
  ScopedEnv unset(t5::kSentencePieceShimVariable, "");
  auto candidates = t5::sentencepiece_shim_candidates();
  REQUIRE(candidates.size() == 3);
  CHECK(candidates.front().filename() == candidates.back().filename());

  auto found = t5::find_sentencepiece_shim();
  CHECK(std::filesystem::is_regular_file(found));
  CHECK_NOTHROW(t5::open_sentencepiece_backend(found));
}

TEST_CASE("the SentencePiece shim search honours T5_SENTENCEPIECE_SHIM and says how to fix it",
          "[text]") {
  ScopedEnv missing(t5::kSentencePieceShimVariable, "/nonexistent/libt5_sentencepiece.so");
  auto candidates = t5::sentencepiece_shim_candidates();
  REQUIRE(candidates.size() == 1);
  CHECK(candidates.front() == "/nonexistent/libt5_sentencepiece.so");
  CHECK_THROWS_WITH(t5::find_sentencepiece_shim(),
                    Catch::Contains("T5_SENTENCEPIECE_SHIM=/nonexistent/libt5_sentencepiece.so") &&
                        Catch::Contains("no such file"));
}

TEST_CASE("opening a library that is not the SentencePiece shim fails with its path", "[text]") {
  CHECK_THROWS_WITH(t5::open_sentencepiece_backend("/nonexistent/libt5_sentencepiece.so"),
                    Catch::Contains("cannot load the SentencePiece shim /nonexistent/"));
  // libm is in every process and has no factory.
  CHECK_THROWS_WITH(t5::open_sentencepiece_backend("libm.so.6"),
                    Catch::Contains("is not the SentencePiece shim"));
}

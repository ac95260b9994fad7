#include "t5/text/vocabulary.h"

#include <torch/torch.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "t5/util/error.h"

namespace {

namespace fs = std::filesystem;

using Ids = std::vector<int>;

// T5's spiece.model under $T5_DATA_DIR, or nothing (with a visible warning)
// when the variable is unset.
std::optional<fs::path> t5_vocabulary_file() {
  const char* data_dir = std::getenv("T5_DATA_DIR");
  if (data_dir == nullptr) {
    WARN("T5_DATA_DIR is unset: skipping this test of T5's own vocabulary");
    return std::nullopt;
  }
  fs::path path = fs::path(data_dir) / "t5" / "spiece.model";
  INFO("T5_DATA_DIR is set, so " << path << " must exist");
  REQUIRE(fs::is_regular_file(path));
  return path;
}

// One load per test process; every test here reads the same file.
const t5::SentencePieceVocabulary& t5_vocabulary(const fs::path& path) {
  static const t5::SentencePieceVocabulary vocab(path);
  return vocab;
}

}  // namespace

TEST_CASE("embedding size rounds the vocabulary size up to a multiple of 128", "[text]") {
  // Hand computed: 32100 = 250 * 128 + 100, so 251 * 128 = 32128 (T5's).
  CHECK(t5::embedding_size(32100) == 32128);
  CHECK(t5::embedding_size(32128) == 32128);
  CHECK(t5::embedding_size(1) == 128);
  CHECK(t5::embedding_size(100, 64) == 128);
  CHECK_THROWS_AS(t5::embedding_size(-1), t5::Error);
}

TEST_CASE("T5's vocabulary has 32000 pieces and 100 sentinels counted down from 32099", "[text]") {
  auto path = t5_vocabulary_file();
  if (!path) return;
  const auto& vocab = t5_vocabulary(*path);

  // REFERENCE.md (Text): PAD 0, EOS 1, UNK 2; <extra_id_i> = 32099 - i.
  CHECK(vocab.base_size() == 32000);
  CHECK(vocab.size() == 32100);
  CHECK(vocab.pad_id() == 0);
  CHECK(vocab.eos_id() == 1);
  CHECK(vocab.unk_id() == 2);
  CHECK(vocab.sentinel_id(0) == 32099);
  CHECK(vocab.sentinel_id(1) == 32098);
  CHECK(vocab.sentinel_id(99) == 32000);
  CHECK(vocab.id_to_piece(32099) == "\u2581<extra_id_0>");
  CHECK(vocab.is_sentinel(32000));
  CHECK_FALSE(vocab.is_sentinel(31999));
  CHECK_FALSE(vocab.is_sentinel(32100));
  CHECK_THROWS_AS(vocab.sentinel_id(100), t5::Error);
}

TEST_CASE("T5's vocabulary encodes the Hugging Face documentation examples to their ids",
          "[text]") {
  auto path = t5_vocabulary_file();
  if (!path) return;
  const auto& vocab = t5_vocabulary(*path);

  // Sentences and ids of the usage examples in the Hugging Face Transformers
  // documentation of T5 (model_doc/t5), EOS (1) included.
  CHECK(vocab.encode("The <extra_id_0> walks in <extra_id_1> park", t5::Eos::kAppend) ==
        Ids{37, 32099, 10681, 16, 32098, 2447, 1});
  CHECK(
      vocab.encode("Studies have been shown that owning a dog is good for you", t5::Eos::kAppend) ==
      Ids{6536, 43, 118, 2008, 24, 293, 53, 3, 9, 1782, 19, 207, 21, 25, 1});
  CHECK(vocab.encode("translate English to German: The house is wonderful.", t5::Eos::kAppend) ==
        Ids{13959, 1566, 12, 2968, 10, 37, 629, 19, 1627, 5, 1});

  // Without EOS, the same ids less the final 1.
  CHECK(vocab.encode("The <extra_id_0> walks in <extra_id_1> park") ==
        Ids{37, 32099, 10681, 16, 32098, 2447});
}

TEST_CASE("T5's vocabulary encodes text right after a sentinel without a word boundary", "[text]") {
  auto path = t5_vocabulary_file();
  if (!path) return;
  const auto& vocab = t5_vocabulary(*path);

  // The sentinel piece carries the boundary before it, so nothing is left
  // over for a lone "▁" (id 3) after it.
  t5::SentencePieceEncoding encoding = vocab.encode_pieces("<extra_id_0>walks");
  REQUIRE(encoding.ids.size() >= 2);
  CHECK(encoding.ids.front() == 32099);
  std::string rest;
  for (size_t i = 1; i < encoding.ids.size(); ++i) {
    CHECK(encoding.ids[i] != 3);
    rest += encoding.pieces[i];
  }
  CHECK(rest == "walks");
  CHECK(vocab.decode(encoding.ids) == "<extra_id_0>walks");

  SECTION("a space after the sentinel starts the next word as usual") {
    // "▁walks" is 10681, as in the documentation example above.
    CHECK(vocab.encode("<extra_id_0> walks") == Ids{32099, 10681});
  }
  SECTION("a sentinel glued to the word before it is spelled out, as in T5") {
    // The documented limitation of SentencePieceVocabulary; 1782 is "▁dog"
    // (from the documentation example above).
    Ids ids = vocab.encode("dog<extra_id_0>");
    CHECK(ids.front() == 1782);
    CHECK(std::count(ids.begin(), ids.end(), 32099) == 0);
    CHECK(vocab.encode("dog <extra_id_0>") == Ids{1782, 32099});
  }
}

TEST_CASE("T5's vocabulary maps characters it lacks to UNK", "[text]") {
  auto path = t5_vocabulary_file();
  if (!path) return;
  const auto& vocab = t5_vocabulary(*path);

  // T5's vocabulary has no '{' and no byte fallback (REFERENCE.md, Text).
  Ids ids = vocab.encode("{");
  CHECK(std::count(ids.begin(), ids.end(), vocab.unk_id()) == 1);
  t5::SentencePieceEncoding encoding = vocab.encode_pieces("a { b");
  auto unk = std::find(encoding.ids.begin(), encoding.ids.end(), vocab.unk_id());
  REQUIRE(unk != encoding.ids.end());
  CHECK(encoding.pieces[unk - encoding.ids.begin()] == "{");
}

TEST_CASE("T5's vocabulary collapses runs of whitespace", "[text]") {
  auto path = t5_vocabulary_file();
  if (!path) return;
  const auto& vocab = t5_vocabulary(*path);

  Ids single = vocab.encode("The house is wonderful.");
  CHECK(vocab.encode("The   house  is\twonderful.") == single);
  CHECK(vocab.encode("  The house is wonderful.  ") == single);
  CHECK(vocab.encode("The  <extra_id_0>  walks") == vocab.encode("The <extra_id_0> walks"));
}

TEST_CASE("T5's vocabulary decodes what it encodes", "[text]") {
  auto path = t5_vocabulary_file();
  if (!path) return;
  const auto& vocab = t5_vocabulary(*path);

  for (std::string text : {"translate English to German: The house is wonderful.",
                           "The <extra_id_0> walks in <extra_id_1> park",
                           "<extra_id_0> cute dog <extra_id_1> the <extra_id_2>",
                           "cola sentence: Numbers like 3.14 and 2,000 survive."}) {
    INFO(text);
    CHECK(vocab.decode(vocab.encode(text, t5::Eos::kAppend)) == text);
  }
}

TEST_CASE("T5's vocabulary stops decoding at the first EOS", "[text]") {
  auto path = t5_vocabulary_file();
  if (!path) return;
  const auto& vocab = t5_vocabulary(*path);

  // 37 "▁The", 629 "▁house" (from the documentation example above).
  CHECK(vocab.decode({37, 629, 1, 19, 1627}) == "The house");
  CHECK(vocab.decode({1, 37}).empty());
}

TEST_CASE("T5's vocabulary decodes ids outside its range as UNK", "[text]") {
  auto path = t5_vocabulary_file();
  if (!path) return;
  const auto& vocab = t5_vocabulary(*path);

  // 32100 is the first id past the sentinels: a padding row of the
  // embedding (32128 rows), never a token.
  std::string as_unk = vocab.decode({37, 2, 629});
  CHECK(vocab.decode({37, 32100, 629}) == as_unk);
  CHECK(vocab.decode({37, 32127, 629}) == as_unk);
  CHECK(vocab.decode({37, -5, 629}) == as_unk);
  CHECK(vocab.decode({37, 32099, 629}) == "The <extra_id_0> house");
}

TEST_CASE("T5's vocabulary works in a process that also runs LibTorch", "[text]") {
  auto path = t5_vocabulary_file();
  if (!path) return;

  // Loading SentencePiece beside LibTorch's protobuf used to crash at
  // start-up; the shim keeps the two apart (t5/text/sentencepiece_shim/).
  torch::Tensor before = torch::ones({2, 3});
  const auto& vocab = t5_vocabulary(*path);
  Ids ids = vocab.encode("The house is wonderful.", t5::Eos::kAppend);
  torch::Tensor tensor = torch::tensor(ids, torch::kLong);
  CHECK(tensor.size(0) == static_cast<int64_t>(ids.size()));
  CHECK(tensor[-1].item<int64_t>() == vocab.eos_id());
  CHECK(before.sum().item<float>() == 6.0f);
}

TEST_CASE("a vocabulary fails clearly for a missing file or one that is not a model", "[text]") {
  fs::path folder = fs::temp_directory_path() / "t5_vocabulary_test_bad_files";
  fs::create_directories(folder);
  fs::path text_file = folder / "not_a_model.model";
  {
    std::ofstream out(text_file);
    out << "this is not a SentencePiece model\n";
  }

  CHECK_THROWS_WITH(t5::SentencePieceVocabulary(folder / "missing.model"),
                    Catch::Contains("missing.model: no such file"));
  CHECK_THROWS_WITH(t5::SentencePieceVocabulary(text_file),
                    Catch::Contains("not a usable SentencePiece model"));
  fs::remove_all(folder);
}

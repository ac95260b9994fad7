#include "t5/text/vocabulary_trainer.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "t5/text/vocabulary.h"
#include "t5/util/error.h"
#include "t5/util/files.h"
#include "t5/util/log.h"
#include "tests/support/temp_folder.h"
#include "tests/support/tiny_corpus.h"

namespace {

using Ids = std::vector<int>;

t5::VocabularyTrainOptions tiny_options(const t5::testing::TempFolder& folder, int vocab_size) {
  std::string corpus = (folder / "corpus.txt").string();
  t5::testing::write_tiny_corpus(corpus);
  return t5::VocabularyTrainOptions({corpus}, vocab_size).num_threads(1);
}

}  // namespace

TEST_CASE("a vocabulary trained on a small text file encodes and decodes its sentences", "[text]") {
  t5::testing::TempFolder folder("vocab_train");
  auto model = folder / "tiny.model";
  t5::train_vocabulary(tiny_options(folder, 50), model);

  constexpr int kExtraIds = 10;
  t5::SentencePieceVocabulary vocab(model, kExtraIds);

  // T5's special ids, and sentinels n + k - 1 - i above the n = 50 pieces.
  CHECK(vocab.base_size() == 50);
  CHECK(vocab.size() == 60);
  CHECK(vocab.pad_id() == 0);
  CHECK(vocab.eos_id() == 1);
  CHECK(vocab.unk_id() == 2);
  CHECK(vocab.sentinel_id(0) == 59);
  CHECK(vocab.sentinel_id(9) == 50);

  std::string text = "the quick brown dog <extra_id_0> in the park <extra_id_9>";
  Ids ids = vocab.encode(text, t5::Eos::kAppend);
  CHECK(ids.back() == 1);
  CHECK(std::count(ids.begin(), ids.end(), 59) == 1);
  CHECK(std::count(ids.begin(), ids.end(), 50) == 1);
  CHECK(std::count(ids.begin(), ids.end(), vocab.unk_id()) == 0);
  CHECK(vocab.decode(ids) == text);
}

TEST_CASE("vocabulary training supports every SentencePiece model type", "[text]") {
  t5::testing::TempFolder folder("vocab_types");
  auto model = folder / "tiny.model";
  // Sizes that hold all of the corpus and the 3 special pieces: a word
  // model's pieces are its 30 words, a char model's its 24 letters and "▁".
  std::string type = GENERATE(as<std::string>{}, "unigram", "bpe", "char", "word");
  int vocab_size = type == "word" ? 33 : type == "char" ? 28 : 50;
  INFO(type << " model of " << vocab_size << " pieces");

  t5::train_vocabulary(tiny_options(folder, vocab_size).model_type(type), model);
  t5::SentencePieceVocabulary vocab(model, 1);
  CHECK(vocab.base_size() == vocab_size);
  CHECK(vocab.decode(vocab.encode("the dog walks")) == "the dog walks");
  CHECK(vocab.encode("<extra_id_0>").front() == vocab.sentinel_id(0));
}

TEST_CASE("vocabulary training with SentencePiece's own log lines on writes its model", "[text]") {
  // SentencePiece logs to std::cerr, which the shim must make usable under
  // RTLD_DEEPBIND (see t5/text/sentencepiece_shim/); this used to crash.
  t5::testing::TempFolder folder("vocab_verbose");
  auto& logger = t5::default_logger();
  t5::LogLevel level = logger.level();
  logger.set_level(t5::LogLevel::kDebug);
  CHECK_NOTHROW(t5::train_vocabulary(tiny_options(folder, 40), folder / "tiny.model"));
  logger.set_level(level);
  CHECK(t5::SentencePieceVocabulary(folder / "tiny.model").base_size() == 40);
}

TEST_CASE("vocabulary training writes the same model for the same inputs and options", "[text]") {
  t5::testing::TempFolder folder("vocab_deterministic");
  // Sampling 200 of the 400 sentences: the sample must be the same too.
  auto options = tiny_options(folder, 40).input_sentence_size(200);
  t5::train_vocabulary(options, folder / "first.model");
  t5::train_vocabulary(options, folder / "second.model");

  CHECK(t5::read_text_file(folder / "first.model") == t5::read_text_file(folder / "second.model"));
}

TEST_CASE("vocabulary training rejects bad options with messages that name them", "[text]") {
  t5::testing::TempFolder folder("vocab_bad_options");
  auto model = folder / "tiny.model";

  SECTION("a missing input file") {
    t5::VocabularyTrainOptions options({(folder / "missing.txt").string()}, 100);
    CHECK_THROWS_WITH(t5::train_vocabulary(options, model),
                      Catch::Contains("missing.txt: no such file"));
  }
  SECTION("a misspelt model type") {
    CHECK_THROWS_WITH(t5::train_vocabulary(tiny_options(folder, 100).model_type("unigrm"), model),
                      Catch::Contains("unknown model type 'unigrm'") &&
                          Catch::Contains("did you mean 'unigram'"));
  }
  SECTION("a sample too small for SentencePiece") {
    CHECK_THROWS_WITH(t5::train_vocabulary(tiny_options(folder, 40).input_sentence_size(50), model),
                      Catch::Contains("input_sentence_size must be 0 (all sentences) or more than "
                                      "100, got 50"));
  }
  SECTION("a vocabulary too small for the special pieces") {
    CHECK_THROWS_WITH(t5::train_vocabulary(tiny_options(folder, 3), model),
                      Catch::Contains("vocab_size must be more than 3"));
  }
  SECTION("a vocabulary larger than the text allows") {
    CHECK_THROWS_WITH(
        t5::train_vocabulary(tiny_options(folder, 5000), model),
        Catch::Contains("vocabulary training for") && Catch::Contains("Vocabulary size too high"));
  }
  CHECK_FALSE(std::filesystem::exists(model));
}

TEST_CASE("vocabulary training options round-trip through JSON and reject unknown keys", "[text]") {
  auto options = t5::VocabularyTrainOptions({"a.txt", "b.txt"}, 32000)
                     .model_type("bpe")
                     .character_coverage(0.9995)
                     .input_sentence_size(1000000)
                     .num_threads(4);
  t5::Json json = t5::to_json(options);
  auto back = t5::vocabulary_train_options_from_json(json, "vocabulary");
  CHECK(t5::to_json(back) == json);

  json["model_typ"] = "bpe";
  CHECK_THROWS_WITH(t5::vocabulary_train_options_from_json(json, "vocabulary"),
                    Catch::Contains("unknown key 'model_typ'"));
  CHECK_THROWS_WITH(t5::vocabulary_train_options_from_json(t5::Json{{"vocab_size", 8}}, "v"),
                    Catch::Contains("missing required key 'input_files'"));
}

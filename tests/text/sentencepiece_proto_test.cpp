#include "t5/text/sentencepiece_proto.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "t5/text/sentencepiece_loader.h"
#include "t5/text/vocabulary_trainer.h"
#include "t5/util/files.h"
#include "tests/support/temp_folder.h"
#include "tests/support/tiny_corpus.h"

TEST_CASE("user-defined pieces appended to a model take the ids after its own", "[text]") {
  t5::testing::TempFolder folder("vocab_proto");
  t5::testing::write_tiny_corpus(folder / "corpus.txt");
  t5::train_vocabulary(t5::VocabularyTrainOptions({(folder / "corpus.txt").string()}, 50),
                       folder / "tiny.model");
  std::string serialized = t5::read_text_file(folder / "tiny.model");

  std::string extended = t5::append_user_defined_pieces(serialized, {"<first>", "\u2581<second>"});
  std::string error;
  auto model = t5::sentencepiece_backend().load(extended, &error);
  INFO(error);
  REQUIRE(model != nullptr);
  CHECK(model->piece_size() == 52);
  CHECK(model->id_to_piece(50) == "<first>");
  CHECK(model->id_to_piece(51) == "\u2581<second>");

  // Whole matches, never split: "<first>" inside a word, "▁<second>" after a space.
  t5::SentencePieceEncoding encoding;
  REQUIRE(model->encode("dog<first>cat <second>", &encoding, &error));
  CHECK(std::count(encoding.ids.begin(), encoding.ids.end(), 50) == 1);
  CHECK(std::count(encoding.ids.begin(), encoding.ids.end(), 51) == 1);
}

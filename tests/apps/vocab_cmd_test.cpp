#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_t5.h"
#include "tests/support/temp_folder.h"
#include "tests/support/tiny_corpus.h"

namespace {

namespace fs = std::filesystem;

using t5::testing::Capture;
using t5::testing::run_t5;
using Result = t5::testing::CommandResult;

std::optional<std::string> t5_vocabulary_file() {
  const char* data_dir = std::getenv("T5_DATA_DIR");
  if (data_dir == nullptr) {
    WARN("T5_DATA_DIR is unset: skipping this test of T5's own vocabulary");
    return std::nullopt;
  }
  return (fs::path(data_dir) / "t5" / "spiece.model").string();
}

}  // namespace

TEST_CASE("t5 vocab info prints T5's sizes, special ids and sentinel range", "[apps]") {
  auto vocab = t5_vocabulary_file();
  if (!vocab) return;

  Result text = run_t5({"vocab", "info", "--vocab", *vocab});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.output, Catch::Contains("size            32100") &&
                              Catch::Contains("embedding size  32128") &&
                              Catch::Contains("<extra_id_0> = 32099 ... <extra_id_99> = 32000"));

  // Expected values: REFERENCE.md (Text).
  Result json = run_t5({"vocab", "info", "--vocab", *vocab, "--json"});
  REQUIRE(json.exit_code == 0);
  auto info = nlohmann::json::parse(json.output);
  CHECK(info["base_size"] == 32000);
  CHECK(info["extra_ids"] == 100);
  CHECK(info["size"] == 32100);
  CHECK(info["embedding_size"] == 32128);
  CHECK(info["pad_id"] == 0);
  CHECK(info["eos_id"] == 1);
  CHECK(info["unk_id"] == 2);
  CHECK(info["sentinel_range"] == nlohmann::json::array({32000, 32099}));
}

TEST_CASE("t5 vocab encode prints the ids of each text on its own line", "[apps]") {
  auto vocab = t5_vocabulary_file();
  if (!vocab) return;

  // Ids from the Hugging Face T5 documentation (see tests/text/vocabulary_test.cpp).
  Result plain = run_t5({"vocab", "encode", "--vocab", *vocab, "--eos",
                         "The <extra_id_0> walks in <extra_id_1> park",
                         "translate English to German: The house is wonderful."});
  REQUIRE(plain.exit_code == 0);
  CHECK(plain.output ==
        "37 32099 10681 16 32098 2447 1\n13959 1566 12 2968 10 37 629 19 1627 5 1\n");

  Result json = run_t5({"vocab", "encode", "--vocab", *vocab, "--json", "The <extra_id_0> walks"});
  REQUIRE(json.exit_code == 0);
  auto line = nlohmann::json::parse(json.output);
  CHECK(line["ids"] == nlohmann::json::array({37, 32099, 10681}));
  CHECK(line["pieces"] ==
        nlohmann::json::array({"\u2581The", "\u2581<extra_id_0>", "\u2581walks"}));
}

TEST_CASE("t5 vocab decode prints the text of ids up to the first EOS", "[apps]") {
  auto vocab = t5_vocabulary_file();
  if (!vocab) return;

  Result result =
      run_t5({"vocab", "decode", "--vocab", *vocab, "37", "32099", "10681", "1", "629"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.output == "The <extra_id_0> walks\n");
}

TEST_CASE("t5 vocab train writes a vocabulary that info, encode and decode then use", "[apps]") {
  t5::testing::TempFolder folder("vocab_cmd_train");
  std::string corpus = (folder / "corpus.txt").string();
  std::string model = (folder / "tiny.model").string();
  t5::testing::write_tiny_corpus(corpus);

  Result train = run_t5({"vocab", "train", "--input", corpus, "--out", model, "--vocab-size", "50",
                         "--extra-ids", "10"});
  REQUIRE(train.exit_code == 0);
  CHECK(train.output ==
        "wrote " + model + ": 50 pieces + 10 extra ids = 60 ids " + "(embedding size 128)\n");

  Result info = run_t5({"vocab", "info", "--vocab", model, "--extra-ids", "10", "--json"});
  REQUIRE(info.exit_code == 0);
  CHECK(nlohmann::json::parse(info.output)["sentinel_range"] == nlohmann::json::array({50, 59}));

  Result encoded = run_t5({"vocab", "encode", "--vocab", model, "--extra-ids", "10", "--eos",
                           "the lazy dog <extra_id_0> park"});
  REQUIRE(encoded.exit_code == 0);
  std::vector<std::string> decode_args = {"vocab", "decode", "--vocab", model, "--extra-ids", "10"};
  std::istringstream ids(encoded.output);
  for (std::string id; ids >> id;) decode_args.push_back(id);
  CHECK(decode_args.back() == "1");
  Result decoded = run_t5(decode_args);
  REQUIRE(decoded.exit_code == 0);
  CHECK(decoded.output == "the lazy dog <extra_id_0> park\n");
}

TEST_CASE("t5 -v vocab train shows SentencePiece's progress lines and succeeds", "[apps]") {
  t5::testing::TempFolder folder("vocab_cmd_verbose");
  std::string corpus = (folder / "corpus.txt").string();
  t5::testing::write_tiny_corpus(corpus);

  Result train = run_t5({"-v", "vocab", "train", "--input", corpus, "--out",
                         (folder / "tiny.model").string(), "--vocab-size", "40"},
                        Capture::kStdoutAndStderr);
  CHECK(train.exit_code == 0);
  CHECK_THAT(train.output, Catch::Contains("trainer_interface.cc") &&
                               Catch::Contains("wrote " + (folder / "tiny.model").string()));
}

TEST_CASE("t5 vocab commands fail with a clear error for a bad --vocab path", "[apps]") {
  t5::testing::TempFolder folder("vocab_cmd_bad_path");
  std::string missing = (folder / "missing.model").string();
  for (std::string command : {"info", "encode", "decode"}) {
    INFO(command);
    std::vector<std::string> args = {"vocab", command, "--vocab", missing};
    if (command == "encode") args.push_back("some text");
    if (command == "decode") args.push_back("37");
    Result result = run_t5(args, Capture::kStdoutAndStderr);
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.output, Catch::StartsWith("error: vocabulary " + missing + ": no such file"));
  }
}

TEST_CASE("t5 vocab train fails with a clear error for a missing input file", "[apps]") {
  t5::testing::TempFolder folder("vocab_cmd_bad_input");
  std::string missing = (folder / "missing.txt").string();
  Result result = run_t5({"vocab", "train", "--input", missing, "--out",
                          (folder / "x.model").string(), "--vocab-size", "100"},
                         Capture::kStdoutAndStderr);
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.output,
             Catch::Contains("error: vocabulary training: input " + missing + ": no such file"));
  CHECK_FALSE(fs::exists(folder / "x.model"));
}

#include <algorithm>
#include <sstream>

#include <catch2/catch.hpp>

#include "t5/util/json.h"
#include "tests/model/fixtures.h"
#include "tests/support/run_t5.h"
#include "tests/support/temp_folder.h"

namespace {

using t5::testing::Capture;
using t5::testing::run_t5;

}  // namespace

TEST_CASE("t5 model info reports the parameter count as JSON", "[apps]") {
  auto result = run_t5({"model", "info", "--preset", "t5-base", "--json"});
  REQUIRE(result.exit_code == 0);
  auto json = t5::parse_json(result.output, "t5 model info output");
  // 222,903,552: transformers' count for t5-base.
  CHECK(json.at("parameters").get<int64_t>() == 222903552);
  CHECK(json.at("d_model").get<int64_t>() == 768);
}

TEST_CASE("t5 model init writes a folder that t5 generate decodes from", "[apps]") {
  t5::testing::TempFolder temp("t5-apps-model");
  auto folder = (temp.path() / "nano").string();
  REQUIRE(
      run_t5({"model", "init", "--preset", "t5-nano", "--out", folder, "--seed", "3"}).exit_code ==
      0);
  auto info = run_t5({"model", "info", "--model", folder, "--json"});
  REQUIRE(info.exit_code == 0);
  CHECK(t5::parse_json(info.output, "info").at("num_layers").get<int64_t>() == 2);

  auto greedy = run_t5({"generate", "--model", folder, "--ids", "5 17 9 1", "--ids", "3 1",
                        "--max-new-tokens", "4", "--json"});
  REQUIRE(greedy.exit_code == 0);
  std::istringstream lines(greedy.output);
  std::string line;
  int rows = 0;
  while (std::getline(lines, line)) {
    auto json = t5::parse_json(line, "generate output");
    // The decoder start token, then at most 4 new tokens.
    auto ids = json.at("ids").get<std::vector<int64_t>>();
    CHECK(ids.front() == 0);
    CHECK(ids.size() <= 5);
    CHECK(json.at("input").get<int64_t>() == rows);
    ++rows;
  }
  CHECK(rows == 2);

  auto beams = run_t5({"generate", "--model", folder, "--ids", "5 17 9 1", "--beams", "3",
                       "--num-return", "3", "--max-new-tokens", "4", "--json"});
  REQUIRE(beams.exit_code == 0);
  CHECK(std::count(beams.output.begin(), beams.output.end(), '\n') == 3);
}

TEST_CASE("t5 generate decodes the reference fixture's greedy sequence", "[apps]") {
  auto folders = t5::testing::parity_fixture_folders();
  if (folders.empty()) {
    WARN("no parity fixtures; skipped");
    return;
  }
  auto expected = t5::read_json_file((folders.front() / "expected.json").string());
  auto input = expected.at("inputs").at("input_ids").at("data")[0].get<std::vector<int64_t>>();
  std::string ids;
  for (int64_t id : input) ids += std::to_string(id) + " ";
  auto result = run_t5({"generate", "--model", folders.front().string(), "--ids", ids,
                        "--max-new-tokens", "10", "--json"});
  REQUIRE(result.exit_code == 0);
  auto json = t5::parse_json(result.output, "generate output");
  auto reference = expected.at("greedy").at("sequences").at("data")[0].get<std::vector<int64_t>>();
  CHECK(json.at("ids").get<std::vector<int64_t>>() == reference);
}

TEST_CASE("t5 model and generate commands fail clearly on bad input", "[apps]") {
  t5::testing::TempFolder temp("t5-apps-bad");
  auto missing =
      run_t5({"model", "info", "--model", temp.path().string()}, Capture::kStdoutAndStderr);
  CHECK(missing.exit_code != 0);
  CHECK_THAT(missing.output, Catch::Contains("error:") && Catch::Contains("config.json"));

  auto preset = run_t5({"model", "info", "--preset", "t5-smal"}, Capture::kStdoutAndStderr);
  CHECK(preset.exit_code != 0);
  CHECK_THAT(preset.output, Catch::Contains("did you mean 't5-small'"));

  auto folder = (temp.path() / "nano").string();
  REQUIRE(run_t5({"model", "init", "--preset", "t5-nano", "--out", folder}).exit_code == 0);
  auto bad_ids =
      run_t5({"generate", "--model", folder, "--ids", "5 x 1"}, Capture::kStdoutAndStderr);
  CHECK(bad_ids.exit_code != 0);
  CHECK_THAT(bad_ids.output, Catch::Contains("got 'x'"));
  auto out_of_range =
      run_t5({"generate", "--model", folder, "--ids", "999999"}, Capture::kStdoutAndStderr);
  CHECK_THAT(out_of_range.output, Catch::Contains("outside the vocabulary"));
  auto no_vocab =
      run_t5({"generate", "--model", folder, "--text", "hello"}, Capture::kStdoutAndStderr);
  CHECK(no_vocab.exit_code != 0);
  CHECK_THAT(no_vocab.output, Catch::Contains("--text needs a vocabulary"));
}

TEST_CASE("t5 --version and --threads are accepted and bad values refused", "[apps]") {
  auto version = run_t5({"--version"});
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.output, Catch::Contains("t5 "));
  auto threads = run_t5({"--threads", "0", "model", "info", "--preset", "t5-small"},
                        Capture::kStdoutAndStderr);
  CHECK(threads.exit_code != 0);
  auto ok = run_t5({"--threads", "1", "model", "info", "--preset", "t5-small", "--json"});
  CHECK(ok.exit_code == 0);
}

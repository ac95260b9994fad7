// Runs the built `t5 score` command on files the tests write themselves.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "t5/util/json.h"

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

std::string t5_binary() {
  const char* from_env = std::getenv("T5_BIN");
  return from_env != nullptr ? from_env : std::string(T5_BINARY_DIR) + "/bin/t5";
}

CommandResult run_t5(const std::string& arguments) {
  std::string command = "'" + t5_binary() + "' " + arguments + " 2>&1";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  size_t read = 0;
  while ((read = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, read);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// A fresh folder per test (CTest runs tests in parallel), removed at the end.
class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("t5_score_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }

  // Writes `text` to a file in the folder; returns its path, quoted.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return "'" + (path_ / name).string() + "'";
  }

 private:
  fs::path path_;
};

}  // namespace

TEST_CASE("t5 score prints the scores as one JSON object", "[apps][metrics]") {
  ScratchDir dir;
  auto predictions = dir.write("predictions.txt", "positive\nnegative\nnegative\npositive\n");
  auto references = dir.write("references.txt", "positive\nnegative\npositive\npositive\n");
  auto result = run_t5("score --metric accuracy --predictions " + predictions + " --references " +
                       references + " --json");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  // 3 of the 4 lines agree: 75.
  auto json = t5::parse_json(result.output, "t5 score output");
  CHECK(json.size() == 1);
  CHECK(json.at("accuracy").get<double>() == Approx(75.0));
}

TEST_CASE("t5 score reads one reference file per reference and metric options", "[apps][metrics]") {
  ScratchDir dir;
  auto predictions = dir.write("predictions.txt", "Denver Broncos\nblue sky");
  auto first = dir.write("answers1.txt", "Broncos\nsky\n");
  auto second = dir.write("answers2.txt", "the Denver Broncos\nocean\n");
  // Example 1 matches its second answer (EM 1); example 2 scores F1 2/3
  // against "sky": EM 50, F1 100 * (1 + 2/3) / 2 = 83.3333.
  auto result = run_t5("score --metric squad --predictions " + predictions + " --references " +
                       first + " --references " + second);
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK(result.output == "em: 50.0000\nf1: 83.3333\n");

  SECTION("options reach the metric, JSON-typed where they parse") {
    auto labels = dir.write("labels.txt", "equivalent\nnot_equivalent\n");
    auto guesses = dir.write("guesses.txt", "equivalent\nequivalent\n");
    // TP 1, FP 1: F1 = 2/3.
    auto f1 = run_t5("score --metric f1 --predictions " + guesses + " --references " + labels +
                     " --option positive=equivalent --json");
    INFO(f1.output);
    REQUIRE(f1.exit_code == 0);
    CHECK(t5::parse_json(f1.output, "t5 score output").at("f1").get<double>() ==
          Approx(200.0 / 3.0));
  }
}

TEST_CASE("t5 score refuses reference files whose line count differs", "[apps][metrics]") {
  ScratchDir dir;
  auto predictions = dir.write("predictions.txt", "a\nb\nc\n");
  auto references = dir.write("short.txt", "a\nb\n");
  auto result = run_t5("score --metric accuracy --predictions " + predictions + " --references " +
                       references);
  INFO(result.output);
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.output, Catch::Contains("error:") && Catch::Contains("short.txt") &&
                                Catch::Contains("has 2 lines") &&
                                Catch::Contains("predictions file") && Catch::Contains("has 3"));
}

TEST_CASE("t5 score names the file and line of a bad reference", "[apps][metrics]") {
  ScratchDir dir;
  auto predictions = dir.write("predictions.txt", "3.8\n1.0\n");
  auto references = dir.write("scores.txt", "4.0\nhigh\n");
  auto result =
      run_t5("score --metric pearson --predictions " + predictions + " --references " + references);
  INFO(result.output);
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.output, Catch::Contains("scores.txt:2:") && Catch::Contains("'high'"));
}

TEST_CASE("t5 score refuses an unknown metric and a malformed option", "[apps][metrics]") {
  ScratchDir dir;
  auto file = dir.write("lines.txt", "a\n");
  auto unknown = run_t5("score --metric blue --predictions " + file + " --references " + file);
  CHECK(unknown.exit_code != 0);
  CHECK_THAT(unknown.output,
             Catch::Contains("unknown metric 'blue'") && Catch::Contains("did you mean 'bleu'"));
  auto malformed = run_t5("score --metric bleu --predictions " + file + " --references " + file +
                          " --option tokenize");
  CHECK(malformed.exit_code != 0);
  CHECK_THAT(malformed.output, Catch::Contains("expected key=value"));
}

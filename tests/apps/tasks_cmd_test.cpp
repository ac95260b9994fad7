// `t5 tasks list` and `t5 tasks show`, run as a user runs them: the built
// binary ($T5_BIN, set by CTest; else the build folder's bin/t5).
#include <stdio.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <sstream>

#include "t5/util/json.h"
#include "tests/tasks/task_test_util.h"

namespace {

std::string binary() {
  if (const char* bin = std::getenv("T5_BIN"); bin != nullptr && *bin != '\0') return bin;
  return std::string(T5_BINARY_DIR) + "/bin/t5";
}

struct Run {
  int status = -1;
  std::string output;  // stdout and stderr
};

// Runs `t5 <arguments>` with a clean task environment.
Run run_t5(const std::string& arguments) {
  std::string command =
      "env -u T5_TASKS_PATH -u T5_BUILTIN_TASKS '" + binary() + "' " + arguments + " 2>&1";
  Run run;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  size_t read = 0;
  while ((read = fread(buffer, 1, sizeof(buffer), pipe)) > 0) run.output.append(buffer, read);
  int status = ::pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::vector<t5::Json> json_lines(const std::string& text) {
  std::vector<t5::Json> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(t5::Json::parse(line));
  }
  return lines;
}

}  // namespace

TEST_CASE("tasks list prints the built-in tasks and mixtures", "[apps][tasks]") {
  Run run = run_t5("tasks list");
  INFO(run.output);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.output, Catch::Contains("glue_rte") && Catch::Contains("super_glue_record") &&
                             Catch::Contains("wmt16_enro") && Catch::Contains("mixtures (3):"));
}

TEST_CASE("tasks show --json prints one object per example of a user task", "[apps][tasks]") {
  t5::testing::TempDir specs;
  t5::testing::TempDir data;
  specs.write("yes_no.json", R"({"name": "yes_no",
    "source": {"format": "jsonl", "splits": {"validation": "yes_no/val.jsonl"}},
    "fields": {"question": "q", "label": "a"},
    "inputs": "yes or no: {question}", "targets": "{label}",
    "label_names": ["no", "yes"], "postprocessor": "label", "metrics": ["accuracy"]})");
  data.write("yes_no/val.jsonl",
             "{\"q\": \"Is water wet?\", \"a\": true}\n"
             "{\"q\": \"Is fire cold?\", \"a\": false}\n"
             "{\"q\": \"Is ice hot?\", \"a\": false}\n");
  std::string folders =
      "--tasks-dir '" + specs.path().string() + "' --data-dir '" + data.path().string() + "'";
  Run run = run_t5("tasks show yes_no --json --offset 1 --n 5 " + folders);
  INFO(run.output);
  REQUIRE(run.status == 0);
  auto lines = json_lines(run.output);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == t5::Json({{"inputs", "yes or no: Is fire cold?"}, {"targets", "no"}}));
  CHECK(lines[1]["inputs"] == "yes or no: Is ice hot?");

  Run text = run_t5("tasks show yes_no --n 1 " + folders);
  CHECK(text.status == 0);
  CHECK_THAT(text.output, Catch::Contains("inputs:  yes or no: Is water wet?") &&
                              Catch::Contains("targets: yes"));
}

TEST_CASE("tasks show --json adds the answers of real SQuAD examples", "[apps][tasks][data]") {
  T5_REQUIRE_DATA_DIR(root);
  Run run = run_t5("tasks show squad_v1 --split validation --n 1 --json --data-dir '" +
                   root.string() + "'");
  INFO(run.output);
  REQUIRE(run.status == 0);
  auto lines = json_lines(run.output);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["targets"] == "Denver Broncos");
  CHECK(lines[0]["answers"].size() == 3);
}

TEST_CASE("tasks show fails with the nearest names for an unknown task", "[apps][tasks]") {
  Run run = run_t5("tasks show glue_rtee --data-dir /tmp");
  CHECK(run.status != 0);
  CHECK_THAT(run.output, Catch::StartsWith("error: no task named 'glue_rtee'") &&
                             Catch::Contains("did you mean 'glue_rte'"));
}

TEST_CASE("tasks show prints a mixture's rates", "[apps][tasks]") {
  Run run = run_t5("tasks show glue");
  INFO(run.output);
  REQUIRE(run.status == 0);
  // 392702 / 949101 (see mixture_test.cpp).
  CHECK_THAT(run.output, Catch::Contains("glue_mnli_matched") && Catch::Contains("0.413762"));
}

#include <cstdlib>
#include <filesystem>

#include <catch2/catch.hpp>

#include "t5/util/json.h"
#include "tests/support/run_t5.h"

namespace {

using t5::testing::Capture;
using t5::testing::run_t5;

}  // namespace

TEST_CASE("t5 corrupt shows span corruption of the paper's sentence as ids and text", "[apps]") {
  const char* data_dir = std::getenv("T5_DATA_DIR");
  if (data_dir == nullptr) {
    WARN("T5_DATA_DIR is unset: skipping (needs T5's vocabulary)");
    return;
  }
  auto vocab = (std::filesystem::path(data_dir) / "t5" / "spiece.model").string();
  auto result =
      run_t5({"corrupt", "--objective", "span_corruption", "--vocab", vocab, "--text",
              "Thank you for inviting me to your party last week .", "--seed", "1", "--json"});
  REQUIRE(result.exit_code == 0);
  auto json = t5::parse_json(result.output, "corrupt output");
  auto targets = json.at("targets").get<std::vector<int64_t>>();
  // Targets open with <extra_id_0> (32099 in T5's vocabulary) and end with EOS.
  CHECK(targets.front() == 32099);
  CHECK(targets.back() == 1);
  CHECK_THAT(json.at("inputs_text").get<std::string>(), Catch::Contains("<extra_id_0>"));

  auto bad = run_t5({"corrupt", "--objective", "span_corruption", "--param", "noise_densty=0.5",
                     "--vocab", vocab, "--text", "a b"},
                    Capture::kStdoutAndStderr);
  CHECK(bad.exit_code != 0);
  CHECK_THAT(bad.output, Catch::Contains("did you mean 'noise_density'"));
}

#include "t5/tasks/postprocessors.h"

#include <catch2/catch.hpp>

namespace {

t5::Postprocessor make(const std::string& name, const std::vector<std::string>& labels = {}) {
  t5::PostprocessorRegistry registry;
  t5::add_builtin_postprocessors(registry);
  return registry.get(name)(labels);
}

}  // namespace

TEST_CASE("label postprocessor maps label names to classes and anything else to -1",
          "[tasks][postprocessors]") {
  auto label = make("label", {"entailment", "neutral", "contradiction"});
  t5::Example example;
  CHECK(label("neutral", example, false).value == 1);
  CHECK(label("contradiction", example, true).value == 2);
  // Near misses are wrong: no trimming, no case folding.
  CHECK(label("Neutral", example, false).value == -1);
  CHECK(label("neutral ", example, false).value == -1);
  CHECK(label("", example, false).value == -1);
}

TEST_CASE("float postprocessor parses stsb scores and gives -1 when it cannot",
          "[tasks][postprocessors]") {
  auto score = make("float");
  t5::Example example;
  CHECK(score("3.8", example, false).value == Approx(3.8));
  CHECK(score(" 4 ", example, false).value == Approx(4.0));
  CHECK(score("1e0", example, false).value == Approx(1.0));
  CHECK(score("3.8 points", example, false).value == -1);
  CHECK(score("five", example, false).value == -1);
  CHECK(score("0x10", example, false).value == -1);
  CHECK(score("", example, false).value == -1);
}

TEST_CASE("qa and record postprocessors keep all answers of the targets",
          "[tasks][postprocessors]") {
  t5::Example example;
  example.targets = "Denver Broncos";
  example.answers = {"Denver Broncos", "the Broncos"};
  example.group = "12705-19617";
  auto qa = make("qa")("Broncos", example, false);
  CHECK(qa.text == "Broncos");
  CHECK(qa.answers.empty());
  auto target = make("qa")(example.targets, example, true);
  CHECK(target.answers == example.answers);
  auto record = make("record")(example.targets, example, true);
  CHECK(record.group == "12705-19617");
  CHECK(record.answers.size() == 2);
}

TEST_CASE("multirc postprocessor groups answers by their question", "[tasks][postprocessors]") {
  t5::Example example;
  example.group = "0-3";
  auto multirc = make("multirc");
  auto predicted = multirc("True", example, false);
  CHECK(predicted.value == 1);
  CHECK(predicted.group == "0-3");
  CHECK(multirc("true", example, false).value == -1);
  CHECK(multirc("False", example, true).value == 0);
}

TEST_CASE("wsc matching ignores case and determiners and compares word sets",
          "[tasks][postprocessors]") {
  CHECK(t5::wsc_referent_match("The hair", "hair") == 1);
  CHECK(t5::wsc_referent_match("the worm", "The worm") == 1);
  CHECK(t5::wsc_referent_match("Mr. Moncrieff", "Moncrieff") == 1);
  CHECK(t5::wsc_referent_match("lemon trees", "the lemons") == 0);
  // One side possessive, the other not: not the same entity.
  CHECK(t5::wsc_referent_match("Bob", "Bob's hat") == 0);
  CHECK(t5::wsc_referent_match("the", "hair") == -1);
  CHECK(t5::wsc_referent_match("   ", "hair") == -1);

  auto wsc = make("wsc");
  t5::Example example;
  example.targets = "The hair";
  example.fields["label"] = "1";
  CHECK(wsc("hair", example, false).value == 1);
  CHECK(wsc("drain", example, false).value == 0);
  CHECK(wsc("anything", example, true).value == 1);
  example.fields["label"] = "false";
  CHECK(wsc("anything", example, true).value == 0);
}

TEST_CASE("postprocessor registry misses name the nearest postprocessors",
          "[tasks][postprocessors]") {
  t5::PostprocessorRegistry registry;
  t5::add_builtin_postprocessors(registry);
  CHECK_THROWS_WITH(registry.get("lable"), Catch::Contains("no postprocessor named 'lable'") &&
                                               Catch::Contains("did you mean 'label'"));
  t5::PostprocessorFactory factory = [](const std::vector<std::string>&) {
    return t5::Postprocessor();
  };
  CHECK_THROWS_WITH(registry.add("qa", factory), Catch::Contains("already registered"));
}

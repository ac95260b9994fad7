#include "t5/objectives/pretraining_stream.h"

#include <catch2/catch.hpp>

#include "t5/objectives/registry.h"
#include "tests/objectives/fixtures.h"

namespace {

std::unique_ptr<t5::Objective> make(const t5::Json& spec, int64_t inputs, int64_t targets) {
  t5::ObjectiveRegistry registry;
  t5::register_builtin_objectives(registry);
  t5::ObjectiveContext context;
  context.lengths = {inputs, targets};
  return registry.create(spec, context);
}

const std::vector<std::vector<int64_t>> kDocuments = {{10, 11, 12}, {13, 14}, {15, 16, 17, 18, 19}};

std::vector<std::vector<int64_t>> targets_of(const std::vector<t5::EncodedExample>& examples) {
  std::vector<std::vector<int64_t>> targets;
  for (const auto& example : examples) targets.push_back(example.targets);
  return targets;
}

}  // namespace

TEST_CASE("documents are joined with EOS between them and cut into chunks of the raw length",
          "[objectives]") {
  // Language modeling with 5 targets: raw length 4, so the stream
  // 10 11 12 EOS 13 14 EOS 15 16 17 18 19 cuts into three chunks of 4.
  auto objective = make("language_modeling", 0, 5);
  auto examples = t5::make_pretraining_examples(*objective, kDocuments, 1);
  CHECK(targets_of(examples) == std::vector<std::vector<int64_t>>{
                                    {10, 11, 12, 1, 1}, {13, 14, 1, 15, 1}, {16, 17, 18, 19, 1}});
}

TEST_CASE("documents join without a separator and the remainder is kept or dropped",
          "[objectives]") {
  auto objective = make("language_modeling", 0, 5);
  t5::PretrainingStreamOptions options;
  options.document_separator = -1;

  SECTION("kept") {
    // 10 11 12 13 | 14 15 16 17 | 18 19 (the shorter remainder).
    auto examples = t5::make_pretraining_examples(*objective, kDocuments, 1, options);
    CHECK(targets_of(examples) ==
          std::vector<std::vector<int64_t>>{{10, 11, 12, 13, 1}, {14, 15, 16, 17, 1}, {18, 19, 1}});
  }
  SECTION("dropped and counted") {
    options.keep_remainder = false;
    t5::PretrainingStream stream(*objective, 1, options);
    int examples = 0;
    for (const auto& document : kDocuments) {
      stream.add_document(document);
      while (stream.next()) ++examples;
    }
    CHECK(!stream.finish());
    CHECK(examples == 2);
    CHECK(stream.dropped_tokens() == 2);
    CHECK(stream.tokens_used() == 8);
  }
}

TEST_CASE("an objective without budgets makes one example per document", "[objectives]") {
  auto objective = make("language_modeling", 0, 0);
  auto examples = t5::make_pretraining_examples(*objective, kDocuments, 1);
  CHECK(targets_of(examples) ==
        std::vector<std::vector<int64_t>>{{10, 11, 12, 1}, {13, 14, 1}, {15, 16, 17, 18, 19, 1}});
}

TEST_CASE("the pretraining stream is deterministic given the seed", "[objectives]") {
  auto objective = make("span_corruption", 64, 0);
  std::vector<std::vector<int64_t>> documents;
  for (uint64_t i = 0; i < 40; ++i) documents.push_back(t5::testing::random_text(1 + i * 7, i));
  auto first = t5::make_pretraining_examples(*objective, documents, 42);
  CHECK(first.size() > 10);
  CHECK(t5::make_pretraining_examples(*objective, documents, 42) == first);
  CHECK(!(t5::make_pretraining_examples(*objective, documents, 43) == first));
  // Every chunk but the last has the planned raw length, so its inputs have
  // the planned length.
  for (size_t i = 0; i + 1 < first.size(); ++i) {
    CHECK(static_cast<int64_t>(first[i].inputs.size()) == objective->output_lengths().inputs);
  }
}

TEST_CASE("the pretraining stream cuts each chunk to the drawn member's raw length",
          "[objectives]") {
  // Two members with raw lengths 9 and 4 (budgets 10 and 5 after no
  // paradigm token): the tokens used add up to the chunks taken.
  t5::Json spec = {{"name", "mixture_of_denoisers"},
                   {"denoisers",
                    {{{"objective", "language_modeling"}},
                     {{"objective", {{"name", "prefix_lm"}, {"noise_density", 0.5}}}}}}};
  auto objective = make(spec, 5, 10);
  std::vector<int64_t> document(1000);
  for (size_t i = 0; i < document.size(); ++i) document[i] = 3 + static_cast<int64_t>(i);
  auto examples = t5::make_pretraining_examples(*objective, {document}, 3);
  int64_t used = 0;
  int language_modeling = 0;
  for (const auto& example : examples) {
    bool is_lm = example.inputs.empty();
    language_modeling += is_lm;
    int64_t tokens =
        static_cast<int64_t>(example.inputs.size() + example.targets.size()) - (is_lm ? 1 : 2);
    CHECK(tokens <= (is_lm ? 9 : 4));
    used += tokens;
  }
  CHECK(used == 1000);
  CHECK(language_modeling > 0);
  CHECK(language_modeling < static_cast<int>(examples.size()));
}

TEST_CASE("the none objective makes no pretraining examples", "[objectives]") {
  auto objective = make("none", 512, 114);
  t5::PretrainingStream stream(*objective, 1);
  for (const auto& document : kDocuments) stream.add_document(document);
  CHECK(!stream.next());
  CHECK(!stream.finish());
  CHECK(stream.documents() == 3);
  CHECK(stream.examples() == 0);
}

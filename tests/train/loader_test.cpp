#include "t5/train/loader.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "t5/objectives/registry.h"
#include "tests/support/tiny_corpus.h"
#include "tests/train/tiny_data.h"

namespace {

using t5::Json;

// The tiny data folder with a labelled TSV task of 40 examples ("words"),
// a copy of it ("words2"), a text corpus task ("corpus") and a mixture of
// the two TSV tasks ("both").
struct LoaderWorld : t5::testing::TinyData {
  LoaderWorld() {
    std::string rows;
    for (int i = 0; i < 40; ++i) {
      rows += fmt::format("the dog {} the {} cat\t{}\n", t5::testing::kTinyCorpusWords[i % 30],
                          t5::testing::kTinyCorpusWords[(i * 7) % 30], i % 2);
    }
    add_tsv_task("words", "words/train.tsv", rows, "words: {sentence}", {"no", "yes"});
    add_tsv_task("words2", "words/other.tsv", rows, "words: {sentence}", {"no", "yes"});
    static const t5::Processors processors = t5::Processors::builtin();
    Json text = {{"name", "corpus"},
                 {"source", {{"format", "text"}, {"splits", {{"train", "corpus.txt"}}}}},
                 {"fields", {{"text", "text"}}},
                 {"inputs", ""},
                 {"targets", "{text}"},
                 {"drop_empty_targets", true}};
    tasks.add(t5::Task(t5::TaskSpec::from_json(text, "corpus.json"), processors));
    Json mix = {
        {"kind", "mixture"}, {"name", "both"}, {"tasks", {"words", "words2"}}, {"rate", "equal"}};
    mixtures.add(t5::Mixture(t5::MixtureSpec::from_json(mix, "both.json"), tasks));
  }
};

const LoaderWorld& world() {
  static const LoaderWorld instance;
  return instance;
}

t5::LoaderOptions small_options(int64_t batch_size, bool pack) {
  t5::LoaderOptions options;
  options.seed = 7;
  options.shuffle_buffer = 16;
  options.batching.batch_size = batch_size;
  options.batching.inputs_length = 32;
  options.batching.targets_length = 16;
  options.batching.pack = pack;
  return options;
}

// The batch's tokens as one list per tensor, to compare batches exactly.
std::vector<std::vector<int64_t>> contents(const t5::Batch& batch) {
  std::vector<std::vector<int64_t>> out;
  for (const auto& tensor : {batch.encoder_input_tokens, batch.encoder_segment_ids,
                             batch.decoder_target_tokens, batch.decoder_input_tokens}) {
    auto flat = tensor.contiguous().view(-1);
    out.emplace_back(flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel());
  }
  return out;
}

std::vector<std::vector<std::vector<int64_t>>> take(t5::Loader& loader, int count) {
  std::vector<std::vector<std::vector<int64_t>>> batches;
  for (int i = 0; i < count; ++i) {
    auto batch = loader.next();
    REQUIRE(batch.has_value());
    batches.push_back(contents(*batch));
  }
  return batches;
}

std::unique_ptr<t5::Objective> span_corruption(const t5::SentencePieceVocabulary& vocabulary) {
  t5::ObjectiveRegistry registry;
  t5::register_builtin_objectives(registry);
  t5::ObjectiveContext context;
  context.ids = t5::special_ids_of(vocabulary);
  context.lengths = {32, 16};
  return registry.create(Json{{"name", "span_corruption"}, {"final_sentinel", false}}, context);
}

}  // namespace

TEST_CASE("Resuming the loader mid-epoch yields the same next batches", "[train][loader]") {
  auto objective = span_corruption(*world().vocabulary);
  struct Case {
    const char* name;
    const t5::Objective* objective;
    bool pack;
  };
  for (const Case& c : {Case{"words", nullptr, false}, Case{"words", nullptr, true},
                        Case{"both", nullptr, true}, Case{"corpus", objective.get(), true}}) {
    INFO(c.name << (c.pack ? " packed" : "") << (c.objective ? " with span corruption" : ""));
    t5::Loader first = world().loader(c.name, small_options(3, c.pack), c.objective);
    take(first, 5);  // 15 or more of the 40 examples: mid-epoch
    Json position = first.position();
    auto expected = take(first, 12);  // runs into the second pass

    t5::Loader resumed = world().loader(c.name, small_options(3, c.pack), c.objective);
    resumed.restore(position, "state.json");
    CHECK(resumed.batches() == 5);
    CHECK(take(resumed, 12) == expected);
  }
}

TEST_CASE("The loader's shuffle depends on the seed alone, and one epoch holds every example once",
          "[train][loader]") {
  auto options = small_options(4, false);
  options.epochs = 1;
  options.shuffle_buffer = 100;
  auto epoch_targets = [&](uint64_t seed) {
    options.seed = seed;
    t5::Loader loader = world().loader("words", options);
    std::vector<std::vector<int64_t>> inputs;
    while (auto batch = loader.next()) {
      for (int64_t row = 0; row < batch->encoder_input_tokens.size(0); ++row) {
        auto tokens = batch->encoder_input_tokens[row];
        inputs.emplace_back(tokens.data_ptr<int64_t>(), tokens.data_ptr<int64_t>() + 32);
      }
    }
    CHECK(loader.epochs_done() == 1);
    CHECK(loader.totals().examples == 40);
    return inputs;
  };
  auto a = epoch_targets(1);
  auto b = epoch_targets(1);
  auto c = epoch_targets(2);
  CHECK(a == b);
  CHECK(a != c);
  // 40 examples in batches of 4; the same multiset of rows in any order.
  REQUIRE(a.size() == 40);
  CHECK(std::multiset<std::vector<int64_t>>(a.begin(), a.end()) ==
        std::multiset<std::vector<int64_t>>(c.begin(), c.end()));
}

TEST_CASE("The loader's errors name the problem", "[train][loader]") {
  CHECK_THROWS_WITH(world().loader("word", small_options(2, false)),
                    Catch::Contains("no task or mixture named 'word'") &&
                        Catch::Contains("did you mean 'words'"));
  auto options = small_options(2, false);
  options.epochs = 2;
  CHECK_THROWS_WITH(world().loader("both", options), Catch::Contains("needs a single task"));
  t5::Loader loader = world().loader("words", small_options(2, false));
  Json position = loader.position();
  position["seed"] = 8;
  CHECK_THROWS_WITH(
      loader.restore(position, "state.json"),
      Catch::Contains("state.json: the data position was saved") && Catch::Contains("seed 8"));
}

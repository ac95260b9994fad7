#include "t5/model/generate.h"

#include <catch2/catch.hpp>

#include "t5/util/error.h"
#include "tests/support/tiny_model.h"

using t5::testing::tiny_model;

TEST_CASE("sampling is reproducible by seed and top-k 1 equals greedy", "[model]") {
  auto model = tiny_model(t5::Architecture::kEncoderDecoder, 1);
  auto ids = torch::tensor({{5, 9, 13, 1}, {7, 7, 2, 1}});
  t5::GenerateOptions options;
  options.max_new_tokens = 8;
  options.do_sample = true;
  options.seed = 123;
  auto first = t5::generate(*model, ids, {}, options);
  auto again = t5::generate(*model, ids, {}, options);
  CHECK(torch::equal(first.sequences, again.sequences));

  options.top_k = 1;
  auto top1 = t5::generate(*model, ids, {}, options);
  t5::GenerateOptions greedy;
  greedy.max_new_tokens = 8;
  CHECK(torch::equal(top1.sequences, t5::generate(*model, ids, {}, greedy).sequences));

  // top_p tiny keeps only the most likely token: greedy again.
  options.top_k = 0;
  options.top_p = 1e-6;
  CHECK(torch::equal(t5::generate(*model, ids, {}, options).sequences,
                     t5::generate(*model, ids, {}, greedy).sequences));
}

TEST_CASE("beam search with the GNMT penalty scores by ((5 + len) / 6)^alpha", "[model]") {
  auto model = tiny_model(t5::Architecture::kEncoderDecoder, 2);
  auto ids = torch::tensor({{5, 9, 13, 1}});
  t5::GenerateOptions options;
  options.max_new_tokens = 5;
  options.num_beams = 3;
  options.length_penalty = 0.6;
  options.length_penalty_kind = t5::LengthPenalty::kGnmt;
  options.eos_token_id = 7;
  auto output = t5::generate(*model, ids, {}, options);

  // Recompute the returned sequence's log-probability by teacher forcing and
  // apply the penalty by hand.
  auto sequence = output.sequences[0];
  int64_t generated = 0;
  double sum = 0.0;
  t5::ModelInputs batch;
  batch.input_ids = ids;
  batch.decoder_input_ids = sequence.slice(0, 0, sequence.size(0) - 1).unsqueeze(0);
  torch::NoGradGuard no_grad;
  auto log_probs = model->forward(batch).logits.log_softmax(-1)[0];
  for (int64_t i = 1; i < sequence.size(0); ++i) {
    int64_t token = sequence[i].item<int64_t>();
    sum += log_probs[i - 1][token].item<double>();
    ++generated;
    if (token == 7) break;
  }
  double expected = sum / std::pow((5.0 + generated) / 6.0, 0.6);
  CHECK(output.scores[0].item<double>() == Approx(expected).epsilon(1e-5));
}

TEST_CASE("decoder-only models continue a prompt, batched or one row at a time", "[model]") {
  for (auto architecture : {t5::Architecture::kDecoderOnly, t5::Architecture::kPrefixLm}) {
    auto model = tiny_model(architecture, 4);
    auto prompts = torch::tensor({{5, 9, 13, 1}, {8, 3, 1, 0}});
    auto mask = torch::tensor({{1, 1, 1, 1}, {1, 1, 1, 0}});
    t5::GenerateOptions options;
    options.max_new_tokens = 6;
    auto batched = t5::generate(*model, prompts, mask, options);
    auto first = t5::generate(*model, prompts.slice(0, 0, 1), {}, options);
    auto second = t5::generate(*model, prompts.slice(0, 1, 2).slice(1, 0, 3), {}, options);
    CHECK(torch::equal(batched.sequences[0].slice(0, 0, first.sequences.size(1)),
                       first.sequences[0]));
    CHECK(torch::equal(batched.sequences[1].slice(0, 0, second.sequences.size(1)),
                       second.sequences[0]));
    options.use_cache = false;
    CHECK(torch::equal(t5::generate(*model, prompts.slice(0, 0, 1), {}, options).sequences,
                       first.sequences));
  }
}

TEST_CASE("generate rejects invalid options with the value that broke them", "[model]") {
  auto model = tiny_model(t5::Architecture::kEncoderDecoder, 3);
  auto ids = torch::tensor({{5, 1}});
  t5::GenerateOptions options;
  options.num_beams = 2;
  options.num_return_sequences = 3;
  CHECK_THROWS_WITH(t5::generate(*model, ids, {}, options),
                    Catch::Contains("num_return_sequences must be in [1, num_beams=2], got 3"));
  options = {};
  options.top_p = 1.5;
  CHECK_THROWS_WITH(t5::generate(*model, ids, {}, options), Catch::Contains("got 1.5"));
}

#include "t5/train/batcher.h"

#include <catch2/catch.hpp>

namespace {

// An encoder-decoder example with `inputs` and `targets` tokens (EOS last).
t5::EncodedExample example_of(int64_t inputs, int64_t targets) {
  t5::EncodedExample example;
  example.inputs.assign(inputs - 1, 5);
  example.inputs.push_back(1);
  example.targets.assign(targets - 1, 6);
  example.targets.push_back(1);
  return example;
}

}  // namespace

TEST_CASE("the packing batcher emits a batch once batch_size rows are full", "[train]") {
  t5::BatchingOptions options;
  options.inputs_length = 10;
  options.targets_length = 4;
  options.batch_size = 2;
  options.pack = true;
  t5::Batcher batcher(options);
  // Targets of 2 tokens: two examples a row, so the fifth example closes
  // the second row and the batch holds the first four.
  std::vector<t5::Batch> batches;
  for (int i = 0; i < 9; ++i) {
    if (auto batch = batcher.add(example_of(3, 2))) batches.push_back(std::move(*batch));
  }
  REQUIRE(batches.size() == 2);
  CHECK(batches[0].stats.rows == 2);
  CHECK(batches[0].stats.examples == 4);
  auto rest = batcher.flush();
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].stats.examples == 1);
  CHECK(batcher.totals().examples == 9);
  // Each full row: 6 of 10 encoder and 4 of 4 decoder slots, 10 of 14.
  CHECK(batches[0].stats.efficiency() == Approx(10.0 / 14.0));
}

TEST_CASE("length bucketing batches examples of similar length together", "[train]") {
  t5::BatchingOptions options;
  options.batch_size = 2;
  options.pad_to = t5::PadTo::kLongest;
  options.bucket_boundaries = {8, 32};
  t5::Batcher batcher(options);
  std::vector<t5::Batch> batches;
  // Lengths 4, 30, 6, 100, 31: the first bucket fills with 4 and 6, the
  // second with 30 and 31; 100 goes to the open-ended bucket.
  for (int64_t length : {4, 30, 6, 100, 31}) {
    if (auto batch = batcher.add(example_of(length, 2))) batches.push_back(std::move(*batch));
  }
  REQUIRE(batches.size() == 2);
  CHECK(batches[0].encoder_input_tokens.size(1) == 6);
  CHECK(batches[1].encoder_input_tokens.size(1) == 31);
  auto rest = batcher.flush();
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].encoder_input_tokens.size(1) == 100);
}

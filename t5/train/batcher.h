#pragma once

#include <optional>
#include <vector>

#include "t5/train/feature_converter.h"

namespace t5 {

// Streams examples into batches of options.batch_size rows: one example per
// row, packed rows (a batch is emitted once batch_size rows are closed), or
// per length bucket. Deterministic: the same examples in the same order give
// the same batches.
class Batcher {
 public:
  // Throws t5::Error on invalid options.
  explicit Batcher(BatchingOptions options);

  // Adds one example; returns a batch when one is complete.
  std::optional<Batch> add(EncodedExample example);

  // The partly filled batches left at the end (one per non-empty bucket),
  // in bucket order.
  std::vector<Batch> flush();

  // Counts over every batch returned so far (packing efficiency of the run).
  const BatchStats& totals() const { return totals_; }
  const BatchingOptions& options() const { return options_; }

 private:
  Batch emit(std::vector<EncodedExample>& examples);
  size_t bucket_of(const EncodedExample& example) const;

  BatchingOptions options_;
  // Unpacked: one queue per bucket (one in all without bucketing).
  std::vector<std::vector<EncodedExample>> buckets_;
  // Packed: the examples of the closed rows and of the open one.
  std::vector<EncodedExample> packed_;
  RowFootprint open_row_;
  int64_t closed_rows_ = 0;
  BatchStats totals_;
};

}  // namespace t5

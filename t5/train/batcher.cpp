#include "t5/train/batcher.h"

#include <algorithm>

namespace t5 {

Batcher::Batcher(BatchingOptions options) : options_(std::move(options)) {
  options_.validate("batching");
  buckets_.resize(options_.bucket_boundaries.size() + 1);
}

size_t Batcher::bucket_of(const EncodedExample& example) const {
  auto inputs = static_cast<int64_t>(example.inputs.size());
  auto targets = static_cast<int64_t>(example.targets.size());
  int64_t length = options_.layout == FeatureLayout::kEncoderDecoder ? std::max(inputs, targets)
                                                                     : inputs + targets;
  const auto& bounds = options_.bucket_boundaries;
  return std::lower_bound(bounds.begin(), bounds.end(), length) - bounds.begin();
}

Batch Batcher::emit(std::vector<EncodedExample>& examples) {
  Batch batch = make_batch(examples, options_);
  examples.clear();
  totals_.add(batch.stats);
  return batch;
}

std::optional<Batch> Batcher::add(EncodedExample example) {
  if (!options_.pack) {
    auto& bucket = buckets_[bucket_of(example)];
    bucket.push_back(std::move(example));
    if (static_cast<int64_t>(bucket.size()) < options_.batch_size) return std::nullopt;
    return emit(bucket);
  }

  // Next-fit, as pack_rows: an example that does not fit closes the open
  // row; the batch is complete when batch_size rows are closed, and the
  // example then opens the first row of the next batch.
  auto footprint = row_footprint(example, options_);
  bool fits = open_row_.encoder + footprint.encoder <= options_.inputs_length &&
              open_row_.decoder + footprint.decoder <= options_.targets_length;
  std::optional<Batch> batch;
  if (!packed_.empty() && !fits) {
    open_row_ = RowFootprint{};
    if (++closed_rows_ == options_.batch_size) {
      batch = emit(packed_);
      closed_rows_ = 0;
    }
  }
  open_row_.encoder += footprint.encoder;
  open_row_.decoder += footprint.decoder;
  packed_.push_back(std::move(example));
  return batch;
}

std::vector<Batch> Batcher::flush() {
  std::vector<Batch> batches;
  for (auto& bucket : buckets_) {
    if (!bucket.empty()) batches.push_back(emit(bucket));
  }
  if (!packed_.empty()) batches.push_back(emit(packed_));
  closed_rows_ = 0;
  open_row_ = RowFootprint{};
  return batches;
}

}  // namespace t5

#include "t5/objectives/pretraining_stream.h"

namespace t5 {

PretrainingStream::PretrainingStream(const Objective& objective, uint64_t seed,
                                     PretrainingStreamOptions options)
    : objective_(objective), options_(options), rng_(seed) {}

void PretrainingStream::add_document(const std::vector<int64_t>& ids) {
  ++documents_;
  if (objective_.skips_pretraining() || ids.empty()) return;
  if (objective_.raw_length() == 0) {
    whole_documents_.push_back(ids);
    return;
  }
  // Compact once the consumed head outweighs what is left.
  if (offset_ > 0 && offset_ * 2 >= static_cast<int64_t>(buffer_.size())) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + offset_);
    offset_ = 0;
  }
  if (options_.document_separator >= 0 && stream_started_) {
    buffer_.push_back(options_.document_separator);
  }
  buffer_.insert(buffer_.end(), ids.begin(), ids.end());
  stream_started_ = true;
}

std::optional<EncodedExample> PretrainingStream::next() {
  if (objective_.skips_pretraining()) return std::nullopt;
  if (objective_.raw_length() == 0) {
    if (whole_documents_.empty()) return std::nullopt;
    auto document = std::move(whole_documents_.front());
    whole_documents_.pop_front();
    ++examples_;
    tokens_used_ += static_cast<int64_t>(document.size());
    return objective_.select(rng_).apply(document, rng_);
  }
  if (pending_ == nullptr) pending_ = &objective_.select(rng_);
  int64_t need = pending_->raw_length() > 0 ? pending_->raw_length() : objective_.raw_length();
  if (buffered() < need) return std::nullopt;
  return take(need);
}

std::optional<EncodedExample> PretrainingStream::finish() {
  if (objective_.skips_pretraining() || buffered() == 0) return std::nullopt;
  if (!options_.keep_remainder) {
    dropped_tokens_ += buffered();
    buffer_.clear();
    offset_ = 0;
    return std::nullopt;
  }
  if (pending_ == nullptr) pending_ = &objective_.select(rng_);
  return take(buffered());
}

EncodedExample PretrainingStream::take(int64_t count) {
  std::vector<int64_t> chunk(buffer_.begin() + offset_, buffer_.begin() + offset_ + count);
  offset_ += count;
  tokens_used_ += count;
  ++examples_;
  const Objective* objective = pending_;
  pending_ = nullptr;
  return objective->apply(chunk, rng_);
}

std::vector<EncodedExample> make_pretraining_examples(
    const Objective& objective, const std::vector<std::vector<int64_t>>& documents, uint64_t seed,
    PretrainingStreamOptions options) {
  PretrainingStream stream(objective, seed, options);
  std::vector<EncodedExample> examples;
  for (const auto& document : documents) {
    stream.add_document(document);
    while (auto example = stream.next()) examples.push_back(std::move(*example));
  }
  if (auto last = stream.finish()) examples.push_back(std::move(*last));
  return examples;
}

}  // namespace t5

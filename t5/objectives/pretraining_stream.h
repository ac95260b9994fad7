#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "t5/objectives/objective.h"

namespace t5 {

struct PretrainingStreamOptions {
  /// Id put between consecutive documents so that a chunk spanning two
  /// shows where one ends: EOS (T5's id 1; set SpecialIds::eos for another
  /// vocabulary), as the issue asks. -1 joins documents directly, as
  /// Google's span-corruption pipeline does.
  int64_t document_separator = 1;
  /// At finish(), make one last example of the tokens left over (shorter
  /// than a chunk), as the reference's splitting does; false drops them and
  /// counts them in dropped_tokens().
  bool keep_remainder = true;
};

// Pretraining text preparation: already-tokenised documents are joined into
// one stream and cut into chunks of the objective's raw length, and each
// chunk becomes one example. Streaming: memory holds at most a chunk plus
// the last document. An objective without a budget (raw length 0) makes one
// example per document. "none" makes no examples. Deterministic given the
// seed and the order of the documents. Keeps a reference to `objective`,
// which must outlive the stream.
class PretrainingStream {
 public:
  PretrainingStream(const Objective& objective, uint64_t seed,
                    PretrainingStreamOptions options = {});

  // Appends a document's ids (without EOS).
  void add_document(const std::vector<int64_t>& ids);

  // The next example, once enough tokens are buffered; nullopt until then.
  std::optional<EncodedExample> next();

  // After the last document: the example of the remainder, if any (call
  // next() until it gives nullopt first).
  std::optional<EncodedExample> finish();

  int64_t documents() const { return documents_; }
  int64_t examples() const { return examples_; }
  // Text tokens (separators included) that went into examples.
  int64_t tokens_used() const { return tokens_used_; }
  int64_t dropped_tokens() const { return dropped_tokens_; }

 private:
  int64_t buffered() const { return static_cast<int64_t>(buffer_.size()) - offset_; }
  EncodedExample take(int64_t count);

  const Objective& objective_;
  PretrainingStreamOptions options_;
  Rng rng_;
  std::vector<int64_t> buffer_;
  int64_t offset_ = 0;
  // The member drawn for the next example (a mixture draws before cutting).
  const Objective* pending_ = nullptr;
  // Documents waiting, for objectives without a raw length.
  std::deque<std::vector<int64_t>> whole_documents_;
  bool stream_started_ = false;
  int64_t documents_ = 0;
  int64_t examples_ = 0;
  int64_t tokens_used_ = 0;
  int64_t dropped_tokens_ = 0;
};

// Every example of `documents`, in order (the remainder included as the
// options say).
std::vector<EncodedExample> make_pretraining_examples(
    const Objective& objective, const std::vector<std::vector<int64_t>>& documents, uint64_t seed,
    PretrainingStreamOptions options = {});

}  // namespace t5

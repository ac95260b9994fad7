#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "t5/objectives/objective.h"
#include "t5/tasks/registry.h"
#include "t5/text/vocabulary.h"
#include "t5/train/batcher.h"
#include "t5/util/json.h"

namespace t5 {

// How a Loader reads, shuffles and batches.
struct LoaderOptions {
  /// The split to read.
  std::string split = "train";
  /// Seed of the shuffle, of the mixture draws and of the objective's noise.
  uint64_t seed = 0;
  /// Examples held in the shuffle buffer (each new example swaps with a
  /// random one of them, as a streaming shuffle does); 0 or 1 keeps the
  /// file order. A buffer at least the split's size shuffles it fully.
  int64_t shuffle_buffer = 8192;
  /// Passes over the data; 0 repeats forever (training by steps). A
  /// mixture repeats each member forever and needs 0.
  int64_t epochs = 0;
  /// Rows, lengths, packing and padding of the batches.
  BatchingOptions batching;

  static LoaderOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
  void validate(const std::string& where) const;
};

// What the loader reads: one task or mixture, and for pretraining the
// objective that turns its texts into examples.
struct LoaderSource {
  /// A task or mixture name of `tasks` / `mixtures`.
  std::string name;
  /// Pretraining: each example's text (its targets, or its inputs when the
  /// targets are empty) is tokenised without EOS and streamed through the
  /// objective (documents joined with EOS, cut into chunks). nullptr:
  /// fine-tuning, the task's inputs and targets are encoded with EOS.
  const Objective* objective = nullptr;
};

class TaskExampleStream;

// Streams a task or mixture through the vocabulary, the objective (when
// pretraining) and a seeded shuffle buffer into batches. Deterministic: the
// same data, options and seed give the same batches, whatever the thread
// count. The position is the number of batches taken; restore() rebuilds
// the stream and replays it to that point (the data pipeline's cost of the
// steps done, a small share of their training time), so a resumed run sees
// exactly the batches an uninterrupted one would. The registries,
// vocabulary and objective must outlive the loader.
class Loader {
 public:
  Loader(const TaskRegistry& tasks, const MixtureRegistry& mixtures,
         const SentencePieceVocabulary& vocabulary, LoaderSource source, LoaderOptions options,
         DataOptions data);
  ~Loader();
  Loader(Loader&&) noexcept;

  // The next batch; nothing once `epochs` passes are done.
  std::optional<Batch> next();

  // {"batches": N, "source": ..., "seed": ...}, for a training checkpoint.
  Json position() const;
  // Restarts from the beginning and skips position["batches"] batches.
  // Throws t5::Error naming `where` when the position was saved by a loader
  // over other data or with another seed.
  void restore(const Json& position, const std::string& where);

  int64_t batches() const { return batches_; }
  // Passes completed over the data (a single task; for a mixture, over its
  // first member).
  int64_t epochs_done() const;
  // Counts over every batch so far: the packing efficiency of the run.
  const BatchStats& totals() const { return batcher_->totals(); }
  const LoaderOptions& options() const { return options_; }

 private:
  void start();
  bool next_example(EncodedExample& example);

  const TaskRegistry& tasks_;
  const MixtureRegistry& mixtures_;
  const SentencePieceVocabulary& vocabulary_;
  LoaderSource source_;
  LoaderOptions options_;
  DataOptions data_;
  // Members and their cumulative sampling rates (one member for a task).
  std::vector<std::unique_ptr<TaskExampleStream>> members_;
  std::vector<double> cumulative_rates_;
  std::unique_ptr<Rng> mixture_rng_;
  std::unique_ptr<Rng> shuffle_rng_;
  std::vector<EncodedExample> shuffle_buffer_;
  std::unique_ptr<Batcher> batcher_;
  std::vector<Batch> flushed_;
  bool exhausted_ = false;
  // Whether the batcher's partly filled batches were taken at the end.
  bool drained_ = false;
  int64_t batches_ = 0;
};

}  // namespace t5

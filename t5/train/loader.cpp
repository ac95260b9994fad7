#include "t5/train/loader.h"

#include <algorithm>

#include "t5/objectives/pretraining_stream.h"
#include "t5/util/names.h"

namespace t5 {

namespace {

std::vector<int64_t> encode_ids(const SentencePieceVocabulary& vocabulary, const std::string& text,
                                Eos eos) {
  std::vector<int> ids = vocabulary.encode(text, eos);
  return std::vector<int64_t>(ids.begin(), ids.end());
}

// Stream numbers of Rng::derive, one per use of the loader's seed.
constexpr uint64_t kMixtureStream = 1000;
constexpr uint64_t kShuffleStream = 1001;

}  // namespace

// One task's examples, encoded, pass after pass.
class TaskExampleStream {
 public:
  TaskExampleStream(const Task& task, const SentencePieceVocabulary& vocabulary,
                    const Objective* objective, const LoaderOptions& options,
                    const DataOptions& data, uint64_t seed, int64_t epochs)
      : task_(task),
        vocabulary_(vocabulary),
        objective_(objective),
        split_(options.split),
        data_(data),
        epochs_(epochs) {
    if (objective_ != nullptr) stream_ = std::make_unique<PretrainingStream>(*objective_, seed);
  }

  // The next example; false after the last pass.
  bool next(EncodedExample& out) {
    if (objective_ == nullptr) return next_formatted(out);
    while (true) {
      if (auto example = stream_->next()) {
        out = std::move(*example);
        return true;
      }
      Example document;
      if (!read(document)) {
        auto remainder = stream_->finish();
        if (!remainder) return false;
        out = std::move(*remainder);
        return true;
      }
      const std::string& text = document.targets.empty() ? document.inputs : document.targets;
      std::vector<int64_t> ids = encode_ids(vocabulary_, text, Eos::kOmit);
      if (!ids.empty()) stream_->add_document(ids);
    }
  }

  int64_t epochs_done() const { return epochs_done_; }

 private:
  bool next_formatted(EncodedExample& out) {
    Example example;
    if (!read(example)) return false;
    out.inputs = encode_ids(vocabulary_, example.inputs, Eos::kAppend);
    out.targets = encode_ids(vocabulary_, example.targets, Eos::kAppend);
    return true;
  }

  // The next formatted example, reopening the split for each pass.
  bool read(Example& example) {
    while (true) {
      if (!reader_) {
        if (epochs_ > 0 && epochs_done_ >= epochs_) return false;
        reader_.emplace(task_.read(split_, data_));
        examples_this_pass_ = 0;
      }
      if (reader_->next(example)) {
        ++examples_this_pass_;
        return true;
      }
      T5_CHECK(examples_this_pass_ > 0,
               "task '{}': split '{}' has no examples; check its files under the data folder",
               task_.name(), split_);
      reader_.reset();
      ++epochs_done_;
    }
  }

  const Task& task_;
  const SentencePieceVocabulary& vocabulary_;
  const Objective* objective_;
  std::string split_;
  DataOptions data_;
  int64_t epochs_;
  std::optional<ExampleReader> reader_;
  std::unique_ptr<PretrainingStream> stream_;
  int64_t examples_this_pass_ = 0;
  int64_t epochs_done_ = 0;
};

LoaderOptions LoaderOptions::from_json(const Json& json, const std::string& where) {
  LoaderOptions options;
  JsonFields fields(json, where);
  fields.get("split", options.split);
  fields.get("seed", options.seed);
  fields.get("shuffle_buffer", options.shuffle_buffer);
  fields.get("epochs", options.epochs);
  Json batching = options.batching.to_json();
  fields.get("batching", batching);
  fields.finish();
  options.batching = BatchingOptions::from_json(batching, where + ".batching");
  options.validate(where);
  return options;
}

Json LoaderOptions::to_json() const {
  return {{"split", split},
          {"seed", seed},
          {"shuffle_buffer", shuffle_buffer},
          {"epochs", epochs},
          {"batching", batching.to_json()}};
}

void LoaderOptions::validate(const std::string& where) const {
  T5_CHECK(!split.empty(), "{}: key 'split': expected a split name such as \"train\", got \"\"",
           where);
  T5_CHECK(shuffle_buffer >= 0, "{}: key 'shuffle_buffer': expected 0 or more examples, got {}",
           where, shuffle_buffer);
  T5_CHECK(epochs >= 0, "{}: key 'epochs': expected 0 (repeat forever) or more, got {}", where,
           epochs);
  batching.validate(where + ".batching");
}

Loader::Loader(const TaskRegistry& tasks, const MixtureRegistry& mixtures,
               const SentencePieceVocabulary& vocabulary, LoaderSource source,
               LoaderOptions options, DataOptions data)
    : tasks_(tasks),
      mixtures_(mixtures),
      vocabulary_(vocabulary),
      source_(std::move(source)),
      options_(std::move(options)),
      data_(std::move(data)) {
  options_.validate("loader");
  T5_CHECK(source_.objective == nullptr || !source_.objective->skips_pretraining(),
           "objective '{}' makes no examples: a run with it skips pretraining instead of "
           "loading data",
           source_.objective ? source_.objective->name() : "");
  start();
}

Loader::~Loader() = default;
Loader::Loader(Loader&&) noexcept = default;

void Loader::start() {
  members_.clear();
  cumulative_rates_.clear();
  std::vector<std::pair<std::string, double>> members;
  if (tasks_.contains(source_.name)) {
    members.emplace_back(source_.name, 1.0);
  } else if (mixtures_.contains(source_.name)) {
    T5_CHECK(options_.epochs == 0,
             "mixture '{}': 'epochs' {} needs a single task (a mixture samples its tasks "
             "forever); give a budget in steps instead",
             source_.name, options_.epochs);
    for (const MixtureRate& rate : mixture_rates(mixtures_.get(source_.name), tasks_, data_)) {
      if (rate.rate > 0) members.emplace_back(rate.task, rate.rate);
    }
  } else {
    std::vector<std::string> names = tasks_.list();
    for (const std::string& name : mixtures_.list()) names.push_back(name);
    fail("no task or mixture named '{}'{}; `t5 tasks list` shows them", source_.name,
         did_you_mean(source_.name, names));
  }

  double total = 0;
  for (size_t i = 0; i < members.size(); ++i) {
    const Task& task = tasks_.get(members[i].first);
    uint64_t seed = Rng::derive(options_.seed, i).next();
    members_.push_back(std::make_unique<TaskExampleStream>(task, vocabulary_, source_.objective,
                                                           options_, data_, seed, options_.epochs));
    total += members[i].second;
    cumulative_rates_.push_back(total);
  }
  for (double& rate : cumulative_rates_) rate /= total;
  mixture_rng_ = std::make_unique<Rng>(Rng::derive(options_.seed, kMixtureStream));
  shuffle_rng_ = std::make_unique<Rng>(Rng::derive(options_.seed, kShuffleStream));
  shuffle_buffer_.clear();
  batcher_ = std::make_unique<Batcher>(options_.batching);
  flushed_.clear();
  exhausted_ = false;
  drained_ = false;
  batches_ = 0;
}

bool Loader::next_example(EncodedExample& example) {
  // Fill the shuffle buffer, then hand out a random one of its examples.
  size_t capacity = static_cast<size_t>(std::max<int64_t>(options_.shuffle_buffer, 1));
  while (!exhausted_ && shuffle_buffer_.size() < capacity) {
    size_t member = 0;
    if (members_.size() > 1) {
      double draw = mixture_rng_->uniform();
      member = std::upper_bound(cumulative_rates_.begin(), cumulative_rates_.end(), draw) -
               cumulative_rates_.begin();
      member = std::min(member, members_.size() - 1);
    }
    EncodedExample read;
    if (!members_[member]->next(read)) {
      exhausted_ = true;
      break;
    }
    shuffle_buffer_.push_back(std::move(read));
  }
  if (shuffle_buffer_.empty()) return false;
  size_t pick = capacity > 1 ? shuffle_rng_->below(shuffle_buffer_.size()) : 0;
  example = std::move(shuffle_buffer_[pick]);
  shuffle_buffer_[pick] = std::move(shuffle_buffer_.back());
  shuffle_buffer_.pop_back();
  return true;
}

std::optional<Batch> Loader::next() {
  EncodedExample example;
  while (flushed_.empty() && next_example(example)) {
    if (auto batch = batcher_->add(std::move(example))) {
      ++batches_;
      return batch;
    }
  }
  if (exhausted_ && shuffle_buffer_.empty() && !drained_) {
    for (Batch& batch : batcher_->flush()) flushed_.push_back(std::move(batch));
    drained_ = true;
  }
  if (flushed_.empty()) return std::nullopt;
  Batch batch = std::move(flushed_.front());
  flushed_.erase(flushed_.begin());
  ++batches_;
  return batch;
}

Json Loader::position() const {
  return {{"batches", batches_},
          {"source", source_.name},
          {"split", options_.split},
          {"seed", options_.seed}};
}

void Loader::restore(const Json& position, const std::string& where) {
  JsonFields fields(position, where);
  int64_t batches = 0;
  std::string name, split;
  uint64_t seed = 0;
  fields.get("batches", batches);
  fields.get("source", name);
  fields.get("split", split);
  fields.get("seed", seed);
  fields.finish();
  T5_CHECK(name == source_.name && split == options_.split && seed == options_.seed,
           "{}: the data position was saved reading '{}' split '{}' with seed {}, but this run "
           "reads '{}' split '{}' with seed {}; resume with the run's own config",
           where, name, split, seed, source_.name, options_.split, options_.seed);
  start();
  for (int64_t i = 0; i < batches; ++i) {
    T5_CHECK(next().has_value(),
             "{}: the data position is batch {}, but the data ends after batch {}", where, batches,
             i);
  }
}

int64_t Loader::epochs_done() const { return members_.front()->epochs_done(); }

}  // namespace t5

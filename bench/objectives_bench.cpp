// Objectives and packing benchmark (not run by CI): how many text tokens per
// second one core turns into examples, per objective, and how many example
// tokens per second batching packs or pads into tensors.
//
//   build/bin/objectives_bench [--tokens 2000000] [--inputs 512] [--targets 0]
//                              [--batch 128] [--seed 1]
//
// Documents are random ids (T5's 32000 pieces) of 20 to 2000 tokens. The
// objective figures count text tokens consumed (chunks cut from the stream,
// separators included); the batching figures count non-padding tokens in
// the batches. Everything runs on one thread (LibTorch set to 1).
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "t5/objectives/pretraining_stream.h"
#include "t5/objectives/registry.h"
#include "t5/train/batcher.h"

namespace {

struct BenchOptions {
  int64_t tokens = 2000000;
  int64_t inputs = 512;
  int64_t targets = 0;
  int64_t batch = 128;
  uint64_t seed = 1;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

BenchOptions parse(int argc, char** argv) {
  BenchOptions options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    std::string value = argv[i + 1];
    if (key == "--tokens") {
      options.tokens = std::stoll(value);
    } else if (key == "--inputs") {
      options.inputs = std::stoll(value);
    } else if (key == "--targets") {
      options.targets = std::stoll(value);
    } else if (key == "--batch") {
      options.batch = std::stoll(value);
    } else if (key == "--seed") {
      options.seed = std::stoull(value);
    } else {
      std::fprintf(stderr, "unknown option %s\n", key.c_str());
      std::exit(2);
    }
  }
  return options;
}

std::vector<std::vector<int64_t>> random_documents(int64_t tokens, uint64_t seed) {
  t5::Rng rng(seed);
  std::vector<std::vector<int64_t>> documents;
  for (int64_t total = 0; total < tokens;) {
    std::vector<int64_t> document(rng.range(20, 2001));
    for (auto& id : document) id = rng.range(3, 32000);
    total += static_cast<int64_t>(document.size());
    documents.push_back(std::move(document));
  }
  return documents;
}

// Runs the stream over every document; returns the examples.
std::vector<t5::EncodedExample> run_objective(const t5::Objective& objective,
                                              const std::vector<std::vector<int64_t>>& documents,
                                              uint64_t seed, int64_t& tokens_used) {
  t5::PretrainingStream stream(objective, seed);
  std::vector<t5::EncodedExample> examples;
  for (const auto& document : documents) {
    stream.add_document(document);
    while (auto example = stream.next()) examples.push_back(std::move(*example));
  }
  if (auto last = stream.finish()) examples.push_back(std::move(*last));
  tokens_used = stream.tokens_used();
  return examples;
}

void bench_batching(const char* label, const std::vector<t5::EncodedExample>& examples,
                    const BenchOptions& options, bool pack) {
  t5::BatchingOptions batching;
  batching.inputs_length = options.inputs;
  batching.targets_length = 128;
  batching.batch_size = options.batch;
  batching.pack = pack;
  auto start = std::chrono::steady_clock::now();
  t5::Batcher batcher(batching);
  int64_t batches = 0;
  for (const auto& example : examples) batches += batcher.add(example).has_value();
  batches += static_cast<int64_t>(batcher.flush().size());
  double seconds = seconds_since(start);
  const auto& totals = batcher.totals();
  double tokens = static_cast<double>(totals.input_tokens + totals.target_tokens);
  std::printf(
      "batching %s pack=%d inputs=%lld targets=128 batch=%lld: %lld examples in %lld batches, "
      "%.0f tokens/s/core, efficiency=%.3f (inputs %.3f, targets %.3f)\n",
      label, pack ? 1 : 0, (long long)options.inputs, (long long)options.batch,
      (long long)totals.examples, (long long)batches, tokens / seconds, totals.efficiency(),
      totals.input_efficiency(), totals.target_efficiency());
}

}  // namespace

int main(int argc, char** argv) {
  auto options = parse(argc, argv);
  torch::set_num_threads(1);
  auto documents = random_documents(options.tokens, options.seed);
  std::printf("documents=%zu tokens>=%lld inputs=%lld targets=%lld threads=1\n", documents.size(),
              (long long)options.tokens, (long long)options.inputs, (long long)options.targets);

  // Objectives: text tokens consumed per second.
  t5::ObjectiveRegistry registry;
  t5::register_builtin_objectives(registry);
  t5::ObjectiveContext context;
  context.lengths = {options.inputs, options.targets};
  std::vector<t5::EncodedExample> span_examples;
  for (const auto& name : registry.names()) {
    if (name == "mixture_of_denoisers" || name == "none") continue;
    t5::ObjectiveContext own = context;
    // Plain language modeling reads the targets budget only.
    if (name == "language_modeling" && own.lengths.targets == 0) own.lengths.targets = 512;
    auto objective = registry.create(name, own);
    int64_t used = 0;
    auto start = std::chrono::steady_clock::now();
    auto examples = run_objective(*objective, documents, options.seed, used);
    double seconds = seconds_since(start);
    std::printf("objective=%-18s raw_length=%4lld examples=%7zu %10.0f tokens/s/core\n",
                name.c_str(), (long long)objective->raw_length(), examples.size(), used / seconds);
    if (name == "span_corruption") span_examples = std::move(examples);
  }

  // Batching, padded and packed: the span-corruption chunks (all but one of
  // the planned length), then short examples of varied length (span
  // corruption of whole documents of 20 to 300 tokens).
  bench_batching("chunks", span_examples, options, /*pack=*/false);
  bench_batching("chunks", span_examples, options, /*pack=*/true);
  t5::ObjectiveContext unbounded;
  auto whole = registry.create("span_corruption", unbounded);
  t5::Rng rng(options.seed);
  std::vector<t5::EncodedExample> short_examples;
  for (int64_t total = 0; total < options.tokens / 4;) {
    std::vector<int64_t> text(rng.range(20, 301));
    for (auto& id : text) id = rng.range(3, 32000);
    total += static_cast<int64_t>(text.size());
    short_examples.push_back(whole->apply(text, rng));
  }
  bench_batching("short", short_examples, options, /*pack=*/false);
  bench_batching("short", short_examples, options, /*pack=*/true);
  return 0;
}

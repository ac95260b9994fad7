// Task benchmark (not run by CI): how fast a split is read and formatted
// into inputs/targets text, and then also tokenised with T5's vocabulary
// (inputs and targets, EOS appended), in examples per second.
//
//   build/bin/tasks_bench [--data-dir DIR] [--task glue_sst2] [--split train] [--repeat 3]
//
// The data root defaults to T5_DATA_DIR; the vocabulary is t5/spiece.model
// under it. Each pass streams the whole split from disk; the best and the
// mean pass are reported for each mode.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "t5/tasks/registry.h"
#include "t5/text/vocabulary.h"

namespace {

struct BenchOptions {
  std::string data_dir;
  std::string task = "glue_sst2";
  std::string split = "train";
  int repeat = 3;
};

BenchOptions parse(int argc, char** argv) {
  BenchOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    T5_CHECK(i + 1 < argc, "{} needs a value", flag);
    std::string value = argv[++i];
    if (flag == "--data-dir") {
      options.data_dir = value;
    } else if (flag == "--task") {
      options.task = value;
    } else if (flag == "--split") {
      options.split = value;
    } else if (flag == "--repeat") {
      options.repeat = std::stoi(value);
    } else {
      t5::fail("unknown flag {}; known: --data-dir, --task, --split, --repeat", flag);
    }
  }
  T5_CHECK(options.repeat > 0, "--repeat must be positive, got {}", options.repeat);
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    BenchOptions options = parse(argc, argv);
    t5::TaskRegistry tasks;
    t5::MixtureRegistry mixtures;
    t5::register_builtin_tasks(tasks, mixtures);
    const t5::Task& task = tasks.get(options.task);
    t5::DataOptions data;
    data.data_dir = t5::resolve_data_dir(options.data_dir);

    t5::SentencePieceVocabulary vocab(data.data_dir / "t5" / "spiece.model");
    for (bool tokenise : {false, true}) {
      double best = 0;
      double total_seconds = 0;
      int64_t examples = 0;
      int64_t tokens = 0;
      for (int pass = 0; pass < options.repeat; ++pass) {
        auto start = std::chrono::steady_clock::now();
        t5::ExampleReader reader = task.read(options.split, data);
        t5::Example example;
        examples = 0;
        tokens = 0;
        while (reader.next(example)) {
          ++examples;
          if (tokenise) {
            tokens += vocab.encode(example.inputs, t5::Eos::kAppend).size();
            tokens += vocab.encode(example.targets, t5::Eos::kAppend).size();
          }
        }
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        total_seconds += seconds;
        best = std::max(best, examples / seconds);
      }
      std::printf("%s/%s %s: %lld examples%s; examples/s best %.0f, mean %.0f over %d passes\n",
                  options.task.c_str(), options.split.c_str(),
                  tokenise ? "formatted+tokenised" : "formatted", static_cast<long long>(examples),
                  tokenise ? (", " + std::to_string(tokens) + " tokens").c_str() : "", best,
                  examples * options.repeat / total_seconds, options.repeat);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}

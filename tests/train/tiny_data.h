#pragma once

#include <memory>
#include <string>

#include "t5/tasks/registry.h"
#include "t5/text/vocabulary.h"
#include "t5/train/loader.h"
#include "tests/tasks/task_test_util.h"

namespace t5::testing {

// A temporary data folder for loader and trainer tests: a vocabulary of 50
// pieces and 10 sentinels trained on the tiny corpus (corpus.txt), and
// registries to add small tasks to.
struct TinyData {
  TempDir dir;
  std::unique_ptr<SentencePieceVocabulary> vocabulary;
  TaskRegistry tasks;
  MixtureRegistry mixtures;
  DataOptions data;

  TinyData();

  // Writes `rows` ("sentence\tlabel" lines after that header) to `file` and
  // registers the TSV task `name` over it, inputs from `inputs` (a template
  // of {sentence}) and the 0/1 labels named `label_names`.
  void add_tsv_task(const std::string& name, const std::string& file, const std::string& rows,
                    const std::string& inputs, const std::vector<std::string>& label_names);

  Loader loader(const std::string& name, LoaderOptions options,
                const Objective* objective = nullptr) const {
    return Loader(tasks, mixtures, *vocabulary, {name, objective}, std::move(options), data);
  }
};

}  // namespace t5::testing

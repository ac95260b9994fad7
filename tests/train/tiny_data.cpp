#include "tests/train/tiny_data.h"

#include "t5/text/vocabulary_trainer.h"
#include "tests/support/tiny_corpus.h"

namespace t5::testing {

TinyData::TinyData() {
  auto corpus = dir.path() / "corpus.txt";
  write_tiny_corpus(corpus);
  train_vocabulary(VocabularyTrainOptions({corpus.string()}, 50).num_threads(1),
                   dir.path() / "tiny.model");
  vocabulary = std::make_unique<SentencePieceVocabulary>(dir.path() / "tiny.model", 10);
  data.data_dir = dir.path();
}

void TinyData::add_tsv_task(const std::string& name, const std::string& file,
                            const std::string& rows, const std::string& inputs,
                            const std::vector<std::string>& label_names) {
  dir.write(file, "sentence\tlabel\n" + rows);
  static const Processors processors = Processors::builtin();
  Json spec = {{"name", name},
               {"source", {{"format", "tsv"}, {"splits", {{"train", file}}}}},
               {"fields", {{"sentence", "sentence"}, {"label", "label"}}},
               {"inputs", inputs},
               {"targets", "{label}"},
               {"label_names", label_names},
               {"metrics", {"accuracy"}}};
  tasks.add(Task(TaskSpec::from_json(spec, name + ".json"), processors));
}

}  // namespace t5::testing

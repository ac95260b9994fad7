#pragma once

#include <torch/arg.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "t5/util/json.h"

namespace t5 {

// The SentencePiece algorithms a vocabulary can be trained with.
inline const std::vector<std::string> kSentencePieceModelTypes = {"unigram", "bpe", "char", "word"};

// How to train a SentencePiece vocabulary for T5. The trained model has
// PAD 0, EOS 1, UNK 2 and no BOS, like T5's spiece.model; sentinels are not
// stored in it but added when it is loaded (SentencePieceVocabulary).
//
// Training is deterministic: the same inputs and options give the same
// model. There is no seed to set, because the SentencePiece this toolkit
// builds on (Debian's 0.1.97) samples input sentences with a fixed seed of
// its own and ignores its random_seed setting there.
struct VocabularyTrainOptions {
  VocabularyTrainOptions(std::vector<std::string> input_files, int vocab_size)
      : input_files_(std::move(input_files)), vocab_size_(vocab_size) {}

  /// Text files read as one sentence per line. Required.
  TORCH_ARG(std::vector<std::string>, input_files);
  /// Pieces of the model, PAD, EOS and UNK included (T5: 32000). Required.
  TORCH_ARG(int, vocab_size);
  /// SentencePiece algorithm: "unigram" (T5's), "bpe", "char" or "word".
  TORCH_ARG(std::string, model_type) = "unigram";
  /// Share of the input's characters the pieces must cover; the rarest
  /// characters beyond it become UNK. 1.0 (default) keeps every character;
  /// 0.9995 suits scripts with very many characters.
  TORCH_ARG(double, character_coverage) = 1.0;
  /// Sentences sampled from the input to train on, more than 100; 0
  /// (default) trains on all of them.
  TORCH_ARG(int64_t, input_sentence_size) = 0;
  /// Trainer threads; 0 (default) resolves like --threads (T5_THREADS, else
  /// every core).
  TORCH_ARG(int, num_threads) = 0;
};

// Throws t5::Error naming the first option out of range and what is
// accepted; input files must exist.
void validate(const VocabularyTrainOptions& options);

// JSON object with the option names above (input_files, vocab_size, ...);
// `where` prefixes errors, which name unknown keys and missing required ones.
VocabularyTrainOptions vocabulary_train_options_from_json(const Json& json,
                                                          const std::string& where);
Json to_json(const VocabularyTrainOptions& options);

// Trains a model and writes it atomically to `out` (a .model file). Logs the
// start and the result under [text]; SentencePiece's own progress lines go
// to stderr when the default logger shows DEBUG. Throws t5::Error when the
// options are invalid or SentencePiece refuses the data (its message says
// why, e.g. a vocab_size larger than the text allows).
void train_vocabulary(const VocabularyTrainOptions& options, const std::filesystem::path& out);

}  // namespace t5

#include "t5/text/vocabulary_trainer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <system_error>

#include "t5/text/sentencepiece_loader.h"
#include "t5/util/error.h"
#include "t5/util/files.h"
#include "t5/util/log.h"
#include "t5/util/names.h"
#include "t5/util/threads.h"

namespace t5 {
namespace {

namespace fs = std::filesystem;

// SentencePiece's trainer flags for `options`. The special ids are T5's:
// PAD 0, EOS 1, UNK 2, and no BOS (T5 never uses one).
std::map<std::string, std::string> trainer_flags(const VocabularyTrainOptions& options) {
  bool verbose = default_logger().level() <= LogLevel::kDebug;
  return {
      {"model_type", options.model_type()},
      {"vocab_size", std::to_string(options.vocab_size())},
      {"character_coverage", fmt::format("{}", options.character_coverage())},
      {"input_sentence_size", std::to_string(options.input_sentence_size())},
      {"shuffle_input_sentence", "true"},
      {"num_threads", std::to_string(resolve_thread_count(options.num_threads()))},
      {"pad_id", "0"},
      {"eos_id", "1"},
      {"unk_id", "2"},
      {"bos_id", "-1"},
      // 0 shows SentencePiece's INFO progress lines, 1 only its warnings.
      {"minloglevel", verbose ? "0" : "1"},
  };
}

}  // namespace

void validate(const VocabularyTrainOptions& options) {
  T5_CHECK(!options.input_files().empty(),
           "vocabulary training: no input files; pass text files with one sentence per line");
  for (const auto& file : options.input_files()) {
    std::error_code ec;
    T5_CHECK(fs::is_regular_file(file, ec), "vocabulary training: input {}: no such file", file);
  }
  const auto& types = kSentencePieceModelTypes;
  T5_CHECK(std::find(types.begin(), types.end(), options.model_type()) != types.end(),
           "vocabulary training: unknown model type '{}'{}; expected one of {}",
           options.model_type(), did_you_mean(options.model_type(), types), fmt::join(types, ", "));
  T5_CHECK(options.vocab_size() > 3,
           "vocabulary training: vocab_size must be more than 3 (PAD, EOS and UNK take ids 0 to "
           "2), got {}",
           options.vocab_size());
  T5_CHECK(options.character_coverage() > 0 && options.character_coverage() <= 1,
           "vocabulary training: character_coverage must be in (0, 1], got {}",
           options.character_coverage());
  // SentencePiece refuses samples of 100 sentences or fewer.
  T5_CHECK(options.input_sentence_size() == 0 || options.input_sentence_size() > 100,
           "vocabulary training: input_sentence_size must be 0 (all sentences) or more than 100, "
           "got {}",
           options.input_sentence_size());
  T5_CHECK(options.num_threads() >= 0,
           "vocabulary training: num_threads must be 0 (automatic) or more, got {}",
           options.num_threads());
}

VocabularyTrainOptions vocabulary_train_options_from_json(const Json& json,
                                                          const std::string& where) {
  for (const char* key : {"input_files", "vocab_size"}) {
    T5_CHECK(json.is_object() && json.contains(key), "{}: missing required key '{}'", where, key);
  }
  VocabularyTrainOptions options({}, 0);
  JsonFields fields(json, where);
  fields.get("input_files", options.input_files());
  fields.get("vocab_size", options.vocab_size());
  fields.get("model_type", options.model_type());
  fields.get("character_coverage", options.character_coverage());
  fields.get("input_sentence_size", options.input_sentence_size());
  fields.get("num_threads", options.num_threads());
  fields.finish();
  return options;
}

Json to_json(const VocabularyTrainOptions& options) {
  return Json{{"input_files", options.input_files()},
              {"vocab_size", options.vocab_size()},
              {"model_type", options.model_type()},
              {"character_coverage", options.character_coverage()},
              {"input_sentence_size", options.input_sentence_size()},
              {"num_threads", options.num_threads()}};
}

void train_vocabulary(const VocabularyTrainOptions& options, const fs::path& out) {
  validate(options);
  default_logger().info("text", "training a {} vocabulary of {} pieces on {} file(s) for {}",
                        options.model_type(), options.vocab_size(), options.input_files().size(),
                        out.string());

  SentencePieceTrainRequest request{options.input_files(), trainer_flags(options)};
  std::string model;
  std::string error;
  T5_CHECK(sentencepiece_backend().train(request, &model, &error),
           "vocabulary training for {} failed: {}", out.string(), error);

  write_text_atomically(out, model);
  default_logger().info("text", "wrote {} ({} bytes)", out.string(), model.size());
}

}  // namespace t5

// `t5 vocab`: train, inspect and use SentencePiece vocabularies with T5's
// sentinels.
#include <ATen/Parallel.h>
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apps/commands.h"
#include "t5/text/vocabulary.h"
#include "t5/text/vocabulary_trainer.h"

namespace t5::apps {
namespace {

using OrderedJson = nlohmann::ordered_json;

// Invalid UTF-8 in a piece (from invalid input text) is replaced, not fatal.
std::string dump_line(const OrderedJson& json) {
  return json.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

CLI::Option* add_vocab_option(CLI::App* command, std::string& path) {
  return command->add_option("--vocab", path, "SentencePiece .model file (T5's: spiece.model)")
      ->required();
}

CLI::Option* add_extra_ids_option(CLI::App* command, int& extra_ids) {
  return command->add_option("--extra-ids", extra_ids, "sentinels added on top of the model")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
}

OrderedJson info_json(const SentencePieceVocabulary& vocab) {
  OrderedJson sentinels = nullptr;
  if (vocab.extra_ids() > 0) sentinels = {vocab.base_size(), vocab.size() - 1};
  return {{"vocabulary", vocab.path().string()},
          {"base_size", vocab.base_size()},
          {"extra_ids", vocab.extra_ids()},
          {"size", vocab.size()},
          {"embedding_size", embedding_size(vocab.size())},
          {"pad_id", vocab.pad_id()},
          {"eos_id", vocab.eos_id()},
          {"unk_id", vocab.unk_id()},
          {"sentinel_range", sentinels}};
}

std::string sentinel_summary(const SentencePieceVocabulary& vocab) {
  if (vocab.extra_ids() == 0) return "none";
  int last = vocab.extra_ids() - 1;
  if (last == 0) return fmt::format("<extra_id_0> = {}", vocab.sentinel_id(0));
  return fmt::format("<extra_id_0> = {} ... <extra_id_{}> = {}", vocab.sentinel_id(0), last,
                     vocab.sentinel_id(last));
}

void print_info_text(const SentencePieceVocabulary& vocab) {
  std::cout << fmt::format("vocabulary      {}\n", vocab.path().string())
            << fmt::format("base size       {}\n", vocab.base_size())
            << fmt::format("extra ids       {}\n", vocab.extra_ids())
            << fmt::format("size            {}\n", vocab.size())
            << fmt::format("embedding size  {}\n", embedding_size(vocab.size()))
            << fmt::format("pad id          {}\n", vocab.pad_id())
            << fmt::format("eos id          {}\n", vocab.eos_id())
            << fmt::format("unk id          {}\n", vocab.unk_id())
            << fmt::format("sentinels       {}\n", sentinel_summary(vocab));
}

void add_train(CLI::App* vocab) {
  auto* command = vocab->add_subcommand("train", "train a SentencePiece vocabulary on text files");
  auto options = std::make_shared<VocabularyTrainOptions>(std::vector<std::string>{}, 0);
  auto out = std::make_shared<std::string>();
  auto extra_ids = std::make_shared<int>(kDefaultExtraIds);
  command->add_option("--input", options->input_files(), "text files, one sentence per line")
      ->required();
  command->add_option("--out", *out, "model file to write (PATH.model)")->required();
  command->add_option("--vocab-size", options->vocab_size(), "pieces, PAD/EOS/UNK included")
      ->required();
  command->add_option("--model-type", options->model_type(), "unigram, bpe, char or word")
      ->capture_default_str();
  command
      ->add_option("--character-coverage", options->character_coverage(),
                   "share of characters covered; the rest become UNK")
      ->capture_default_str();
  command
      ->add_option("--input-sentence-size", options->input_sentence_size(),
                   "sentences sampled for training (0: all)")
      ->capture_default_str();
  add_extra_ids_option(command, *extra_ids);
  command->callback([=] {
    // The root's --threads (or T5_THREADS) has set LibTorch's count by now.
    options->num_threads(at::get_num_threads());
    train_vocabulary(*options, *out);
    SentencePieceVocabulary trained(*out, *extra_ids);
    std::cout << fmt::format("wrote {}: {} pieces + {} extra ids = {} ids (embedding size {})\n",
                             *out, trained.base_size(), trained.extra_ids(), trained.size(),
                             embedding_size(trained.size()));
  });
}

void add_info(CLI::App* vocab) {
  auto* command = vocab->add_subcommand("info", "sizes, special ids and sentinels of a vocabulary");
  auto path = std::make_shared<std::string>();
  auto extra_ids = std::make_shared<int>(kDefaultExtraIds);
  auto json = std::make_shared<bool>(false);
  add_vocab_option(command, *path);
  add_extra_ids_option(command, *extra_ids);
  command->add_flag("--json", *json,
                    "one JSON object instead of text; sentinel_range is [lowest, highest] id");
  command->callback([=] {
    SentencePieceVocabulary vocab(*path, *extra_ids);
    if (*json) {
      print_json_line(dump_line(info_json(vocab)));
    } else {
      print_info_text(vocab);
    }
  });
}

void add_encode(CLI::App* vocab) {
  auto* command = vocab->add_subcommand("encode", "print the ids of each text, one line per text");
  auto path = std::make_shared<std::string>();
  auto extra_ids = std::make_shared<int>(kDefaultExtraIds);
  auto texts = std::make_shared<std::vector<std::string>>();
  auto eos = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  add_vocab_option(command, *path);
  add_extra_ids_option(command, *extra_ids);
  command->add_flag("--eos", *eos, "append EOS, as T5 does to every feature");
  command->add_flag("--json", *json, R"(print {"ids": [...], "pieces": [...]} per text)");
  command->add_option("text", *texts, "texts to encode")->required();
  command->callback([=] {
    SentencePieceVocabulary vocab(*path, *extra_ids);
    for (const auto& text : *texts) {
      SentencePieceEncoding encoding = vocab.encode_pieces(text, *eos ? Eos::kAppend : Eos::kOmit);
      if (*json) {
        print_json_line(dump_line({{"ids", encoding.ids}, {"pieces", encoding.pieces}}));
      } else {
        std::cout << fmt::format("{}\n", fmt::join(encoding.ids, " "));
      }
    }
  });
}

void add_decode(CLI::App* vocab) {
  auto* command = vocab->add_subcommand("decode", "print the text of ids (up to the first EOS)");
  auto path = std::make_shared<std::string>();
  auto extra_ids = std::make_shared<int>(kDefaultExtraIds);
  auto ids = std::make_shared<std::vector<int>>();
  add_vocab_option(command, *path);
  add_extra_ids_option(command, *extra_ids);
  command->add_option("ids", *ids, "token ids")->required();
  command->callback([=] {
    SentencePieceVocabulary vocab(*path, *extra_ids);
    std::cout << vocab.decode(*ids) << "\n";
  });
}

}  // namespace

void add_vocab_command(CLI::App& app) {
  auto* vocab = app.add_subcommand("vocab", "SentencePiece vocabularies with T5's sentinels");
  vocab->require_subcommand(1);
  add_train(vocab);
  add_info(vocab);
  add_encode(vocab);
  add_decode(vocab);
}

}  // namespace t5::apps

// `t5 generate`: decode from a saved model.
#include <fmt/format.h>
#include <torch/torch.h>

#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "apps/commands.h"
#include "t5/model/checkpoint.h"
#include "t5/model/generate.h"
#include "t5/text/vocabulary.h"
#include "t5/util/error.h"
#include "t5/util/json.h"

namespace t5::apps {
namespace {

struct GenerateCommandOptions {
  std::string model;
  std::string vocab;
  std::vector<std::string> ids;
  std::vector<std::string> texts;
  bool json = false;
  std::string penalty = "power";
  GenerateOptions generate;
};

std::vector<int64_t> parse_ids(const std::string& text, int64_t vocab_size) {
  std::vector<int64_t> ids;
  std::istringstream in(text);
  std::string word;
  while (in >> word) {
    size_t used = 0;
    int64_t id = -1;
    try {
      id = std::stoll(word, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    T5_CHECK(used == word.size(), "--ids: expected space-separated integer ids, got '{}' in \"{}\"",
             word, text);
    T5_CHECK(id >= 0 && id < vocab_size, "--ids: id {} is outside the vocabulary [0, {})", id,
             vocab_size);
    ids.push_back(id);
  }
  T5_CHECK(!ids.empty(), "--ids: expected at least one id, got \"{}\"", text);
  return ids;
}

// Right-pads the rows into ids and mask tensors.
std::pair<torch::Tensor, torch::Tensor> batch_rows(const std::vector<std::vector<int64_t>>& rows) {
  size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.size());
  auto ids =
      torch::zeros({static_cast<int64_t>(rows.size()), static_cast<int64_t>(width)}, torch::kLong);
  auto mask = torch::zeros_like(ids);
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t j = 0; j < rows[i].size(); ++j) {
      ids[i][j] = rows[i][j];
      mask[i][j] = 1;
    }
  }
  return {ids, mask};
}

// The vocabulary for --text: --vocab, else the model folder's spiece.model.
std::optional<SentencePieceVocabulary> find_vocabulary(const GenerateCommandOptions& options) {
  std::filesystem::path path = options.vocab;
  if (path.empty()) path = std::filesystem::path(options.model) / "spiece.model";
  if (!options.vocab.empty() || std::filesystem::exists(path)) {
    return SentencePieceVocabulary(path);
  }
  return std::nullopt;
}

std::vector<std::vector<int64_t>> input_rows(const GenerateCommandOptions& options,
                                             const std::optional<SentencePieceVocabulary>& vocab,
                                             int64_t vocab_size) {
  T5_CHECK(options.ids.empty() != options.texts.empty(),
           "generate: give the input with --ids \"5 17 9 1\" or --text \"...\" (not both)");
  std::vector<std::vector<int64_t>> rows;
  for (const auto& text : options.ids) rows.push_back(parse_ids(text, vocab_size));
  for (const auto& text : options.texts) {
    T5_CHECK(vocab.has_value(),
             "generate: --text needs a vocabulary: put spiece.model in {} or pass --vocab FILE",
             options.model);
    auto ids = vocab->encode(text, Eos::kAppend);
    rows.emplace_back(ids.begin(), ids.end());
  }
  return rows;
}

void run_generate(GenerateCommandOptions& options) {
  T5_CHECK(options.penalty == "power" || options.penalty == "gnmt",
           "--length-penalty-kind: expected power or gnmt, got '{}'", options.penalty);
  options.generate.length_penalty_kind =
      options.penalty == "gnmt" ? LengthPenalty::kGnmt : LengthPenalty::kPower;
  auto model = load_model(options.model);
  auto vocab = find_vocabulary(options);
  auto [ids, mask] = batch_rows(input_rows(options, vocab, model->config().vocab_size));

  auto output = generate(*model, ids, mask, options.generate);
  for (int64_t i = 0; i < output.sequences.size(0); ++i) {
    auto row = output.sequences[i];
    std::vector<int64_t> tokens(row.data_ptr<int64_t>(), row.data_ptr<int64_t>() + row.numel());
    double score = output.scores[i].item<double>();
    // Text output drops the decoder start token; decoding stops at EOS.
    std::string text;
    if (vocab) text = vocab->decode(std::vector<int>(tokens.begin() + 1, tokens.end()));
    if (options.json) {
      Json line{
          {"input", i / options.generate.num_return_sequences}, {"ids", tokens}, {"score", score}};
      if (vocab) line["text"] = text;
      print_json_line(line.dump());
    } else if (vocab && !options.texts.empty()) {
      std::cout << fmt::format("{}\t{:.6f}\n", text, score);
    } else {
      std::cout << fmt::format("{}\t{:.6f}\n", fmt::join(tokens, " "), score);
    }
  }
}

}  // namespace

void add_generate_command(CLI::App& app) {
  auto options = std::make_shared<GenerateCommandOptions>();
  auto* cmd = app.add_subcommand(
      "generate",
      "Generate from a model folder; prints the decoder start token, the generated "
      "ids and the score of each output row");
  cmd->add_option("--model", options->model, "model folder (config.json + model.safetensors)")
      ->required();
  cmd->add_option("--ids", options->ids,
                  "input token ids, space-separated; repeat for a batch (e.g. --ids \"5 17 9 1\")");
  cmd->add_option("--text", options->texts,
                  "input text (needs spiece.model in the model folder or --vocab); repeat for a "
                  "batch; prints the generated text");
  cmd->add_option("--vocab", options->vocab, "SentencePiece model for --text and text output");
  cmd->add_option("--max-new-tokens", options->generate.max_new_tokens,
                  "tokens to generate at most (default 64)");
  cmd->add_option("--beams", options->generate.num_beams, "beam size; 1 = greedy (default 1)");
  cmd->add_option("--num-return", options->generate.num_return_sequences,
                  "hypotheses returned per input (beam search; default 1)");
  cmd->add_option("--length-penalty", options->generate.length_penalty,
                  "beam length penalty exponent alpha (default 1.0)");
  cmd->add_option("--length-penalty-kind", options->penalty,
                  "power: len^alpha (Hugging Face); gnmt: ((5 + len) / 6)^alpha (t5x)");
  cmd->add_flag("--sample", options->generate.do_sample, "sample instead of greedy");
  cmd->add_option("--temperature", options->generate.temperature, "sampling temperature");
  cmd->add_option("--top-k", options->generate.top_k, "sample among the k likeliest (0 = all)");
  cmd->add_option("--top-p", options->generate.top_p, "nucleus sampling mass (1 = all)");
  cmd->add_option("--seed", options->generate.seed, "sampling seed (default 0)");
  cmd->add_option("--eos", options->generate.eos_token_id,
                  "end-of-sequence id (default: the model's)");
  cmd->add_flag(
      "--no-cache", [options](int64_t) { options->generate.use_cache = false; },
      "recompute every step without the key/value cache");
  cmd->add_flag("--json", options->json, "one JSON object per output row: input, ids, score");
  cmd->callback([options]() { run_generate(*options); });
}

}  // namespace t5::apps

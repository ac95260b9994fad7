#include "t5/model/generate.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "t5/util/error.h"

namespace t5 {
namespace {

using torch::indexing::Slice;

// Feeds the decoder and returns the next-token logits of each row, with or
// without a key/value cache. The decoder's full input is
// [start] + prompt + sequences[:, 1:], where the prompt is empty for
// encoder-decoder models.
class StepDecoder {
 public:
  StepDecoder(T5ModelImpl& model, DecoderState state, torch::Tensor prompt, bool use_cache)
      : model_(model), base_(std::move(state)), prompt_(std::move(prompt)), use_cache_(use_cache) {
    prefix_visible_ = model.config().architecture == Architecture::kPrefixLm;
  }

  // sequences: [rows, cur] -> logits [rows, vocab_size] for the next token.
  torch::Tensor next_logits(const torch::Tensor& sequences) {
    if (!use_cache_) {
      DecoderState fresh;
      fresh.context = base_.context;
      fresh.context_mask = base_.context_mask;
      return feed_all(sequences, fresh);
    }
    if (!started_) {
      started_ = true;
      return feed_all(sequences, base_);
    }
    return model_.decode_step(sequences.index({Slice(), Slice(-1, torch::indexing::None)}), base_)
        .select(1, -1);
  }

  void select_rows(const torch::Tensor& index) {
    base_.select_rows(index);
    if (prompt_.defined()) prompt_ = prompt_.index_select(0, index);
  }

 private:
  torch::Tensor feed_all(const torch::Tensor& sequences, DecoderState& state) {
    auto head = sequences.index({Slice(), Slice(0, 1)});
    auto rest = sequences.index({Slice(), Slice(1, torch::indexing::None)});
    if (prompt_.defined()) head = torch::cat({head, prompt_}, 1);
    auto logits = model_.decode_step(head, state, prefix_visible_ && prompt_.defined());
    if (rest.size(1) > 0) logits = model_.decode_step(rest, state);
    return logits.select(1, -1);
  }

  T5ModelImpl& model_;
  DecoderState base_;
  torch::Tensor prompt_;
  bool use_cache_;
  bool prefix_visible_ = false;
  bool started_ = false;
};

// tokens: the hypothesis' length with the start token and without EOS (the
// power penalty's length); finished: whether EOS ended it.
double length_normaliser(const GenerateOptions& options, int64_t tokens, bool finished) {
  if (options.length_penalty_kind == LengthPenalty::kPower) {
    return std::pow(static_cast<double>(tokens), options.length_penalty);
  }
  // Generated tokens including EOS: the start token and EOS trade places for
  // a finished hypothesis; an open one lacks both.
  int64_t generated = finished ? tokens : tokens - 1;
  return std::pow((5.0 + static_cast<double>(generated)) / 6.0, options.length_penalty);
}

// The finished hypotheses of one input row, keeping the num_beams best.
class Hypotheses {
 public:
  Hypotheses(int64_t num_beams, const GenerateOptions& options)
      : num_beams_(num_beams), options_(options) {}

  size_t size() const { return beams_.size(); }

  void add(const torch::Tensor& tokens, double sum_log_probs, bool finished) {
    double score = sum_log_probs / length_normaliser(options_, tokens.size(0), finished);
    if (static_cast<int64_t>(beams_.size()) < num_beams_ || score > worst_score_) {
      beams_.push_back({score, tokens});
      if (static_cast<int64_t>(beams_.size()) > num_beams_) {
        auto worst =
            std::min_element(beams_.begin(), beams_.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
        beams_.erase(worst);
        worst_score_ =
            std::min_element(beams_.begin(), beams_.end(), [](const auto& a, const auto& b) {
              return a.first < b.first;
            })->first;
      } else {
        worst_score_ = std::min(score, worst_score_);
      }
    }
  }

  // Whether no open beam can still beat the worst kept hypothesis.
  bool is_done(double best_sum_log_probs, int64_t current_length) const {
    if (static_cast<int64_t>(beams_.size()) < num_beams_) return false;
    if (options_.early_stopping) return true;
    // The best open beam, were it to end now.
    double best_possible =
        best_sum_log_probs / length_normaliser(options_, current_length, /*finished=*/true);
    return worst_score_ >= best_possible;
  }

  // Best first; stable for equal scores in insertion order reversed, as a
  // sort by score and a pop from the end gives.
  std::vector<std::pair<double, torch::Tensor>> best(int64_t count) const {
    auto sorted = beams_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<double, torch::Tensor>> result;
    for (int64_t i = 0; i < count && !sorted.empty(); ++i) {
      result.push_back(sorted.back());
      sorted.pop_back();
    }
    return result;
  }

 private:
  int64_t num_beams_;
  const GenerateOptions& options_;
  std::vector<std::pair<double, torch::Tensor>> beams_;
  double worst_score_ = 1e9;
};

void validate(const GenerateOptions& options) {
  T5_CHECK(options.max_new_tokens > 0, "generate: max_new_tokens must be positive, got {}",
           options.max_new_tokens);
  T5_CHECK(options.num_beams >= 1, "generate: num_beams must be >= 1, got {}", options.num_beams);
  T5_CHECK(options.num_return_sequences >= 1 && options.num_return_sequences <= options.num_beams,
           "generate: num_return_sequences must be in [1, num_beams={}], got {}", options.num_beams,
           options.num_return_sequences);
  T5_CHECK(!(options.do_sample && options.num_beams > 1),
           "generate: sampling with beams is not supported; set num_beams to 1");
  T5_CHECK(options.temperature > 0.0, "generate: temperature must be positive, got {}",
           options.temperature);
  T5_CHECK(options.top_k >= 0, "generate: top_k must be >= 0, got {}", options.top_k);
  T5_CHECK(options.top_p > 0.0 && options.top_p <= 1.0, "generate: top_p must be in (0, 1], got {}",
           options.top_p);
}

// Logits filtered for sampling: temperature, then top-k, then top-p.
torch::Tensor sampling_logits(torch::Tensor logits, const GenerateOptions& options) {
  logits = logits.to(torch::kFloat32) / options.temperature;
  double lowest = -std::numeric_limits<double>::infinity();
  if (options.top_k > 0 && options.top_k < logits.size(-1)) {
    auto kth = std::get<0>(logits.topk(options.top_k, -1)).select(-1, -1).unsqueeze(-1);
    logits = logits.masked_fill(logits < kth, lowest);
  }
  if (options.top_p < 1.0) {
    auto [sorted, order] = logits.sort(-1, /*descending=*/true);
    auto cumulative = sorted.softmax(-1).cumsum(-1);
    // Drop a token when the mass before it already reaches top_p; the most
    // likely token always stays.
    auto drop_sorted = (cumulative - sorted.softmax(-1)) >= options.top_p;
    auto drop = torch::zeros_like(drop_sorted).scatter(-1, order, drop_sorted);
    logits = logits.masked_fill(drop, lowest);
  }
  return logits;
}

// Greedy decoding and sampling, batched: finished rows are padded.
GenerateOutput generate_one_path(StepDecoder& decoder, torch::Tensor sequences,
                                 const GenerateOptions& options, int64_t eos, int64_t pad) {
  GenerateOutput output;
  int64_t rows = sequences.size(0);
  auto unfinished = torch::ones({rows}, sequences.options());
  auto scores = torch::zeros({rows}, torch::kFloat64);
  auto generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
  for (int64_t step = 0; step < options.max_new_tokens; ++step) {
    auto logits = decoder.next_logits(sequences);
    if (options.output_scores) output.step_logits.push_back(logits);
    torch::Tensor next;
    if (options.do_sample) {
      auto probs = sampling_logits(logits, options).softmax(-1).to(torch::kCPU);
      next = torch::multinomial(probs, 1, false, generator).squeeze(1).to(sequences.device());
    } else {
      next = logits.argmax(-1);
    }
    auto log_probs = logits.to(torch::kFloat32).log_softmax(-1).gather(1, next.unsqueeze(1));
    scores += (log_probs.squeeze(1).to(torch::kCPU).to(torch::kFloat64) *
               unfinished.to(torch::kCPU).to(torch::kFloat64));
    next = next * unfinished + pad * (1 - unfinished);
    sequences = torch::cat({sequences, next.unsqueeze(1)}, 1);
    unfinished = unfinished * (next != eos).to(unfinished.dtype());
    if (unfinished.max().item<int64_t>() == 0) break;
  }
  output.sequences = sequences;
  output.scores = scores;
  return output;
}

// Beam search, following Hugging Face's scorer step by step so that its
// sequences and scores are reproduced exactly.
GenerateOutput beam_search(StepDecoder& decoder, int64_t batch, int64_t start,
                           const GenerateOptions& options, int64_t eos, int64_t pad,
                           const torch::Device& device) {
  int64_t beams = options.num_beams;
  int64_t max_length = 1 + options.max_new_tokens;
  auto long_options = torch::TensorOptions().dtype(torch::kLong).device(device);
  auto sequences = torch::full({batch * beams, 1}, start, long_options);
  // Only the first beam of a row starts live, so the first step's top
  // candidates are distinct tokens.
  auto beam_scores = torch::zeros({batch, beams}, torch::kFloat32);
  beam_scores.index_put_({Slice(), Slice(1, torch::indexing::None)}, -1e9);
  beam_scores = beam_scores.view({-1});
  std::vector<Hypotheses> hypotheses(batch, Hypotheses(beams, options));
  std::vector<bool> done(batch, false);

  while (true) {
    int64_t current_length = sequences.size(1);
    auto logits = decoder.next_logits(sequences).to(torch::kCPU).to(torch::kFloat32);
    int64_t vocab = logits.size(-1);
    auto scores = logits.log_softmax(-1) + beam_scores.unsqueeze(1);
    auto [top_scores, top_ids] = scores.view({batch, beams * vocab}).topk(2 * beams, 1);
    auto next_scores = torch::zeros({batch, beams}, torch::kFloat32);
    auto next_tokens = torch::full({batch, beams}, pad, torch::kLong);
    // Rows already done keep their own beams (their tokens are padding).
    auto next_indices = torch::arange(batch * beams, torch::kLong).view({batch, beams});
    auto top_scores_a = top_scores.accessor<float, 2>();
    auto top_ids_a = top_ids.accessor<int64_t, 2>();
    auto sequences_cpu = sequences.to(torch::kCPU);

    for (int64_t b = 0; b < batch; ++b) {
      if (done[b]) continue;
      int64_t kept = 0;
      for (int64_t rank = 0; rank < 2 * beams && kept < beams; ++rank) {
        int64_t token = top_ids_a[b][rank] % vocab;
        int64_t beam = top_ids_a[b][rank] / vocab;
        float score = top_scores_a[b][rank];
        if (token == eos) {
          // A finished hypothesis counts only if it ranks among the beams.
          if (rank >= beams) continue;
          hypotheses[b].add(sequences_cpu[b * beams + beam].clone(), score, /*finished=*/true);
          continue;
        }
        next_scores[b][kept] = score;
        next_tokens[b][kept] = token;
        next_indices[b][kept] = b * beams + beam;
        ++kept;
      }
      done[b] = done[b] || hypotheses[b].is_done(top_scores[b].max().item<float>(), current_length);
    }

    beam_scores = next_scores.view({-1});
    auto order = next_indices.view({-1}).to(device);
    sequences =
        torch::cat({sequences.index_select(0, order), next_tokens.view({-1, 1}).to(device)}, 1);
    bool all_done = std::all_of(done.begin(), done.end(), [](bool d) { return d; });
    if (all_done || sequences.size(1) >= max_length) break;
    decoder.select_rows(order);
  }

  // Rows still open at the limit keep their live beams as hypotheses.
  auto sequences_cpu = sequences.to(torch::kCPU);
  for (int64_t b = 0; b < batch; ++b) {
    if (done[b]) continue;
    for (int64_t k = 0; k < beams; ++k) {
      hypotheses[b].add(sequences_cpu[b * beams + k].clone(),
                        beam_scores[b * beams + k].item<float>(), /*finished=*/false);
    }
  }

  // The best hypotheses, EOS appended to the finished ones, padded.
  std::vector<std::pair<double, torch::Tensor>> chosen;
  for (int64_t b = 0; b < batch; ++b) {
    for (auto& hypothesis : hypotheses[b].best(options.num_return_sequences)) {
      chosen.push_back(hypothesis);
    }
  }
  int64_t longest = 0;
  for (const auto& entry : chosen) longest = std::max(longest, entry.second.size(0));
  int64_t width = std::min(longest + 1, max_length);
  GenerateOutput output;
  output.sequences = torch::full({static_cast<int64_t>(chosen.size()), width}, pad, torch::kLong);
  output.scores = torch::zeros({static_cast<int64_t>(chosen.size())}, torch::kFloat64);
  for (size_t i = 0; i < chosen.size(); ++i) {
    const auto& tokens = chosen[i].second;
    output.sequences[i].index_put_({Slice(0, tokens.size(0))}, tokens);
    if (tokens.size(0) < max_length) output.sequences[i][tokens.size(0)] = eos;
    output.scores[i] = chosen[i].first;
  }
  output.sequences = output.sequences.to(device);
  return output;
}

// Pads rows of different lengths to one tensor.
torch::Tensor pad_rows(const std::vector<torch::Tensor>& rows, int64_t pad) {
  int64_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.size(0));
  auto result = torch::full({static_cast<int64_t>(rows.size()), width}, pad, rows[0].options());
  for (size_t i = 0; i < rows.size(); ++i)
    result[i].index_put_({Slice(0, rows[i].size(0))}, rows[i]);
  return result;
}

GenerateOutput generate_rows(T5ModelImpl& model, const torch::Tensor& input_ids,
                             const torch::Tensor& attention_mask, const GenerateOptions& options) {
  const auto& config = model.config();
  int64_t eos = options.eos_token_id >= 0 ? options.eos_token_id : config.eos_token_id;
  int64_t pad = config.pad_token_id;
  int64_t batch = input_ids.size(0);
  int64_t beams = options.num_beams;
  auto device = input_ids.device();

  // The decoder's starting state: encoded inputs, or a prompt.
  auto state = model.start_decoding(input_ids, attention_mask);
  torch::Tensor prompt;
  if (!config.has_encoder()) prompt = input_ids;
  if (beams > 1) {
    auto expand = torch::arange(batch, torch::TensorOptions().dtype(torch::kLong).device(device))
                      .repeat_interleave(beams);
    state.select_rows(expand);
    if (prompt.defined()) prompt = prompt.index_select(0, expand);
  }
  StepDecoder decoder(model, std::move(state), prompt, options.use_cache);

  if (beams > 1) {
    return beam_search(decoder, batch, config.decoder_start_token_id, options, eos, pad, device);
  }
  auto start = torch::full({batch, 1}, config.decoder_start_token_id,
                           torch::TensorOptions().dtype(torch::kLong).device(device));
  return generate_one_path(decoder, start, options, eos, pad);
}

}  // namespace

GenerateOutput generate(T5ModelImpl& model, const torch::Tensor& input_ids,
                        const torch::Tensor& attention_mask, const GenerateOptions& options) {
  validate(options);
  T5_CHECK(input_ids.dim() == 2 && input_ids.size(0) > 0 && input_ids.size(1) > 0,
           "generate: expected input ids of shape [batch, length] with both > 0, got {}",
           c10::str(input_ids.sizes()));
  torch::NoGradGuard no_grad;
  if (model.config().has_encoder() || !attention_mask.defined() ||
      attention_mask.all().item<bool>()) {
    return generate_rows(model, input_ids, attention_mask, options);
  }

  // Limitation: decoder-only prompts of different lengths are generated one
  // row at a time (no left padding); batch prompts of equal length for speed.
  std::vector<torch::Tensor> sequences, scores;
  std::vector<torch::Tensor> step_logits;
  for (int64_t row = 0; row < input_ids.size(0); ++row) {
    int64_t length = attention_mask[row].sum().item<int64_t>();
    auto prompt = input_ids[row].slice(0, 0, length).unsqueeze(0);
    auto output = generate_rows(model, prompt, {}, options);
    for (int64_t i = 0; i < output.sequences.size(0); ++i) {
      sequences.push_back(output.sequences[i]);
      scores.push_back(output.scores[i]);
    }
  }
  GenerateOutput merged;
  merged.sequences = pad_rows(sequences, model.config().pad_token_id);
  merged.scores = torch::stack(scores);
  return merged;
}

}  // namespace t5

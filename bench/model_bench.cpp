// Model benchmark (not run by CI): training-step and greedy-decoding
// throughput for a preset, with the achieved GFLOP/s next to the float32
// matmul peak measured in the same run.
//
//   build/bin/model_bench [--preset t5-small] [--inputs 512] [--targets 114]
//                         [--batch 4] [--steps 3] [--threads N]
//
// FLOPs are counted analytically: 2 per multiply-add of every linear layer,
// of the attention scores and of the weighted values, and of the output
// layer; a training step counts 3x the forward pass (backward ~ 2x).
// Training runs in float32 and in bfloat16 autocast on the same config.
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "t5/model/generate.h"
#include "t5/model/t5_model.h"
#include "t5/train/train_step.h"
#include "t5/util/cpu.h"
#include "t5/util/threads.h"

namespace {

struct BenchOptions {
  std::string preset = "t5-small";
  int64_t inputs = 512;
  int64_t targets = 114;
  int64_t batch = 4;
  int64_t steps = 3;
  int threads = 0;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Forward FLOPs of one example with `inputs` encoder and `targets` decoder
// tokens.
double forward_flops(const t5::ModelConfig& c, double inputs, double targets) {
  double inner = static_cast<double>(c.num_heads * c.d_kv);
  double attention_params = 4.0 * c.d_model * inner;
  double ff_params = (c.is_gated() ? 3.0 : 2.0) * c.d_model * c.d_ff;
  double encoder =
      inputs * c.num_layers * (2.0 * (attention_params + ff_params) + 4.0 * inputs * inner);
  double decoder =
      targets * c.decoder_layers() *
      (2.0 * (2.0 * attention_params + ff_params) + 4.0 * targets * inner + 4.0 * inputs * inner);
  // Cross-attention keys and values are computed once per encoder token.
  double output = targets * 2.0 * c.d_model * c.vocab_size;
  return encoder + decoder + output;
}

double matmul_peak_gflops() {
  int64_t n = 2048;
  auto a = torch::randn({n, n});
  auto b = torch::randn({n, n});
  torch::matmul(a, b);  // warm-up
  int repeats = 5;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) torch::matmul(a, b);
  return repeats * 2.0 * n * n * n / seconds_since(start) / 1e9;
}

BenchOptions parse(int argc, char** argv) {
  BenchOptions options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    std::string value = argv[i + 1];
    if (key == "--preset")
      options.preset = value;
    else if (key == "--inputs")
      options.inputs = std::stoll(value);
    else if (key == "--targets")
      options.targets = std::stoll(value);
    else if (key == "--batch")
      options.batch = std::stoll(value);
    else if (key == "--steps")
      options.steps = std::stoll(value);
    else if (key == "--threads")
      options.threads = std::stoi(value);
    else {
      std::fprintf(stderr, "unknown option %s\n", key.c_str());
      std::exit(2);
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  t5::keep_freed_memory();
  auto options = parse(argc, argv);
  int threads = t5::configure_threads(options.threads);
  auto config = t5::ModelConfig::preset(options.preset);
  config.dropout_rate = 0.0;
  t5::T5Model model(config);
  model->reset_parameters(0);
  double peak = matmul_peak_gflops();
  std::printf("preset=%s threads=%d batch=%lld inputs=%lld targets=%lld parameters=%lld\n",
              options.preset.c_str(), threads, (long long)options.batch, (long long)options.inputs,
              (long long)options.targets, (long long)model->parameter_count());
  std::printf("matmul_peak_fp32_gflops=%.1f (2048^3 sgemm)\n", peak);

  // Training steps as the trainer takes them (forward, backward, Adafactor),
  // in float32 and in bfloat16 autocast, on the same batch.
  auto generator = at::make_generator<at::CPUGeneratorImpl>(1);
  int64_t vocab = std::min<int64_t>(config.vocab_size, 32000);
  t5::ModelInputs batch;
  batch.input_ids = torch::randint(2, vocab, {options.batch, options.inputs}, generator);
  batch.labels = torch::randint(2, vocab, {options.batch, options.targets}, generator);
  t5::Optimizer optimizer(t5::OptimizerOptions{}, model->unique_named_parameters());
  model->train();
  double tokens = static_cast<double>(options.batch * (options.inputs + options.targets));
  double train_flops = 3.0 * options.batch * forward_flops(config, options.inputs, options.targets);
  std::printf("cpu_has_fast_bfloat16=%s\n", t5::cpu_has_fast_bfloat16() ? "yes" : "no");
  for (auto precision : {t5::Precision::kFloat32, t5::Precision::kBFloat16}) {
    t5::StepOptions step_options;
    step_options.precision = precision;
    auto step = [&]() { t5::train_step(*model, optimizer, {batch}, 1e-3, step_options); };
    step();  // warm-up
    auto start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < options.steps; ++i) step();
    double per_step = seconds_since(start) / options.steps;
    std::printf(
        "train precision=%s step_s=%.3f tokens_per_s=%.0f gflops=%.1f (%.0f%% of fp32 peak)\n",
        t5::precision_name(precision).c_str(), per_step, tokens / per_step,
        train_flops / per_step / 1e9, 100.0 * train_flops / per_step / 1e9 / peak);
  }

  // Greedy decoding with the cache, the full target length.
  model->eval();
  t5::GenerateOptions generate;
  generate.max_new_tokens = options.targets;
  generate.eos_token_id = config.vocab_size - 1;  // never a real token: decode the full length
  auto start = std::chrono::steady_clock::now();
  auto output = t5::generate(*model, batch.input_ids, {}, generate);
  double decode_s = seconds_since(start);
  double generated = static_cast<double>(output.sequences.size(0) * (output.sequences.size(1) - 1));
  double decode_flops = options.batch * forward_flops(config, options.inputs, options.targets);
  std::printf(
      "greedy_decode_s=%.3f greedy_tokens_per_s=%.1f greedy_gflops=%.1f (%.0f%% of peak; "
      "includes encoding the inputs)\n",
      decode_s, generated / decode_s, decode_flops / decode_s / 1e9,
      100.0 * decode_flops / decode_s / 1e9 / peak);
  return 0;
}

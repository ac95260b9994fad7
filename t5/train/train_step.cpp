#include "t5/train/train_step.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include <cmath>

#include "t5/util/cpu.h"
#include "t5/util/error.h"

namespace t5 {
namespace {

double target_weight(const ModelInputs& batch) {
  auto weights = (batch.labels >= 0).to(torch::kFloat32);
  if (batch.loss_weights.defined()) weights = weights * batch.loss_weights.to(torch::kFloat32);
  return weights.sum().item<double>();
}

}  // namespace

Precision parse_precision(const std::string& name, const std::string& where) {
  if (name == "float32" || name == "fp32") return Precision::kFloat32;
  if (name == "bfloat16" || name == "bf16") return Precision::kBFloat16;
  if (name == "auto") return cpu_has_fast_bfloat16() ? Precision::kBFloat16 : Precision::kFloat32;
  fail(
      "{}: unknown precision '{}'; expected float32, bfloat16 or auto (float16 overflows in T5's "
      "feed-forward and is not offered)",
      where, name);
}

std::string precision_name(Precision precision) {
  return precision == Precision::kBFloat16 ? "bfloat16" : "float32";
}

AutocastGuard::AutocastGuard(Precision precision, const torch::Device& device)
    : cpu_was_enabled_(at::autocast::is_cpu_enabled()),
      gpu_was_enabled_(at::autocast::is_enabled()),
      cpu_dtype_(at::autocast::get_autocast_cpu_dtype()),
      gpu_dtype_(at::autocast::get_autocast_gpu_dtype()) {
  if (precision != Precision::kBFloat16) return;
  if (device.is_cuda()) {
    at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
    at::autocast::set_enabled(true);
  } else {
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::set_cpu_enabled(true);
  }
}

AutocastGuard::~AutocastGuard() {
  at::autocast::set_cpu_enabled(cpu_was_enabled_);
  at::autocast::set_enabled(gpu_was_enabled_);
  at::autocast::set_autocast_cpu_dtype(cpu_dtype_);
  at::autocast::set_autocast_gpu_dtype(gpu_dtype_);
  at::autocast::clear_cache();
}

StepResult train_step(T5ModelImpl& model, Optimizer& optimizer,
                      const std::vector<ModelInputs>& micro_batches, double learning_rate,
                      const StepOptions& options) {
  T5_CHECK(!micro_batches.empty(), "train_step: no micro-batches");
  StepResult result;
  for (const auto& batch : micro_batches) result.target_tokens += target_weight(batch);
  double denominator = std::max(result.target_tokens, 1e-9);

  // Forward and backward per micro-batch, gradients summed.
  optimizer.zero_grad();
  double cross_entropy = 0.0;
  double total = 0.0;
  auto device = model.shared->weight.device();
  for (const auto& batch : micro_batches) {
    LossSum sum;
    {
      AutocastGuard autocast(options.precision, device);
      auto logits = model.forward(batch).logits;
      sum = sum_loss(logits, batch.labels, batch.loss_weights, options.loss);
    }
    (sum.total / denominator).backward();
    cross_entropy += sum.cross_entropy.item<double>();
    total += sum.total.item<double>();
  }

  // Clip, then update.
  auto parameters = model.unique_named_parameters();
  result.grad_norm = clip_grad_norm(parameters, options.max_grad_norm);
  result.loss = cross_entropy / denominator;
  result.total_loss = total / denominator;
  if (!std::isfinite(result.total_loss) || !std::isfinite(result.grad_norm)) {
    result.non_finite = true;
    optimizer.zero_grad();
    return result;
  }
  optimizer.step(learning_rate);
  return result;
}

}  // namespace t5

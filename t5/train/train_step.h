#pragma once

#include <string>
#include <vector>

#include "t5/model/t5_model.h"
#include "t5/train/loss.h"
#include "t5/train/optimizer.h"

namespace t5 {

// The compute precision of forward and backward passes. Master weights and
// optimizer state stay float32 in both.
enum class Precision {
  kFloat32,
  // bfloat16 autocast (T5's training precision), on the CPU and on CUDA.
  kBFloat16,
};

// "float32", "bfloat16", or "auto": bfloat16 where the CPU computes it
// natively (cpu_has_fast_bfloat16), else float32. (On CUDA ask for
// bfloat16 by name.)
Precision parse_precision(const std::string& name, const std::string& where);
std::string precision_name(Precision precision);

// Turns bfloat16 autocast on for the device type of the current scope and
// restores the previous state on exit (autocast state is per thread).
class AutocastGuard {
 public:
  AutocastGuard(Precision precision, const torch::Device& device);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  bool cpu_was_enabled_;
  bool gpu_was_enabled_;
  at::ScalarType cpu_dtype_;
  at::ScalarType gpu_dtype_;
};

struct StepOptions {
  /// Clip the global gradient norm to this; 0 = no clipping.
  double max_grad_norm = 0.0;
  LossOptions loss;
  Precision precision = Precision::kFloat32;
};

struct StepResult {
  /// Cross-entropy per weighted target token (without z-loss or smoothing).
  double loss = 0.0;
  /// The optimised loss per target token (with z-loss and smoothing).
  double total_loss = 0.0;
  /// Global gradient norm before clipping.
  double grad_norm = 0.0;
  /// Weighted target tokens in the step.
  double target_tokens = 0.0;
  /// The loss or the gradient norm was NaN or infinite: the parameters and
  /// the optimizer were left as they were, the gradients zeroed.
  bool non_finite = false;
};

// One optimizer step over micro-batches whose gradients are accumulated:
// each micro-batch's summed loss is divided by the weight of all of them, so
// k micro-batches give the gradient of one k-times batch. The model must be
// in train mode for dropout. A NaN or infinite loss or gradient takes no
// step (see StepResult::non_finite); the caller stops or skips the batch.
StepResult train_step(T5ModelImpl& model, Optimizer& optimizer,
                      const std::vector<ModelInputs>& micro_batches, double learning_rate,
                      const StepOptions& options);

}  // namespace t5

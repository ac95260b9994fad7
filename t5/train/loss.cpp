#include "t5/train/loss.h"

#include <torch/torch.h>

namespace t5 {

LossOptions LossOptions::from_json(const Json& json, const std::string& where) {
  LossOptions options;
  JsonFields fields(json, where);
  fields.get("label_smoothing", options.label_smoothing);
  fields.get("z_loss", options.z_loss);
  fields.finish();
  T5_CHECK(options.label_smoothing >= 0.0 && options.label_smoothing < 1.0,
           "{}: 'label_smoothing' must be in [0, 1), got {}", where, options.label_smoothing);
  T5_CHECK(options.z_loss >= 0.0, "{}: 'z_loss' must be >= 0, got {}", where, options.z_loss);
  return options;
}

Json LossOptions::to_json() const {
  return {{"label_smoothing", label_smoothing}, {"z_loss", z_loss}};
}

LossSum sum_loss(const torch::Tensor& logits, const torch::Tensor& labels,
                 const torch::Tensor& loss_weights, const LossOptions& options) {
  auto logits32 = logits.to(torch::kFloat32);
  auto log_z = torch::logsumexp(logits32, -1);
  auto log_probs = logits32 - log_z.unsqueeze(-1);
  auto valid = labels >= 0;
  auto weights = valid.to(torch::kFloat32);
  if (loss_weights.defined()) weights = weights * loss_weights.to(torch::kFloat32);

  // Cross-entropy against the (optionally smoothed) target distribution.
  auto picked = -log_probs.gather(-1, labels.clamp_min(0).unsqueeze(-1)).squeeze(-1);
  auto per_token = picked;
  if (options.label_smoothing > 0.0) {
    auto uniform = -log_probs.mean(-1);
    per_token = (1.0 - options.label_smoothing) * picked + options.label_smoothing * uniform;
  }
  LossSum sum;
  sum.cross_entropy = (picked * weights).sum();
  auto total = per_token * weights;
  if (options.z_loss > 0.0) total = total + options.z_loss * log_z.pow(2) * weights;
  sum.total = total.sum();
  sum.weight = weights.sum();
  return sum;
}

}  // namespace t5

#pragma once

#include <torch/types.h>

#include "t5/util/json.h"

namespace t5 {

struct LossOptions {
  /// Share of the target mass spread uniformly over the vocabulary; 0 = none.
  double label_smoothing = 0.0;
  /// Weight of the auxiliary z-loss, z_loss * log(Z)^2 per target (T5 uses
  /// 1e-4), which keeps the softmax normaliser near 1; 0 = none.
  double z_loss = 0.0;

  static LossOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
};

// The summed training loss of a batch and what to divide it by, so that
// several micro-batches add up to exactly the loss of one large batch.
struct LossSum {
  /// Scalar: sum over targets of weight * (cross-entropy + z-loss).
  torch::Tensor total;
  /// Scalar: sum of the weights (target tokens).
  torch::Tensor weight;
  /// Scalar: the cross-entropy part alone (for logging), summed.
  torch::Tensor cross_entropy;
};

// logits: [batch, len, vocab]; labels: [batch, len], negative = ignored;
// loss_weights: optional [batch, len]. Computed in float32.
LossSum sum_loss(const torch::Tensor& logits, const torch::Tensor& labels,
                 const torch::Tensor& loss_weights, const LossOptions& options);

}  // namespace t5

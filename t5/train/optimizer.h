#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <torch/types.h>

#include "t5/util/json.h"

namespace t5 {

// Optimizer hyperparameters. The defaults are t5x's Adafactor for T5.
struct OptimizerOptions {
  /// "adafactor", "adamw", or "adamw_scaled" (AdamW whose step is scaled by
  /// the parameter's RMS, floored at epsilon2, as Adafactor scales).
  std::string name = "adafactor";
  /// Adafactor: second-moment decay 1 - t^-decay_rate at (1-based) step t.
  double decay_rate = 0.8;
  /// Adafactor: updates are scaled down to at most this RMS; 0 = no clipping.
  double clipping_threshold = 1.0;
  /// Adafactor: multiply the learning rate by max(RMS(parameter), epsilon2).
  bool multiply_by_parameter_scale = true;
  /// Adafactor: added to squared gradients.
  double epsilon1 = 1e-30;
  /// Floor of the parameter scale (Adafactor and adamw_scaled).
  double epsilon2 = 1e-3;
  /// Adafactor: factor the second moments of a matrix only when both of
  /// its last two dims are at least this.
  int64_t min_dim_size_to_factor = 128;
  /// AdamW moments.
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  /// AdamW decoupled weight decay (times the learning rate); 0 = none.
  double weight_decay = 0.0;

  static OptimizerOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
  void validate(const std::string& where) const;
};

// An optimizer over named parameters (each tensor once: use
// T5ModelImpl::unique_named_parameters). Updates are computed in float32
// whatever the gradients' dtype; parameters are float32 master weights.
class Optimizer {
 public:
  Optimizer(OptimizerOptions options,
            std::vector<std::pair<std::string, torch::Tensor>> parameters);

  // One update with the given learning rate from the parameters' .grad();
  // parameters without a gradient are left alone.
  void step(double learning_rate);
  void zero_grad();

  // Updates taken so far.
  int64_t steps() const { return steps_; }
  const OptimizerOptions& options() const { return options_; }

  // The state as named tensors ("step", "<parameter>/v_row", ...), for
  // checkpoints; load_state restores it and throws t5::Error naming a
  // missing or misshapen entry.
  std::vector<std::pair<std::string, torch::Tensor>> state() const;
  void load_state(const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                  const std::string& where);

 private:
  struct Slot {
    torch::Tensor v_row, v_col, v;  // Adafactor second moments
    torch::Tensor m, m2;            // AdamW moments
  };

  torch::Tensor adafactor_update(const torch::Tensor& parameter, const torch::Tensor& grad,
                                 Slot& slot, double learning_rate);
  torch::Tensor adamw_update(const torch::Tensor& parameter, const torch::Tensor& grad, Slot& slot,
                             double learning_rate);
  bool factored(const torch::Tensor& parameter) const;

  OptimizerOptions options_;
  std::vector<std::pair<std::string, torch::Tensor>> parameters_;
  std::map<std::string, Slot> slots_;
  int64_t steps_ = 0;
};

// Scales all gradients so their global L2 norm is at most max_norm (no-op
// when max_norm <= 0); returns the norm before scaling.
double clip_grad_norm(const std::vector<std::pair<std::string, torch::Tensor>>& parameters,
                      double max_norm);

}  // namespace t5

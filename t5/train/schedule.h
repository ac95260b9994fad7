#pragma once

#include <cstdint>
#include <string>

#include "t5/util/json.h"

namespace t5 {

// A learning-rate schedule: a function of the (1-based) step.
struct ScheduleOptions {
  /// "rsqrt" (base / sqrt(max(step, warmup_steps)), T5's pretraining
  /// schedule), "constant" (base, after a linear warm-up when warmup_steps
  /// > 0), "linear" (warm-up to base, then linear to `end` at total_steps) or
  /// "cosine" (warm-up, then half a cosine from base to `end`).
  std::string name = "rsqrt";
  /// Peak learning rate (for rsqrt: the numerator; T5 uses 1.0).
  double base = 1.0;
  /// Warm-up steps (rsqrt: the constant stretch; others: linear ramp).
  int64_t warmup_steps = 10000;
  /// Last step of linear and cosine decay.
  int64_t total_steps = 0;
  /// Learning rate reached at total_steps by linear and cosine.
  double end = 0.0;

  static ScheduleOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
  // Throws t5::Error naming the field for a bad value.
  void validate(const std::string& where) const;
};

// The learning rate at `step` (1-based; values below 1 read as 1).
double learning_rate_at(const ScheduleOptions& schedule, int64_t step);

}  // namespace t5

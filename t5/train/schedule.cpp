#include "t5/train/schedule.h"

#include <algorithm>
#include <cmath>

#include "t5/util/names.h"

namespace t5 {
namespace {

const std::vector<std::string>& schedule_names() {
  static const std::vector<std::string> names = {"rsqrt", "constant", "linear", "cosine"};
  return names;
}

// Linear ramp from 0 to 1 over the warm-up (1 once it is over).
double warmup_factor(const ScheduleOptions& s, int64_t step) {
  if (s.warmup_steps <= 0 || step >= s.warmup_steps) return 1.0;
  return static_cast<double>(step) / static_cast<double>(s.warmup_steps);
}

// Progress through the decay after the warm-up, in [0, 1].
double decay_progress(const ScheduleOptions& s, int64_t step) {
  int64_t span = s.total_steps - std::max<int64_t>(s.warmup_steps, 0);
  if (span <= 0) return 1.0;
  double done = static_cast<double>(step - std::max<int64_t>(s.warmup_steps, 0));
  return std::clamp(done / static_cast<double>(span), 0.0, 1.0);
}

}  // namespace

ScheduleOptions ScheduleOptions::from_json(const Json& json, const std::string& where) {
  ScheduleOptions options;
  JsonFields fields(json, where);
  fields.get("name", options.name);
  fields.get("base", options.base);
  fields.get("warmup_steps", options.warmup_steps);
  fields.get("total_steps", options.total_steps);
  fields.get("end", options.end);
  fields.finish();
  options.validate(where);
  return options;
}

Json ScheduleOptions::to_json() const {
  return {{"name", name},
          {"base", base},
          {"warmup_steps", warmup_steps},
          {"total_steps", total_steps},
          {"end", end}};
}

void ScheduleOptions::validate(const std::string& where) const {
  const auto& names = schedule_names();
  T5_CHECK(std::find(names.begin(), names.end(), name) != names.end(),
           "{}: unknown schedule '{}'{}; expected rsqrt, constant, linear or cosine", where, name,
           did_you_mean(name, names));
  T5_CHECK(base > 0.0, "{}: 'base' must be positive, got {}", where, base);
  T5_CHECK(warmup_steps >= 0, "{}: 'warmup_steps' must be >= 0, got {}", where, warmup_steps);
  T5_CHECK(end >= 0.0, "{}: 'end' must be >= 0, got {}", where, end);
  if (name == "linear" || name == "cosine") {
    T5_CHECK(total_steps > warmup_steps,
             "{}: the {} schedule needs 'total_steps' > 'warmup_steps' ({}), got {}", where, name,
             warmup_steps, total_steps);
  }
}

double learning_rate_at(const ScheduleOptions& s, int64_t step) {
  step = std::max<int64_t>(step, 1);
  if (s.name == "rsqrt") {
    double floor = static_cast<double>(std::max<int64_t>(s.warmup_steps, 1));
    return s.base / std::sqrt(std::max(static_cast<double>(step), floor));
  }
  double warm = warmup_factor(s, step);
  if (s.name == "constant" || step < s.warmup_steps) return s.base * warm;
  double progress = decay_progress(s, step);
  if (s.name == "linear") return s.base + (s.end - s.base) * progress;
  return s.end + (s.base - s.end) * 0.5 * (1.0 + std::cos(M_PI * progress));
}

}  // namespace t5

#include "t5/train/optimizer.h"

#include <algorithm>
#include <cmath>

#include <torch/torch.h>

#include "t5/util/error.h"
#include "t5/util/names.h"

namespace t5 {
namespace {

double rms(const torch::Tensor& x) { return x.pow(2).mean().sqrt().item<double>(); }

}  // namespace

OptimizerOptions OptimizerOptions::from_json(const Json& json, const std::string& where) {
  OptimizerOptions o;
  JsonFields fields(json, where);
  fields.get("name", o.name);
  fields.get("decay_rate", o.decay_rate);
  fields.get("clipping_threshold", o.clipping_threshold);
  fields.get("multiply_by_parameter_scale", o.multiply_by_parameter_scale);
  fields.get("epsilon1", o.epsilon1);
  fields.get("epsilon2", o.epsilon2);
  fields.get("min_dim_size_to_factor", o.min_dim_size_to_factor);
  fields.get("beta1", o.beta1);
  fields.get("beta2", o.beta2);
  fields.get("epsilon", o.epsilon);
  fields.get("weight_decay", o.weight_decay);
  fields.finish();
  o.validate(where);
  return o;
}

Json OptimizerOptions::to_json() const {
  return {{"name", name},
          {"decay_rate", decay_rate},
          {"clipping_threshold", clipping_threshold},
          {"multiply_by_parameter_scale", multiply_by_parameter_scale},
          {"epsilon1", epsilon1},
          {"epsilon2", epsilon2},
          {"min_dim_size_to_factor", min_dim_size_to_factor},
          {"beta1", beta1},
          {"beta2", beta2},
          {"epsilon", epsilon},
          {"weight_decay", weight_decay}};
}

void OptimizerOptions::validate(const std::string& where) const {
  std::vector<std::string> names = {"adafactor", "adamw", "adamw_scaled"};
  T5_CHECK(std::find(names.begin(), names.end(), name) != names.end(),
           "{}: unknown optimizer '{}'{}; expected adafactor, adamw or adamw_scaled", where, name,
           did_you_mean(name, names));
  T5_CHECK(decay_rate > 0.0, "{}: 'decay_rate' must be positive, got {}", where, decay_rate);
  T5_CHECK(clipping_threshold >= 0.0, "{}: 'clipping_threshold' must be >= 0, got {}", where,
           clipping_threshold);
  T5_CHECK(beta1 >= 0.0 && beta1 < 1.0, "{}: 'beta1' must be in [0, 1), got {}", where, beta1);
  T5_CHECK(beta2 >= 0.0 && beta2 < 1.0, "{}: 'beta2' must be in [0, 1), got {}", where, beta2);
  T5_CHECK(epsilon > 0.0 && epsilon1 > 0.0 && epsilon2 > 0.0,
           "{}: 'epsilon', 'epsilon1' and 'epsilon2' must be positive", where);
  T5_CHECK(weight_decay >= 0.0, "{}: 'weight_decay' must be >= 0, got {}", where, weight_decay);
  T5_CHECK(min_dim_size_to_factor >= 1, "{}: 'min_dim_size_to_factor' must be >= 1, got {}", where,
           min_dim_size_to_factor);
}

Optimizer::Optimizer(OptimizerOptions options,
                     std::vector<std::pair<std::string, torch::Tensor>> parameters)
    : options_(std::move(options)), parameters_(std::move(parameters)) {
  options_.validate("optimizer");
}

bool Optimizer::factored(const torch::Tensor& parameter) const {
  if (parameter.dim() < 2) return false;
  return parameter.size(-1) >= options_.min_dim_size_to_factor &&
         parameter.size(-2) >= options_.min_dim_size_to_factor;
}

void Optimizer::step(double learning_rate) {
  torch::NoGradGuard no_grad;
  ++steps_;
  for (auto& [name, parameter] : parameters_) {
    if (!parameter.grad().defined()) continue;
    auto grad = parameter.grad().to(torch::kFloat32);
    auto& slot = slots_[name];
    auto update = options_.name == "adafactor"
                      ? adafactor_update(parameter, grad, slot, learning_rate)
                      : adamw_update(parameter, grad, slot, learning_rate);
    parameter.sub_(update.to(parameter.scalar_type()));
  }
}

torch::Tensor Optimizer::adafactor_update(const torch::Tensor& parameter, const torch::Tensor& grad,
                                          Slot& slot, double learning_rate) {
  // Second-moment decay 1 - t^-0.8: 0 at the first step, so v starts as g^2.
  double decay = 1.0 - std::pow(static_cast<double>(steps_), -options_.decay_rate);
  auto squared = grad.pow(2) + options_.epsilon1;
  torch::Tensor scaled;
  if (factored(parameter)) {
    // Row and column means of g^2; their outer product over the mean row
    // approximates the full second moment.
    auto row = squared.mean(-1);
    auto col = squared.mean(-2);
    if (!slot.v_row.defined()) {
      slot.v_row = torch::zeros_like(row);
      slot.v_col = torch::zeros_like(col);
    }
    slot.v_row.mul_(decay).add_(row, 1.0 - decay);
    slot.v_col.mul_(decay).add_(col, 1.0 - decay);
    auto row_factor = (slot.v_row / slot.v_row.mean(-1, /*keepdim=*/true)).rsqrt();
    auto col_factor = slot.v_col.rsqrt();
    scaled = grad * row_factor.unsqueeze(-1) * col_factor.unsqueeze(-2);
  } else {
    if (!slot.v.defined()) slot.v = torch::zeros_like(squared);
    slot.v.mul_(decay).add_(squared, 1.0 - decay);
    scaled = grad * slot.v.rsqrt();
  }

  // Update clipping: the update's RMS is kept at or below the threshold.
  if (options_.clipping_threshold > 0.0) {
    scaled = scaled / std::max(1.0, rms(scaled) / options_.clipping_threshold);
  }
  double rate = learning_rate;
  if (options_.multiply_by_parameter_scale) {
    rate *= std::max(rms(parameter.to(torch::kFloat32)), options_.epsilon2);
  }
  return scaled * rate;
}

torch::Tensor Optimizer::adamw_update(const torch::Tensor& parameter, const torch::Tensor& grad,
                                      Slot& slot, double learning_rate) {
  if (!slot.m.defined()) {
    slot.m = torch::zeros_like(grad);
    slot.m2 = torch::zeros_like(grad);
  }
  slot.m.mul_(options_.beta1).add_(grad, 1.0 - options_.beta1);
  slot.m2.mul_(options_.beta2).addcmul_(grad, grad, 1.0 - options_.beta2);
  double t = static_cast<double>(steps_);
  double correction1 = 1.0 - std::pow(options_.beta1, t);
  double correction2 = 1.0 - std::pow(options_.beta2, t);
  auto update = (slot.m / correction1) / ((slot.m2 / correction2).sqrt() + options_.epsilon);
  double rate = learning_rate;
  auto master = parameter.to(torch::kFloat32);
  if (options_.name == "adamw_scaled") rate *= std::max(rms(master), options_.epsilon2);
  // Decoupled weight decay (by the plain learning rate).
  return update * rate + master * (learning_rate * options_.weight_decay);
}

void Optimizer::zero_grad() {
  for (auto& entry : parameters_) {
    auto& grad = entry.second.mutable_grad();
    if (grad.defined()) grad = torch::Tensor();
  }
}

std::vector<std::pair<std::string, torch::Tensor>> Optimizer::state() const {
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  tensors.emplace_back("step", torch::tensor(steps_, torch::kLong));
  for (const auto& [name, slot] : slots_) {
    for (auto [suffix, tensor] : {std::pair{"v_row", &slot.v_row},
                                  {"v_col", &slot.v_col},
                                  {"v", &slot.v},
                                  {"m", &slot.m},
                                  {"m2", &slot.m2}}) {
      if (tensor->defined()) tensors.emplace_back(name + "/" + suffix, *tensor);
    }
  }
  return tensors;
}

void Optimizer::load_state(const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                           const std::string& where) {
  std::map<std::string, torch::Tensor> by_name(tensors.begin(), tensors.end());
  auto step = by_name.find("step");
  T5_CHECK(step != by_name.end(), "{}: optimizer state has no 'step'; is it an optimizer file?",
           where);
  steps_ = step->second.item<int64_t>();
  slots_.clear();
  std::map<std::string, torch::Tensor> parameters(parameters_.begin(), parameters_.end());
  for (const auto& [key, tensor] : by_name) {
    if (key == "step") continue;
    auto slash = key.rfind('/');
    T5_CHECK(slash != std::string::npos, "{}: unexpected optimizer entry '{}'", where, key);
    std::string name = key.substr(0, slash);
    std::string suffix = key.substr(slash + 1);
    T5_CHECK(parameters.count(name), "{}: optimizer state for unknown parameter '{}'", where, name);
    auto& slot = slots_[name];
    torch::Tensor* target = suffix == "v_row"   ? &slot.v_row
                            : suffix == "v_col" ? &slot.v_col
                            : suffix == "v"     ? &slot.v
                            : suffix == "m"     ? &slot.m
                            : suffix == "m2"    ? &slot.m2
                                                : nullptr;
    T5_CHECK(target != nullptr, "{}: unexpected optimizer entry '{}'", where, key);
    *target = tensor.to(torch::kFloat32).to(parameters.at(name).device()).clone();
  }
}

double clip_grad_norm(const std::vector<std::pair<std::string, torch::Tensor>>& parameters,
                      double max_norm) {
  torch::NoGradGuard no_grad;
  double total = 0.0;
  for (const auto& entry : parameters) {
    const auto& grad = entry.second.grad();
    if (grad.defined()) total += grad.to(torch::kFloat32).pow(2).sum().item<double>();
  }
  double norm = std::sqrt(total);
  if (max_norm > 0.0 && norm > max_norm) {
    double scale = max_norm / (norm + 1e-6);
    for (const auto& entry : parameters) {
      auto grad = entry.second.grad();
      if (grad.defined()) grad.mul_(scale);
    }
  }
  return norm;
}

}  // namespace t5

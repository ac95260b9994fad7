#include <catch2/catch.hpp>

#include <cmath>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "t5/train/optimizer.h"

namespace {

using Named = std::vector<std::pair<std::string, torch::Tensor>>;

torch::Tensor parameter_with_grad(torch::Tensor value, torch::Tensor grad) {
  auto parameter = value.clone().set_requires_grad(true);
  parameter.mutable_grad() = grad;
  return parameter;
}

}  // namespace

TEST_CASE("Adafactor's first unfactored step moves by the parameter's RMS times lr", "[train]") {
  // Step 1: the decay is 1 - 1^-0.8 = 0, so v = g^2 + 1e-30 and the scaled
  // gradient is sign(g) (RMS 1: no clipping at threshold 1). The rate is
  // lr * RMS(p) = 0.01 * sqrt((0.25 + 0.25 + 4) / 3) = 0.01 * 1.2247449.
  auto p = parameter_with_grad(torch::tensor({0.5, -0.5, 2.0}), torch::tensor({0.1, -0.2, 0.3}));
  t5::Optimizer optimizer({}, Named{{"p", p}});
  optimizer.step(0.01);
  double moved = 0.01 * std::sqrt(1.5);
  CHECK(p[0].item<double>() == Approx(0.5 - moved).epsilon(1e-6));
  CHECK(p[1].item<double>() == Approx(-0.5 + moved).epsilon(1e-6));
  CHECK(p[2].item<double>() == Approx(2.0 - moved).epsilon(1e-6));
}

TEST_CASE("Adafactor clips updates to the threshold RMS", "[train]") {
  // sign(g) has RMS 1; threshold 0.5 halves it. Parameter scaling off: the
  // step is lr * 0.5 exactly.
  t5::OptimizerOptions options;
  options.clipping_threshold = 0.5;
  options.multiply_by_parameter_scale = false;
  auto p = parameter_with_grad(torch::tensor({1.0, 1.0}), torch::tensor({3.0, -0.5}));
  t5::Optimizer optimizer(options, Named{{"p", p}});
  optimizer.step(0.1);
  CHECK(p[0].item<double>() == Approx(1.0 - 0.05).epsilon(1e-6));
  CHECK(p[1].item<double>() == Approx(1.0 + 0.05).epsilon(1e-6));
}

TEST_CASE("Adafactor floors the parameter scale at epsilon2", "[train]") {
  // A zero parameter has RMS 0; the scale is then 1e-3.
  auto p = parameter_with_grad(torch::zeros({2}), torch::tensor({1.0, 1.0}));
  t5::Optimizer optimizer({}, Named{{"p", p}});
  optimizer.step(1.0);
  CHECK(p[0].item<double>() == Approx(-1e-3).epsilon(1e-6));
}

TEST_CASE("Adafactor factors large matrices and is exact for rank-one gradients", "[train]") {
  // For g = a b^T the row/column estimate equals g^2 exactly, so the
  // factored and the full second moments give the same update (sign(g)).
  auto a = torch::linspace(0.1, 2.0, 128);
  auto b = torch::linspace(-1.5, 1.0, 130);
  auto grad = torch::outer(a, b);
  auto value = torch::randn({128, 130}, at::make_generator<at::CPUGeneratorImpl>(1));
  auto factored = parameter_with_grad(value, grad.clone());
  auto full = parameter_with_grad(value, grad.clone());
  t5::OptimizerOptions full_options;
  full_options.min_dim_size_to_factor = 1000;
  t5::Optimizer factored_optimizer({}, Named{{"w", factored}});
  t5::Optimizer full_optimizer(full_options, Named{{"w", full}});
  factored_optimizer.step(0.01);
  full_optimizer.step(0.01);
  CHECK(torch::allclose(factored, full, 1e-6, 1e-6));

  // The state shows which path ran.
  auto names = [](const t5::Optimizer& o) {
    std::vector<std::string> keys;
    for (const auto& entry : o.state()) keys.push_back(entry.first);
    return keys;
  };
  CHECK(names(factored_optimizer) == std::vector<std::string>{"step", "w/v_row", "w/v_col"});
  CHECK(names(full_optimizer) == std::vector<std::string>{"step", "w/v"});
}

TEST_CASE("Adafactor's second step decays the second moment by 1 - 2^-0.8", "[train]") {
  t5::OptimizerOptions options;
  options.multiply_by_parameter_scale = false;
  options.clipping_threshold = 0.0;
  auto p = parameter_with_grad(torch::tensor({0.0}), torch::tensor({2.0}));
  t5::Optimizer optimizer(options, Named{{"p", p}});
  optimizer.step(1.0);  // v = 4, update 2 / 2 = 1
  CHECK(p.item<double>() == Approx(-1.0));
  p.mutable_grad() = torch::tensor({1.0});
  optimizer.step(1.0);
  // decay = 1 - 2^-0.8 = 0.4256484; v = 0.4256484 * 4 + 0.5743516 * 1.
  double decay = 1.0 - std::pow(2.0, -0.8);
  double v = decay * 4.0 + (1.0 - decay) * 1.0;
  CHECK(p.item<double>() == Approx(-1.0 - 1.0 / std::sqrt(v)).epsilon(1e-6));
}

TEST_CASE("AdamW's first step is lr times the gradient's sign, scaled by RMS when asked",
          "[train]") {
  // Bias-corrected first step: m / (sqrt(v) + eps) = g / |g| (eps 1e-8).
  auto p = parameter_with_grad(torch::tensor({3.0, -4.0}), torch::tensor({0.5, -2.0}));
  t5::OptimizerOptions options;
  options.name = "adamw";
  t5::Optimizer optimizer(options, Named{{"p", p}});
  optimizer.step(0.1);
  CHECK(p[0].item<double>() == Approx(2.9).epsilon(1e-6));
  CHECK(p[1].item<double>() == Approx(-3.9).epsilon(1e-6));

  // adamw_scaled: times RMS([3, -4]) = sqrt(12.5) = 3.5355339.
  auto q = parameter_with_grad(torch::tensor({3.0, -4.0}), torch::tensor({0.5, -2.0}));
  options.name = "adamw_scaled";
  t5::Optimizer scaled(options, Named{{"q", q}});
  scaled.step(0.1);
  CHECK(q[0].item<double>() == Approx(3.0 - 0.1 * std::sqrt(12.5)).epsilon(1e-6));
}

TEST_CASE("optimizer state saved and loaded continues identically", "[train]") {
  auto make = [] {
    return parameter_with_grad(torch::tensor({0.5, -0.25, 1.0}), torch::tensor({0.1, 0.2, -0.3}));
  };
  auto a = make();
  auto b = make();
  t5::Optimizer first({}, Named{{"p", a}});
  first.step(0.1);
  t5::Optimizer second({}, Named{{"p", b}});
  {
    torch::NoGradGuard no_grad;
    b.copy_(a);
  }
  second.load_state(first.state(), "test");
  CHECK(second.steps() == 1);
  a.mutable_grad() = torch::tensor({0.3, -0.1, 0.2});
  b.mutable_grad() = torch::tensor({0.3, -0.1, 0.2});
  first.step(0.1);
  second.step(0.1);
  CHECK(torch::equal(a, b));
  CHECK_THROWS_WITH(second.load_state({{"step", torch::tensor(1)}, {"q/v", torch::zeros({3})}},
                                      "ckpt/optimizer.safetensors"),
                    Catch::Contains("unknown parameter 'q'"));
}

TEST_CASE("gradient clipping scales the global norm down to the limit", "[train]") {
  // Norm of (3, 4) = 5; clipped to 1 it becomes (0.6, 0.8).
  auto p = parameter_with_grad(torch::zeros({2}), torch::tensor({3.0, 4.0}));
  double norm = t5::clip_grad_norm(Named{{"p", p}}, 1.0);
  CHECK(norm == Approx(5.0));
  CHECK(p.grad()[0].item<double>() == Approx(0.6).epsilon(1e-5));
  CHECK(p.grad()[1].item<double>() == Approx(0.8).epsilon(1e-5));
}

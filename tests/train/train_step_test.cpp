#include <catch2/catch.hpp>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <ATen/autocast_mode.h>

#include "t5/train/train_step.h"
#include "tests/support/tiny_model.h"

namespace {

t5::ModelConfig tiny_config() { return t5::testing::tiny_model_config(); }

t5::ModelInputs rows(const torch::Tensor& inputs, const torch::Tensor& labels) {
  t5::ModelInputs batch;
  batch.input_ids = inputs;
  batch.attention_mask = inputs != 0;
  batch.labels = labels;
  return batch;
}

}  // namespace

TEST_CASE("accumulating k micro-batches equals one k-times batch", "[train]") {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(5);
  auto inputs = torch::randint(2, 40, {4, 7}, generator);
  auto labels = torch::randint(2, 40, {4, 5}, generator);
  labels[3][4] = -100;  // unequal target counts per row: weighting matters
  labels[1][3] = -100;
  labels[1][4] = -100;

  t5::T5Model whole(tiny_config());
  whole->reset_parameters(1);
  t5::T5Model parts(tiny_config());
  parts->reset_parameters(1);
  t5::OptimizerOptions sgd_like;
  sgd_like.name = "adamw";
  t5::Optimizer whole_optimizer(sgd_like, whole->unique_named_parameters());
  t5::Optimizer parts_optimizer(sgd_like, parts->unique_named_parameters());
  t5::StepOptions options;
  options.max_grad_norm = 1.0;

  auto one = t5::train_step(*whole, whole_optimizer, {rows(inputs, labels)}, 1e-2, options);
  using torch::indexing::Slice;
  std::vector<t5::ModelInputs> micro;
  for (int64_t i = 0; i < 4; i += 2) {
    micro.push_back(rows(inputs.index({Slice(i, i + 2)}), labels.index({Slice(i, i + 2)})));
  }
  auto accumulated = t5::train_step(*parts, parts_optimizer, micro, 1e-2, options);

  // The same loss, gradient norm and updated weights (float32 summation order
  // differs: 1e-5).
  CHECK(accumulated.loss == Approx(one.loss).epsilon(1e-5));
  CHECK(accumulated.grad_norm == Approx(one.grad_norm).epsilon(1e-5));
  CHECK(accumulated.target_tokens == one.target_tokens);
  auto a = whole->unique_named_parameters();
  auto b = parts->unique_named_parameters();
  for (size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].first);
    CHECK(torch::allclose(a[i].second, b[i].second, 1e-5, 1e-5));
  }
}

TEST_CASE("z-loss and label smoothing add their hand-computed terms", "[train]") {
  // Two classes with logits (0, log 3): log Z = log 4, p = (1/4, 3/4).
  auto logits = torch::tensor({0.0, std::log(3.0)}).view({1, 1, 2});
  auto labels = torch::tensor({{1}});
  t5::LossOptions plain;
  auto base = t5::sum_loss(logits, labels, {}, plain);
  CHECK(base.total.item<double>() == Approx(-std::log(0.75)));

  t5::LossOptions z;
  z.z_loss = 1e-4;
  auto with_z = t5::sum_loss(logits, labels, {}, z);
  CHECK(with_z.total.item<double>() == Approx(-std::log(0.75) + 1e-4 * std::pow(std::log(4.0), 2)));

  // Smoothing 0.1 over 2 classes: 0.9 * CE + 0.1 * mean(-log p).
  t5::LossOptions smooth;
  smooth.label_smoothing = 0.1;
  double uniform = (-std::log(0.25) - std::log(0.75)) / 2.0;
  CHECK(t5::sum_loss(logits, labels, {}, smooth).total.item<double>() ==
        Approx(0.9 * -std::log(0.75) + 0.1 * uniform));
  // The logged cross-entropy stays the plain one.
  CHECK(t5::sum_loss(logits, labels, {}, smooth).cross_entropy.item<double>() ==
        Approx(-std::log(0.75)));
}

TEST_CASE("a bfloat16 autocast step trains and leaves float32 master weights", "[train]") {
  t5::T5Model model(tiny_config());
  model->reset_parameters(2);
  model->train();
  t5::Optimizer optimizer({}, model->unique_named_parameters());
  t5::StepOptions options;
  options.precision = t5::Precision::kBFloat16;
  auto batch = rows(torch::tensor({{5, 6, 7, 1}}), torch::tensor({{8, 9, 1}}));
  double first = 0.0, last = 0.0;
  for (int step = 1; step <= 30; ++step) {
    auto result = t5::train_step(*model, optimizer, {batch}, 1e-2, options);
    if (step == 1) first = result.loss;
    last = result.loss;
  }
  // Memorising one example: the loss falls (a property, not a number).
  CHECK(last < first * 0.5);
  CHECK(model->shared->weight.scalar_type() == torch::kFloat32);
  CHECK(!at::autocast::is_cpu_enabled());
}

TEST_CASE("the autocast guard computes matmuls in bfloat16 and restores the state", "[train]") {
  t5::T5Model model(tiny_config());
  auto batch = rows(torch::tensor({{5, 6, 7, 1}}), torch::tensor({{8, 9, 1}}));
  {
    t5::AutocastGuard guard(t5::Precision::kBFloat16, torch::kCPU);
    CHECK(model->forward(batch).logits.scalar_type() == torch::kBFloat16);
  }
  CHECK(model->forward(batch).logits.scalar_type() == torch::kFloat32);
}

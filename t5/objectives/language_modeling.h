#pragma once

#include <string>
#include <vector>

#include "t5/objectives/objective.h"

namespace t5 {

struct PrefixLmOptions {
  /// Expected share of the text that goes to the targets: the split point
  /// is uniform in [max(1, round((1 - 2 * noise_density) * (n - 1))), n - 1]
  /// for a text of n tokens, as the reference's random prefix mask; 0.5
  /// (the default) makes it uniform over [1, n - 1]. In [0, 1].
  double noise_density = 0.5;

  static PrefixLmOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
  void validate(const std::string& where) const;
};

// "prefix_lm": the text split at a random point; the inputs are the part
// before it, the targets the rest ("Thank you for inviting" -> "me to your
// party last week ."). A 1-token text has an empty prefix (inputs = EOS).
// The raw length is the smaller budget minus EOS. For the decoder-only and
// prefix-LM architectures the batcher concatenates inputs and targets, so
// give budgets whose sum fits the decoder length.
class PrefixLm : public Objective {
 public:
  PrefixLm(PrefixLmOptions options, const ObjectiveContext& context);

  std::string name() const override { return "prefix_lm"; }
  Json to_json() const override;
  int64_t raw_length() const override { return raw_; }
  SequenceLengths output_lengths() const override;
  EncodedExample apply(const std::vector<int64_t>& tokens, Rng& rng) const override;

 private:
  PrefixLmOptions options_;
  SpecialIds ids_;
  std::string where_;
  int64_t raw_ = 0;
};

// "language_modeling": plain language modeling for the decoder-only
// architecture: no inputs, the whole text (plus EOS) is the target. The raw
// length is the targets budget minus EOS; the inputs budget is not used.
class LanguageModeling : public Objective {
 public:
  explicit LanguageModeling(const ObjectiveContext& context);

  std::string name() const override { return "language_modeling"; }
  Json to_json() const override { return Json{{"name", name()}}; }
  int64_t raw_length() const override { return raw_; }
  SequenceLengths output_lengths() const override { return {0, raw_ > 0 ? raw_ + 1 : 0}; }
  EncodedExample apply(const std::vector<int64_t>& tokens, Rng& rng) const override;

 private:
  SpecialIds ids_;
  std::string where_;
  int64_t raw_ = 0;
};

// "none": the no-pretraining baseline of the paper's tables. It makes no
// examples; skips_pretraining() tells the runner to go straight to
// fine-tuning from the initialisation.
class NoPretraining : public Objective {
 public:
  std::string name() const override { return "none"; }
  Json to_json() const override { return Json{{"name", name()}}; }
  int64_t raw_length() const override { return 0; }
  SequenceLengths output_lengths() const override { return {0, 0}; }
  EncodedExample apply(const std::vector<int64_t>&, Rng&) const override { return {}; }
  bool skips_pretraining() const override { return true; }
};

}  // namespace t5

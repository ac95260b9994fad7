#pragma once

#include <string>
#include <vector>

#include "t5/objectives/objective.h"

namespace t5 {

// Objectives whose targets are the original text: the inputs keep its length
// and the raw length is the smaller budget minus EOS.

struct BertStyleOptions {
  /// Probability that each token is corrupted (BERT, T5: 0.15); [0, 1].
  double noise_density = 0.15;
  /// Of the corrupted tokens, the share replaced by the mask token.
  double mask_fraction = 0.8;
  /// Of the corrupted tokens, the share replaced by a random token; the
  /// rest (1 - mask_fraction - random_fraction) stay as they are. The
  /// issue's and REFERENCE.md's split is 80/10/10; the paper's text
  /// describes 90/10 (mask_fraction 0.9, random_fraction 0).
  double random_fraction = 0.1;
  /// The mask token: an id or "<extra_id_N>" (the paper uses a sentinel).
  std::string mask_token = "<extra_id_0>";

  static BertStyleOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
  void validate(const std::string& where) const;
};

// "bert_style": i.i.d. corruption where each corrupted token becomes the
// mask token, a random token (SpecialIds' random range) or itself; the
// targets are the original text.
class BertStyle : public Objective {
 public:
  BertStyle(BertStyleOptions options, const ObjectiveContext& context);

  std::string name() const override { return "bert_style"; }
  Json to_json() const override;
  int64_t raw_length() const override { return raw_; }
  SequenceLengths output_lengths() const override;
  EncodedExample apply(const std::vector<int64_t>& tokens, Rng& rng) const override;

 private:
  BertStyleOptions options_;
  SpecialIds ids_;
  std::string where_;
  int64_t mask_id_ = 0;
  int64_t raw_ = 0;
};

struct MassStyleOptions {
  /// Share of tokens masked, in spans (the span-corruption mask); (0, 1).
  double noise_density = 0.15;
  /// Mean masked span length in tokens; at least 1.
  double mean_noise_span_length = 3.0;
  /// The token every masked position becomes.
  std::string mask_token = "<extra_id_0>";

  static MassStyleOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
  void validate(const std::string& where) const;
};

// "mass_style": random spans where every noise token becomes the mask token
// ("Thank you <M> <M> me to your party <M> week ."); targets are the
// original text.
class MassStyle : public Objective {
 public:
  MassStyle(MassStyleOptions options, const ObjectiveContext& context);

  std::string name() const override { return "mass_style"; }
  Json to_json() const override;
  int64_t raw_length() const override { return raw_; }
  SequenceLengths output_lengths() const override;
  EncodedExample apply(const std::vector<int64_t>& tokens, Rng& rng) const override;

 private:
  MassStyleOptions options_;
  SpecialIds ids_;
  std::string where_;
  int64_t mask_id_ = 0;
  int64_t raw_ = 0;
};

// "deshuffling": the inputs are the text's tokens in a uniformly random
// order; the targets are the original text. No options.
class Deshuffling : public Objective {
 public:
  explicit Deshuffling(const ObjectiveContext& context);

  std::string name() const override { return "deshuffling"; }
  Json to_json() const override { return Json{{"name", name()}}; }
  int64_t raw_length() const override { return raw_; }
  SequenceLengths output_lengths() const override;
  EncodedExample apply(const std::vector<int64_t>& tokens, Rng& rng) const override;

 private:
  SpecialIds ids_;
  std::string where_;
  int64_t raw_ = 0;
};

}  // namespace t5

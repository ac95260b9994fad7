#pragma once

#include <memory>
#include <string>
#include <vector>

#include "t5/objectives/registry.h"

namespace t5 {

// One member of a mixture of denoisers.
struct DenoiserOptions {
  /// The member objective: a name or {"name": ..., options}; not a mixture
  /// and not "none".
  Json objective;
  /// Relative rate (> 0): the member makes an example with probability
  /// rate / (sum of rates).
  double rate = 1.0;
  /// Token put first in the member's inputs (UL2's paradigm tokens), an id
  /// or "<extra_id_N>"; empty for none. Sentinels used this way are
  /// reserved: spans of every member stop below the lowest of them.
  std::string paradigm_token;
};

struct MixtureOptions {
  std::vector<DenoiserOptions> denoisers;

  // {"denoisers": [{"objective": ..., "rate": 1, "paradigm_token": "..."}]}
  static MixtureOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
  void validate(const std::string& where) const;
};

// "mixture_of_denoisers": each example comes from one member, drawn by rate
// (the pretraining stream draws first, then cuts a chunk of that member's
// raw length). A member with a paradigm token gets one input token less of
// budget and its inputs start with the token.
class MixtureOfDenoisers : public Objective {
 public:
  MixtureOfDenoisers(MixtureOptions options, const ObjectiveContext& context,
                     const ObjectiveRegistry& registry);

  std::string name() const override { return "mixture_of_denoisers"; }
  Json to_json() const override;
  // The longest member's.
  int64_t raw_length() const override { return raw_; }
  SequenceLengths output_lengths() const override { return lengths_; }
  // Draws a member and applies it to the first raw_length() tokens it takes.
  EncodedExample apply(const std::vector<int64_t>& tokens, Rng& rng) const override;
  const Objective& select(Rng& rng) const override;

  size_t size() const { return members_.size(); }
  const Objective& member(size_t index) const { return *members_.at(index); }

 private:
  MixtureOptions options_;
  std::vector<std::unique_ptr<Objective>> members_;
  std::vector<double> cumulative_rates_;
  int64_t raw_ = 0;
  SequenceLengths lengths_;
};

// UL2's mixture ("ul2", Tay et al. 2022), as REFERENCE.md lists it, with
// equal rates (our choice; UL2's own rates are not part of the reference):
// R-denoisers, span corruption with mean span 3 and 8 at 15% noise, after
// the [NLU] token; X-denoisers, spans 3 and 8 at 50% and 64 at 15% and 50%,
// after [NLG] (they may wrap sentinels: span 3 at 50% needs ~128 of them
// for 512 inputs); the S-denoiser, prefix LM, after [S2S]. The paradigm
// tokens default to the top sentinels <extra_id_99>, <extra_id_98> and
// <extra_id_97> of T5's vocabulary, which plain T5 never emits, so the
// tokens need no new vocabulary entries; any ids may be set instead.
struct Ul2Options {
  std::string nlu_token = "<extra_id_99>";
  std::string nlg_token = "<extra_id_98>";
  std::string s2s_token = "<extra_id_97>";

  static Ul2Options from_json(const Json& json, const std::string& where);
  Json to_json() const;
  // The seven denoisers above.
  MixtureOptions to_mixture() const;
};

class Ul2 : public MixtureOfDenoisers {
 public:
  Ul2(Ul2Options options, const ObjectiveContext& context, const ObjectiveRegistry& registry);

  std::string name() const override { return "ul2"; }
  Json to_json() const override;

 private:
  Ul2Options ul2_options_;
};

}  // namespace t5

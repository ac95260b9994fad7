#pragma once

#include <string>
#include <vector>

#include "t5/objectives/corruption.h"
#include "t5/objectives/noise.h"
#include "t5/objectives/objective.h"

namespace t5 {

struct SpanCorruptionOptions {
  /// Share of the text's tokens that are noise (T5: 0.15); in (0, 1).
  double noise_density = 0.15;
  /// Mean noise span length in tokens (T5: 3); at least 1.
  double mean_noise_span_length = 3.0;
  /// Close the targets with one more sentinel before EOS (REFERENCE.md and
  /// the paper); false gives the Google code's targets, one token shorter.
  bool final_sentinel = true;
  /// Reuse sentinels cyclically when spans outnumber them (see
  /// SentinelLayout); false throws instead.
  bool wrap_sentinels = false;

  // Reads the options of {"name": ..., ...}; unknown keys and values out of
  // range throw t5::Error naming the key (and the nearest known one).
  static SpanCorruptionOptions from_json(const Json& json, const std::string& where);
  Json to_json() const;
  void validate(const std::string& where) const;
};

// T5's objective ("span_corruption"): random-spans noise, each span replaced
// by a sentinel in the inputs; the targets hold the spans after their
// sentinels. With an inputs budget the raw length is planned so inputs fill
// it exactly (plan_span_corruption); a targets budget smaller than the plan
// is an error at construction, as are more spans than sentinels.
class SpanCorruption : public Objective {
 public:
  SpanCorruption(SpanCorruptionOptions options, const ObjectiveContext& context);

  std::string name() const override { return "span_corruption"; }
  Json to_json() const override;
  int64_t raw_length() const override { return plan_.raw; }
  SequenceLengths output_lengths() const override { return {plan_.inputs, plan_.targets}; }
  EncodedExample apply(const std::vector<int64_t>& tokens, Rng& rng) const override;

  const SpanCorruptionOptions& options() const { return options_; }
  // The planned lengths (all 0 without an inputs budget).
  const SpanLengths& plan() const { return plan_; }

 private:
  SpanCorruptionOptions options_;
  SpecialIds ids_;
  std::string where_;
  SpanLengths plan_;
};

struct IidNoiseOptions {
  /// Probability that each token is noise; any value in [0, 1].
  double noise_density = 0.15;
  /// Replace spans only: close the targets with one more sentinel.
  bool final_sentinel = true;
  /// Replace spans only: reuse sentinels cyclically when i.i.d. noise makes
  /// more spans than there are sentinels (at 15% a 511-token text has ~65
  /// spans, and more than 99 now and then), instead of throwing.
  bool wrap_sentinels = true;

  static IidNoiseOptions from_json(const Json& json, const std::string& where, bool with_sentinels);
  Json to_json(bool with_sentinels) const;
  void validate(const std::string& where) const;
};

// The paper's i.i.d. corruption, each token noise with probability
// noise_density. "iid_replace_spans": each run of noise tokens becomes one
// sentinel ("Thank you <X> me to your party <Y> week ." -> "<X> for inviting
// <Y> last <Z>"). "iid_drop_tokens": noise tokens are dropped from the inputs
// and are the targets ("Thank you me to your party week ." -> "for inviting
// last"). The raw length is the inputs budget minus EOS (inputs never grow);
// targets longer than their budget are cut, keeping EOS, as the reference's
// trimming does.
class IidNoise : public Objective {
 public:
  enum class Mode { kReplaceSpans, kDropTokens };

  IidNoise(Mode mode, IidNoiseOptions options, const ObjectiveContext& context);

  std::string name() const override;
  Json to_json() const override;
  int64_t raw_length() const override { return raw_; }
  SequenceLengths output_lengths() const override { return lengths_; }
  EncodedExample apply(const std::vector<int64_t>& tokens, Rng& rng) const override;

 private:
  Mode mode_;
  IidNoiseOptions options_;
  SpecialIds ids_;
  std::string where_;
  SequenceLengths lengths_;
  int64_t raw_ = 0;
};

}  // namespace t5

#include "t5/objectives/span_corruption.h"

namespace t5 {

SpanCorruptionOptions SpanCorruptionOptions::from_json(const Json& json, const std::string& where) {
  SpanCorruptionOptions options;
  JsonFields fields(json, where);
  fields.ignore({"name"});
  fields.get("noise_density", options.noise_density);
  fields.get("mean_noise_span_length", options.mean_noise_span_length);
  fields.get("final_sentinel", options.final_sentinel);
  fields.get("wrap_sentinels", options.wrap_sentinels);
  fields.finish();
  options.validate(where);
  return options;
}

Json SpanCorruptionOptions::to_json() const {
  return Json{{"noise_density", noise_density},
              {"mean_noise_span_length", mean_noise_span_length},
              {"final_sentinel", final_sentinel},
              {"wrap_sentinels", wrap_sentinels}};
}

void SpanCorruptionOptions::validate(const std::string& where) const {
  check_open_density(noise_density, where, "noise_density");
  check_mean_span(mean_noise_span_length, where, "mean_noise_span_length");
}

SpanCorruption::SpanCorruption(SpanCorruptionOptions options, const ObjectiveContext& context)
    : options_(options), ids_(context.ids), where_(context.where) {
  options_.validate(where_);
  ids_.validate(where_);
  const auto& budget = context.lengths;
  if (budget.inputs == 0) return;

  // Plan the raw length, then check it against the targets budget and the
  // sentinels it needs.
  plan_ = plan_span_corruption(budget.inputs, options_.noise_density,
                               options_.mean_noise_span_length, options_.final_sentinel);
  T5_CHECK(budget.targets == 0 || plan_.targets <= budget.targets,
           "{}: span corruption with inputs length {} makes targets of {} tokens but the targets "
           "length is {}; set the targets length to {} (or 0 to take the plan)",
           where_, budget.inputs, plan_.targets, budget.targets, plan_.targets);
  int64_t spans =
      span_counts(plan_.raw, options_.noise_density, options_.mean_noise_span_length).spans;
  int64_t needed = spans + (options_.final_sentinel ? 1 : 0);
  T5_CHECK(options_.wrap_sentinels || needed <= ids_.span_sentinels(),
           "{}: span corruption of {} tokens makes {} spans and needs {} sentinels but {} are "
           "available; lower noise_density or the inputs length, raise mean_noise_span_length, or "
           "set wrap_sentinels",
           where_, plan_.raw, spans, needed, ids_.span_sentinels());
}

Json SpanCorruption::to_json() const {
  Json json = options_.to_json();
  json["name"] = name();
  return json;
}

EncodedExample SpanCorruption::apply(const std::vector<int64_t>& tokens, Rng& rng) const {
  check_chunk_length(tokens, plan_.raw, where_);
  auto mask = random_spans_noise_mask(static_cast<int64_t>(tokens.size()), options_.noise_density,
                                      options_.mean_noise_span_length, rng);
  SentinelLayout layout;
  layout.final_sentinel = options_.final_sentinel;
  layout.wrap_sentinels = options_.wrap_sentinels;
  return replace_spans_with_sentinels(tokens, mask, ids_, layout, where_);
}

IidNoiseOptions IidNoiseOptions::from_json(const Json& json, const std::string& where,
                                           bool with_sentinels) {
  IidNoiseOptions options;
  JsonFields fields(json, where);
  fields.ignore({"name"});
  fields.get("noise_density", options.noise_density);
  if (with_sentinels) {
    fields.get("final_sentinel", options.final_sentinel);
    fields.get("wrap_sentinels", options.wrap_sentinels);
  }
  fields.finish();
  options.validate(where);
  return options;
}

Json IidNoiseOptions::to_json(bool with_sentinels) const {
  Json json{{"noise_density", noise_density}};
  if (with_sentinels) {
    json["final_sentinel"] = final_sentinel;
    json["wrap_sentinels"] = wrap_sentinels;
  }
  return json;
}

void IidNoiseOptions::validate(const std::string& where) const {
  check_probability(noise_density, where, "noise_density");
}

IidNoise::IidNoise(Mode mode, IidNoiseOptions options, const ObjectiveContext& context)
    : mode_(mode), options_(options), ids_(context.ids), where_(context.where) {
  options_.validate(where_);
  ids_.validate(where_);
  // Only the inputs bound the text: i.i.d. targets vary in length and are
  // trimmed to their budget.
  raw_ = raw_length_for_copies({context.lengths.inputs, 0}, where_);
  T5_CHECK(context.lengths.targets == 0 || context.lengths.targets >= 2,
           "{}: a targets length of {} leaves no room for a token before EOS", where_,
           context.lengths.targets);
  lengths_ = {raw_ > 0 ? raw_ + 1 : 0, context.lengths.targets};
}

std::string IidNoise::name() const {
  return mode_ == Mode::kReplaceSpans ? "iid_replace_spans" : "iid_drop_tokens";
}

Json IidNoise::to_json() const {
  Json json = options_.to_json(mode_ == Mode::kReplaceSpans);
  json["name"] = name();
  return json;
}

EncodedExample IidNoise::apply(const std::vector<int64_t>& tokens, Rng& rng) const {
  check_chunk_length(tokens, raw_, where_);
  auto mask = iid_noise_mask(static_cast<int64_t>(tokens.size()), options_.noise_density, rng);
  EncodedExample example;
  if (mode_ == Mode::kReplaceSpans) {
    SentinelLayout layout;
    layout.final_sentinel = options_.final_sentinel;
    layout.wrap_sentinels = options_.wrap_sentinels;
    example = replace_spans_with_sentinels(tokens, mask, ids_, layout, where_);
  } else {
    example = drop_noise_tokens(tokens, mask, ids_);
  }
  trim_keeping_eos(example.targets, lengths_.targets, ids_.eos);
  return example;
}

}  // namespace t5

#include "t5/objectives/language_modeling.h"

#include <algorithm>

#include "t5/objectives/noise.h"

namespace t5 {

PrefixLmOptions PrefixLmOptions::from_json(const Json& json, const std::string& where) {
  PrefixLmOptions options;
  JsonFields fields(json, where);
  fields.ignore({"name"});
  fields.get("noise_density", options.noise_density);
  fields.finish();
  options.validate(where);
  return options;
}

Json PrefixLmOptions::to_json() const { return Json{{"noise_density", noise_density}}; }

void PrefixLmOptions::validate(const std::string& where) const {
  check_probability(noise_density, where, "noise_density");
}

PrefixLm::PrefixLm(PrefixLmOptions options, const ObjectiveContext& context)
    : options_(options), ids_(context.ids), where_(context.where) {
  options_.validate(where_);
  ids_.validate(where_);
  raw_ = raw_length_for_copies(context.lengths, where_);
}

Json PrefixLm::to_json() const {
  Json json = options_.to_json();
  json["name"] = name();
  return json;
}

SequenceLengths PrefixLm::output_lengths() const {
  // Each part plus EOS fits raw + 1: for n >= 2 the split leaves each side
  // at most n - 1 tokens, and a 1-token text goes wholly to the targets.
  int64_t length = raw_ > 0 ? raw_ + 1 : 0;
  return {length, length};
}

EncodedExample PrefixLm::apply(const std::vector<int64_t>& tokens, Rng& rng) const {
  check_chunk_length(tokens, raw_, where_);
  auto n = static_cast<int64_t>(tokens.size());
  int64_t split = 0;
  if (n >= 2) {
    int64_t most = n - 1;
    double fewest = (1.0 - 2.0 * options_.noise_density) * static_cast<double>(most);
    int64_t least = std::min(most, std::max<int64_t>(1, round_half_even(fewest)));
    split = rng.range(least, most + 1);
  }
  EncodedExample example;
  example.inputs.assign(tokens.begin(), tokens.begin() + split);
  example.inputs.push_back(ids_.eos);
  example.targets.assign(tokens.begin() + split, tokens.end());
  example.targets.push_back(ids_.eos);
  return example;
}

LanguageModeling::LanguageModeling(const ObjectiveContext& context)
    : ids_(context.ids), where_(context.where) {
  ids_.validate(where_);
  raw_ = raw_length_for_copies({0, context.lengths.targets}, where_);
}

EncodedExample LanguageModeling::apply(const std::vector<int64_t>& tokens, Rng&) const {
  check_chunk_length(tokens, raw_, where_);
  EncodedExample example;
  example.targets.reserve(tokens.size() + 1);
  example.targets.assign(tokens.begin(), tokens.end());
  example.targets.push_back(ids_.eos);
  return example;
}

}  // namespace t5

#include "t5/objectives/masking.h"

#include "t5/objectives/noise.h"

namespace t5 {

namespace {

SequenceLengths copy_lengths(int64_t raw) {
  int64_t length = raw > 0 ? raw + 1 : 0;
  return {length, length};
}

// The original text plus EOS.
std::vector<int64_t> with_eos(const std::vector<int64_t>& tokens, int64_t eos) {
  std::vector<int64_t> feature;
  feature.reserve(tokens.size() + 1);
  feature.insert(feature.end(), tokens.begin(), tokens.end());
  feature.push_back(eos);
  return feature;
}

// The "mask_token" option (an id or a piece such as "<extra_id_0>") as
// text; `current` when the key is absent.
std::string read_mask_token(JsonFields& fields, const std::string& current,
                            const std::string& where) {
  Json mask_token = current;
  fields.get("mask_token", mask_token);
  return token_text(mask_token, where + ": mask_token");
}

}  // namespace

BertStyleOptions BertStyleOptions::from_json(const Json& json, const std::string& where) {
  BertStyleOptions options;
  JsonFields fields(json, where);
  fields.ignore({"name"});
  fields.get("noise_density", options.noise_density);
  fields.get("mask_fraction", options.mask_fraction);
  fields.get("random_fraction", options.random_fraction);
  options.mask_token = read_mask_token(fields, options.mask_token, where);
  fields.finish();
  options.validate(where);
  return options;
}

Json BertStyleOptions::to_json() const {
  return Json{{"noise_density", noise_density},
              {"mask_fraction", mask_fraction},
              {"random_fraction", random_fraction},
              {"mask_token", mask_token}};
}

void BertStyleOptions::validate(const std::string& where) const {
  check_probability(noise_density, where, "noise_density");
  check_probability(mask_fraction, where, "mask_fraction");
  check_probability(random_fraction, where, "random_fraction");
  T5_CHECK(mask_fraction + random_fraction <= 1.0 + 1e-12,
           "{}: mask_fraction {} + random_fraction {} exceed 1; the rest of the corrupted tokens "
           "are kept, so the two must sum to at most 1",
           where, mask_fraction, random_fraction);
}

BertStyle::BertStyle(BertStyleOptions options, const ObjectiveContext& context)
    : options_(std::move(options)), ids_(context.ids), where_(context.where) {
  options_.validate(where_);
  ids_.validate(where_);
  mask_id_ = resolve_token(options_.mask_token, ids_, where_ + ": mask_token");
  raw_ = raw_length_for_copies(context.lengths, where_);
}

Json BertStyle::to_json() const {
  Json json = options_.to_json();
  json["name"] = name();
  return json;
}

SequenceLengths BertStyle::output_lengths() const { return copy_lengths(raw_); }

EncodedExample BertStyle::apply(const std::vector<int64_t>& tokens, Rng& rng) const {
  check_chunk_length(tokens, raw_, where_);
  EncodedExample example;
  example.inputs.reserve(tokens.size() + 1);
  for (int64_t token : tokens) {
    // One draw picks whether the token is corrupted and how: [0, density)
    // splits into mask, random and keep by the fractions.
    double u = rng.uniform();
    if (u >= options_.noise_density) {
      example.inputs.push_back(token);
      continue;
    }
    double share = u / options_.noise_density;
    if (share < options_.mask_fraction) {
      example.inputs.push_back(mask_id_);
    } else if (share < options_.mask_fraction + options_.random_fraction) {
      example.inputs.push_back(rng.range(ids_.random_begin, ids_.random_limit()));
    } else {
      example.inputs.push_back(token);
    }
  }
  example.inputs.push_back(ids_.eos);
  example.targets = with_eos(tokens, ids_.eos);
  return example;
}

MassStyleOptions MassStyleOptions::from_json(const Json& json, const std::string& where) {
  MassStyleOptions options;
  JsonFields fields(json, where);
  fields.ignore({"name"});
  fields.get("noise_density", options.noise_density);
  fields.get("mean_noise_span_length", options.mean_noise_span_length);
  options.mask_token = read_mask_token(fields, options.mask_token, where);
  fields.finish();
  options.validate(where);
  return options;
}

Json MassStyleOptions::to_json() const {
  return Json{{"noise_density", noise_density},
              {"mean_noise_span_length", mean_noise_span_length},
              {"mask_token", mask_token}};
}

void MassStyleOptions::validate(const std::string& where) const {
  check_open_density(noise_density, where, "noise_density");
  check_mean_span(mean_noise_span_length, where, "mean_noise_span_length");
}

MassStyle::MassStyle(MassStyleOptions options, const ObjectiveContext& context)
    : options_(std::move(options)), ids_(context.ids), where_(context.where) {
  options_.validate(where_);
  ids_.validate(where_);
  mask_id_ = resolve_token(options_.mask_token, ids_, where_ + ": mask_token");
  raw_ = raw_length_for_copies(context.lengths, where_);
}

Json MassStyle::to_json() const {
  Json json = options_.to_json();
  json["name"] = name();
  return json;
}

SequenceLengths MassStyle::output_lengths() const { return copy_lengths(raw_); }

EncodedExample MassStyle::apply(const std::vector<int64_t>& tokens, Rng& rng) const {
  check_chunk_length(tokens, raw_, where_);
  auto mask = random_spans_noise_mask(static_cast<int64_t>(tokens.size()), options_.noise_density,
                                      options_.mean_noise_span_length, rng);
  EncodedExample example;
  example.inputs.reserve(tokens.size() + 1);
  for (size_t i = 0; i < tokens.size(); ++i) {
    example.inputs.push_back(mask[i] ? mask_id_ : tokens[i]);
  }
  example.inputs.push_back(ids_.eos);
  example.targets = with_eos(tokens, ids_.eos);
  return example;
}

Deshuffling::Deshuffling(const ObjectiveContext& context)
    : ids_(context.ids), where_(context.where) {
  ids_.validate(where_);
  raw_ = raw_length_for_copies(context.lengths, where_);
}

SequenceLengths Deshuffling::output_lengths() const { return copy_lengths(raw_); }

EncodedExample Deshuffling::apply(const std::vector<int64_t>& tokens, Rng& rng) const {
  check_chunk_length(tokens, raw_, where_);
  EncodedExample example;
  example.inputs = tokens;
  rng.shuffle(example.inputs.begin(), example.inputs.end());
  example.inputs.push_back(ids_.eos);
  example.targets = with_eos(tokens, ids_.eos);
  return example;
}

}  // namespace t5

#include "t5/objectives/mixture.h"

#include <algorithm>

#include <fmt/format.h>

namespace t5 {

namespace {

// A member whose inputs start with a paradigm token.
class WithParadigmToken : public Objective {
 public:
  WithParadigmToken(std::unique_ptr<Objective> inner, int64_t token, int64_t eos)
      : inner_(std::move(inner)), token_(token), eos_(eos) {}

  std::string name() const override { return inner_->name(); }
  Json to_json() const override { return inner_->to_json(); }
  int64_t raw_length() const override { return inner_->raw_length(); }
  SequenceLengths output_lengths() const override {
    auto lengths = inner_->output_lengths();
    if (lengths.inputs > 0) ++lengths.inputs;
    return lengths;
  }
  EncodedExample apply(const std::vector<int64_t>& tokens, Rng& rng) const override {
    auto example = inner_->apply(tokens, rng);
    if (example.inputs.empty()) example.inputs.push_back(eos_);
    example.inputs.insert(example.inputs.begin(), token_);
    return example;
  }

 private:
  std::unique_ptr<Objective> inner_;
  int64_t token_;
  int64_t eos_;
};

// Sentinels from the lowest one used as a paradigm token upwards.
int64_t reserved_by_tokens(const std::vector<int64_t>& tokens, const SpecialIds& ids,
                           const std::string& where) {
  int64_t reserved = ids.reserved_sentinels;
  for (int64_t token : tokens) {
    if (token < 0 || !ids.is_sentinel(token)) continue;
    int64_t index = ids.sentinel_index(token);
    T5_CHECK(index > 0,
             "{}: paradigm token <extra_id_{}> leaves no sentinel for spans; use the top ones "
             "(<extra_id_{}>, ...) or ids outside the sentinels",
             where, index, ids.extra_ids - 1);
    reserved = std::max(reserved, ids.extra_ids - index);
  }
  return reserved;
}

}  // namespace

MixtureOptions MixtureOptions::from_json(const Json& json, const std::string& where) {
  MixtureOptions options;
  JsonFields fields(json, where);
  fields.ignore({"name"});
  Json denoisers = Json::array();
  fields.get("denoisers", denoisers);
  fields.finish();
  T5_CHECK(denoisers.is_array(), "{}: key 'denoisers': expected a list, got {}", where,
           denoisers.dump());
  for (size_t i = 0; i < denoisers.size(); ++i) {
    std::string at = fmt::format("{}.denoisers[{}]", where, i);
    DenoiserOptions denoiser;
    JsonFields member(denoisers[i], at);
    member.get("objective", denoiser.objective);
    member.get("rate", denoiser.rate);
    Json token = denoiser.paradigm_token;
    member.get("paradigm_token", token);
    denoiser.paradigm_token = token_text(token, at + ": paradigm_token");
    member.finish();
    T5_CHECK(!denoiser.objective.is_null(),
             "{}: key 'objective' is missing; name the member "
             "objective, e.g. \"span_corruption\"",
             at);
    options.denoisers.push_back(std::move(denoiser));
  }
  options.validate(where);
  return options;
}

Json MixtureOptions::to_json() const {
  Json list = Json::array();
  for (const auto& denoiser : denoisers) {
    list.push_back(Json{{"objective", denoiser.objective},
                        {"rate", denoiser.rate},
                        {"paradigm_token", denoiser.paradigm_token}});
  }
  return Json{{"denoisers", list}};
}

void MixtureOptions::validate(const std::string& where) const {
  T5_CHECK(!denoisers.empty(), "{}: key 'denoisers' is empty; list at least one objective", where);
  for (size_t i = 0; i < denoisers.size(); ++i) {
    T5_CHECK(denoisers[i].rate > 0.0, "{}.denoisers[{}]: rate is {}; expected a positive number",
             where, i, denoisers[i].rate);
  }
}

MixtureOfDenoisers::MixtureOfDenoisers(MixtureOptions options, const ObjectiveContext& context,
                                       const ObjectiveRegistry& registry)
    : options_(std::move(options)) {
  options_.validate(context.where);

  // Paradigm tokens first: the sentinels they take are closed to all spans.
  std::vector<int64_t> tokens;
  for (size_t i = 0; i < options_.denoisers.size(); ++i) {
    const auto& token = options_.denoisers[i].paradigm_token;
    tokens.push_back(token.empty() ? -1
                                   : resolve_token(token, context.ids,
                                                   fmt::format("{}.denoisers[{}].paradigm_token",
                                                               context.where, i)));
  }
  int64_t reserved = reserved_by_tokens(tokens, context.ids, context.where);

  // Members, each on the budget left after its paradigm token.
  double total = 0.0;
  for (size_t i = 0; i < options_.denoisers.size(); ++i) {
    ObjectiveContext member_context = context;
    member_context.ids.reserved_sentinels = reserved;
    member_context.where = fmt::format("{}.denoisers[{}].objective", context.where, i);
    if (tokens[i] >= 0 && context.lengths.inputs > 0) member_context.lengths.inputs -= 1;
    auto member = registry.create(options_.denoisers[i].objective, member_context);
    T5_CHECK(
        dynamic_cast<MixtureOfDenoisers*>(member.get()) == nullptr && !member->skips_pretraining(),
        "{}: a mixture member may not be '{}'; list the denoisers themselves", member_context.where,
        member->name());
    if (tokens[i] >= 0) {
      member = std::make_unique<WithParadigmToken>(std::move(member), tokens[i], context.ids.eos);
    }
    raw_ = std::max(raw_, member->raw_length());
    auto lengths = member->output_lengths();
    lengths_.inputs = std::max(lengths_.inputs, lengths.inputs);
    lengths_.targets = std::max(lengths_.targets, lengths.targets);
    total += options_.denoisers[i].rate;
    cumulative_rates_.push_back(total);
    members_.push_back(std::move(member));
  }
}

Json MixtureOfDenoisers::to_json() const {
  Json json = options_.to_json();
  json["name"] = name();
  return json;
}

const Objective& MixtureOfDenoisers::select(Rng& rng) const {
  double draw = rng.uniform() * cumulative_rates_.back();
  auto it = std::upper_bound(cumulative_rates_.begin(), cumulative_rates_.end(), draw);
  size_t index = std::min<size_t>(it - cumulative_rates_.begin(), members_.size() - 1);
  return *members_[index];
}

EncodedExample MixtureOfDenoisers::apply(const std::vector<int64_t>& tokens, Rng& rng) const {
  const Objective& member = select(rng);
  int64_t raw = member.raw_length();
  if (raw == 0 || static_cast<int64_t>(tokens.size()) <= raw) return member.apply(tokens, rng);
  std::vector<int64_t> chunk(tokens.begin(), tokens.begin() + raw);
  return member.apply(chunk, rng);
}

Ul2Options Ul2Options::from_json(const Json& json, const std::string& where) {
  Ul2Options options;
  JsonFields fields(json, where);
  fields.ignore({"name"});
  for (auto [key, token] :
       {std::pair{"nlu_token", &options.nlu_token}, std::pair{"nlg_token", &options.nlg_token},
        std::pair{"s2s_token", &options.s2s_token}}) {
    Json value = *token;
    fields.get(key, value);
    *token = token_text(value, where + ": " + key);
  }
  fields.finish();
  return options;
}

Json Ul2Options::to_json() const {
  return Json{{"nlu_token", nlu_token}, {"nlg_token", nlg_token}, {"s2s_token", s2s_token}};
}

MixtureOptions Ul2Options::to_mixture() const {
  auto spans = [](double density, double mean_span, bool wrap) {
    return Json{{"name", "span_corruption"},
                {"noise_density", density},
                {"mean_noise_span_length", mean_span},
                {"wrap_sentinels", wrap}};
  };
  MixtureOptions mixture;
  auto add = [&](Json objective, const std::string& token) {
    mixture.denoisers.push_back(DenoiserOptions{std::move(objective), 1.0, token});
  };
  // R-denoisers: regular span corruption.
  add(spans(0.15, 3, false), nlu_token);
  add(spans(0.15, 8, false), nlu_token);
  // X-denoisers: extreme noise or long spans.
  add(spans(0.5, 3, true), nlg_token);
  add(spans(0.5, 8, true), nlg_token);
  add(spans(0.15, 64, true), nlg_token);
  add(spans(0.5, 64, true), nlg_token);
  // S-denoiser: sequential, prefix language modeling.
  add(Json{{"name", "prefix_lm"}}, s2s_token);
  return mixture;
}

Ul2::Ul2(Ul2Options options, const ObjectiveContext& context, const ObjectiveRegistry& registry)
    : MixtureOfDenoisers(options.to_mixture(), context, registry), ul2_options_(options) {}

Json Ul2::to_json() const {
  Json json = ul2_options_.to_json();
  json["name"] = name();
  return json;
}

}  // namespace t5

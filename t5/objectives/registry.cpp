#include "t5/objectives/registry.h"

#include <fmt/format.h>

#include "t5/objectives/language_modeling.h"
#include "t5/objectives/masking.h"
#include "t5/objectives/mixture.h"
#include "t5/objectives/span_corruption.h"
#include "t5/util/names.h"

namespace t5 {

void ObjectiveRegistry::add(const std::string& name, const std::string& description,
                            ObjectiveFactory factory) {
  T5_CHECK(!name.empty(), "objective registry: an objective needs a name");
  T5_CHECK(!contains(name),
           "objective registry: '{}' is registered already; pick another name for the new "
           "objective",
           name);
  entries_.emplace(name, Entry{description, std::move(factory)});
}

std::vector<std::string> ObjectiveRegistry::names() const {
  std::vector<std::string> names;
  for (const auto& [name, entry] : entries_) names.push_back(name);
  return names;
}

const ObjectiveRegistry::Entry& ObjectiveRegistry::find(const std::string& name,
                                                        const std::string& where) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) {
    auto known = names();
    fail("{}: unknown objective '{}'{}; known objectives: {}", where, name,
         did_you_mean(name, known), fmt::join(known, ", "));
  }
  return it->second;
}

const std::string& ObjectiveRegistry::description(const std::string& name) const {
  return find(name, "objective registry").description;
}

std::unique_ptr<Objective> ObjectiveRegistry::create(const Json& spec,
                                                     const ObjectiveContext& context) const {
  Json object = spec.is_string() ? Json{{"name", spec}} : spec;
  T5_CHECK(object.is_object() && object.contains("name") && object["name"].is_string(),
           "{}: expected an objective name or an object with a \"name\", got {}", context.where,
           spec.dump());
  const auto name = object["name"].get<std::string>();
  return find(name, context.where).factory(object, context, *this);
}

void register_builtin_objectives(ObjectiveRegistry& registry) {
  registry.add("span_corruption",
               "T5's objective: random spans of noise, each replaced by a sentinel; targets are "
               "the spans after their sentinels",
               [](const Json& spec, const ObjectiveContext& context, const ObjectiveRegistry&) {
                 return std::make_unique<SpanCorruption>(
                     SpanCorruptionOptions::from_json(spec, context.where), context);
               });
  registry.add("iid_replace_spans", "i.i.d. noise; each run of noise tokens becomes one sentinel",
               [](const Json& spec, const ObjectiveContext& context, const ObjectiveRegistry&) {
                 return std::make_unique<IidNoise>(
                     IidNoise::Mode::kReplaceSpans,
                     IidNoiseOptions::from_json(spec, context.where, /*with_sentinels=*/true),
                     context);
               });
  registry.add("iid_drop_tokens",
               "i.i.d. noise; noise tokens are dropped from the inputs and are the targets",
               [](const Json& spec, const ObjectiveContext& context, const ObjectiveRegistry&) {
                 return std::make_unique<IidNoise>(
                     IidNoise::Mode::kDropTokens,
                     IidNoiseOptions::from_json(spec, context.where, /*with_sentinels=*/false),
                     context);
               });
  registry.add("bert_style",
               "BERT-style masking (mask / random / keep); targets are the original text",
               [](const Json& spec, const ObjectiveContext& context, const ObjectiveRegistry&) {
                 return std::make_unique<BertStyle>(
                     BertStyleOptions::from_json(spec, context.where), context);
               });
  registry.add("mass_style",
               "MASS-style: spans of tokens each replaced by the mask token; targets are the "
               "original text",
               [](const Json& spec, const ObjectiveContext& context, const ObjectiveRegistry&) {
                 return std::make_unique<MassStyle>(
                     MassStyleOptions::from_json(spec, context.where), context);
               });
  registry.add("deshuffling", "inputs are the tokens shuffled; targets are the original text",
               [](const Json& spec, const ObjectiveContext& context, const ObjectiveRegistry&) {
                 JsonFields fields(spec, context.where);
                 fields.ignore({"name"});
                 fields.finish();
                 return std::make_unique<Deshuffling>(context);
               });
  registry.add("prefix_lm", "the text split at a random point: prefix -> rest",
               [](const Json& spec, const ObjectiveContext& context, const ObjectiveRegistry&) {
                 return std::make_unique<PrefixLm>(PrefixLmOptions::from_json(spec, context.where),
                                                   context);
               });
  registry.add("language_modeling", "no inputs; the whole text is the target (decoder-only)",
               [](const Json& spec, const ObjectiveContext& context, const ObjectiveRegistry&) {
                 JsonFields fields(spec, context.where);
                 fields.ignore({"name"});
                 fields.finish();
                 return std::make_unique<LanguageModeling>(context);
               });
  registry.add(
      "mixture_of_denoisers", "each example from one member objective, drawn by rate",
      [](const Json& spec, const ObjectiveContext& context, const ObjectiveRegistry& registry) {
        return std::make_unique<MixtureOfDenoisers>(MixtureOptions::from_json(spec, context.where),
                                                    context, registry);
      });
  registry.add(
      "ul2", "UL2's R, X and S denoisers with their paradigm tokens",
      [](const Json& spec, const ObjectiveContext& context, const ObjectiveRegistry& registry) {
        return std::make_unique<Ul2>(Ul2Options::from_json(spec, context.where), context, registry);
      });
  registry.add("none", "no pretraining (the baseline): makes no examples",
               [](const Json& spec, const ObjectiveContext& context, const ObjectiveRegistry&) {
                 JsonFields fields(spec, context.where);
                 fields.ignore({"name"});
                 fields.finish();
                 return std::make_unique<NoPretraining>();
               });
}

}  // namespace t5

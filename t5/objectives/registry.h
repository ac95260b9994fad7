#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "t5/objectives/objective.h"

namespace t5 {

class ObjectiveRegistry;

// Builds an objective from its spec ({"name": ..., options}); the registry
// is passed so that mixtures can build their members.
using ObjectiveFactory = std::function<std::unique_ptr<Objective>(
    const Json& spec, const ObjectiveContext& context, const ObjectiveRegistry& registry)>;

// Objectives by name. Filled explicitly (register_builtin_objectives, then
// any of the user's), never by static initialisers.
class ObjectiveRegistry {
 public:
  // Adds `name`. Throws t5::Error when the name is taken or empty.
  void add(const std::string& name, const std::string& description, ObjectiveFactory factory);

  bool contains(const std::string& name) const { return entries_.count(name) > 0; }
  // Sorted names.
  std::vector<std::string> names() const;
  // One line on what the objective does. Throws like create() on a miss.
  const std::string& description(const std::string& name) const;

  // Builds the objective `spec` names: a string ("span_corruption") or an
  // object {"name": "span_corruption", "noise_density": 0.15, ...}. Throws
  // t5::Error naming context.where: for an unknown name (with the nearest
  // known ones), an unknown option (with the nearest option) or a bad
  // value.
  std::unique_ptr<Objective> create(const Json& spec, const ObjectiveContext& context) const;

 private:
  struct Entry {
    std::string description;
    ObjectiveFactory factory;
  };
  const Entry& find(const std::string& name, const std::string& where) const;

  std::map<std::string, Entry> entries_;
};

// Registers span_corruption, iid_replace_spans, iid_drop_tokens, bert_style,
// mass_style, deshuffling, prefix_lm, language_modeling,
// mixture_of_denoisers, ul2 and none.
void register_builtin_objectives(ObjectiveRegistry& registry);

}  // namespace t5

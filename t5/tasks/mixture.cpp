#include "t5/tasks/mixture.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "t5/tasks/registry.h"
#include "t5/tasks/text_ops.h"

namespace t5 {
namespace {

MixingRate parse_mixing_rate(const std::string& text, const std::string& where) {
  if (text == "equal") return MixingRate::kEqual;
  if (text == "examples_proportional") return MixingRate::kExamplesProportional;
  if (text == "temperature") return MixingRate::kTemperature;
  fail("{}: rate '{}' is not known; use \"equal\", \"examples_proportional\" or \"temperature\"",
       where, text);
}

MixtureMember member_from_json(const Json& json, const std::string& where) {
  MixtureMember member;
  if (json.is_string()) {
    member.task = json.get<std::string>();
    return member;
  }
  JsonFields fields(json, where);
  fields.get("task", member.task);
  double rate = -1;
  fields.get("rate", rate);
  fields.finish();
  T5_CHECK(!member.task.empty(), "{}: expected {{\"task\": name, \"rate\": number}}", where);
  if (json.contains("rate")) {
    T5_CHECK(rate >= 0, "{}: rate must not be negative, got {}", where, rate);
    member.rate = rate;
  }
  return member;
}

}  // namespace

std::string mixing_rate_name(MixingRate rate) {
  switch (rate) {
    case MixingRate::kEqual:
      return "equal";
    case MixingRate::kExamplesProportional:
      return "examples_proportional";
    case MixingRate::kTemperature:
      return "temperature";
  }
  return "?";
}

MixtureSpec MixtureSpec::from_json(const Json& json, const std::string& origin) {
  MixtureSpec spec;
  spec.origin = origin;
  JsonFields fields(json, origin);
  std::string kind;
  fields.get("kind", kind);
  T5_CHECK(kind == "mixture", "{}: expected \"kind\": \"mixture\", got \"{}\"", origin, kind);
  fields.get("name", spec.name);
  T5_CHECK(!spec.name.empty(), "{}: expected \"name\": the mixture's name", origin);
  std::string where = fmt::format("{}: mixture '{}'", origin, spec.name);
  fields.get("description", spec.description);
  Json tasks;
  fields.get("tasks", tasks);
  T5_CHECK(tasks.is_array() && !tasks.empty(),
           "{}: expected \"tasks\": a list of task names or {{\"task\": name, \"rate\": x}}",
           where);
  for (size_t i = 0; i < tasks.size(); ++i) {
    spec.members.push_back(member_from_json(tasks[i], fmt::format("{}: tasks[{}]", where, i)));
  }
  std::string rate = "examples_proportional";
  fields.get("rate", rate);
  spec.rate = parse_mixing_rate(rate, where);
  fields.get("limit", spec.limit);
  fields.get("temperature", spec.temperature);
  fields.finish();
  T5_CHECK(spec.limit >= 0, "{}: limit must not be negative (0 means no cap), got {}", where,
           spec.limit);
  T5_CHECK(spec.temperature > 0, "{}: temperature must be positive, got {}", where,
           spec.temperature);
  T5_CHECK(spec.rate == MixingRate::kTemperature || spec.temperature == 1.0,
           "{}: a temperature is used only with \"rate\": \"temperature\"", where);
  return spec;
}

Json MixtureSpec::to_json() const {
  Json tasks = Json::array();
  for (const auto& member : members) {
    if (member.rate) {
      tasks.push_back({{"task", member.task}, {"rate", *member.rate}});
    } else {
      tasks.push_back(member.task);
    }
  }
  Json json = {{"kind", "mixture"},
               {"name", name},
               {"description", description},
               {"tasks", tasks},
               {"rate", mixing_rate_name(rate)}};
  if (limit > 0) json["limit"] = limit;
  if (rate == MixingRate::kTemperature) json["temperature"] = temperature;
  return json;
}

std::vector<MixtureRate> compute_mixture_rates(
    const MixtureSpec& spec, const std::function<int64_t(const std::string& task)>& num_examples) {
  std::vector<MixtureRate> rates;
  double total = 0;
  for (const auto& member : spec.members) {
    MixtureRate rate;
    rate.task = member.task;
    if (member.rate) {
      rate.weight = *member.rate;
    } else if (spec.rate == MixingRate::kEqual) {
      rate.weight = 1.0;
    } else {
      rate.examples = num_examples(member.task);
      double n = static_cast<double>(rate.examples);
      if (spec.limit > 0) n = std::min(n, static_cast<double>(spec.limit));
      double exponent = spec.rate == MixingRate::kTemperature ? 1.0 / spec.temperature : 1.0;
      rate.weight = std::pow(n, exponent);
    }
    total += rate.weight;
    rates.push_back(rate);
  }
  T5_CHECK(total > 0, "mixture '{}': every task has rate 0, so nothing can be sampled", spec.name);
  for (auto& rate : rates) rate.rate = rate.weight / total;
  return rates;
}

Mixture::Mixture(MixtureSpec spec, const TaskRegistry& tasks) : spec_(std::move(spec)) {
  std::string where = fmt::format("{}: mixture '{}'", spec_.origin, spec_.name);
  check_name(spec_.name, "mixture", spec_.origin);
  T5_CHECK(!tasks.contains(spec_.name), "{}: '{}' is already a task's name", where, spec_.name);
  T5_CHECK(!spec_.members.empty(), "{}: the mixture has no tasks", where);
  std::set<std::string> seen;
  for (const auto& member : spec_.members) {
    T5_CHECK(seen.insert(member.task).second, "{}: task '{}' is listed twice", where, member.task);
    try {
      tasks.get(member.task);
    } catch (const Error& e) {
      fail("{}: {}", where, e.what());
    }
  }
}

std::vector<std::string> Mixture::task_names() const {
  std::vector<std::string> names;
  for (const auto& member : spec_.members) names.push_back(member.task);
  return names;
}

}  // namespace t5

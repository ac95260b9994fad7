#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "t5/util/json.h"

namespace t5 {

class TaskRegistry;

// How a mixture turns its tasks' sizes into sampling rates (REFERENCE.md):
// rate_m = min(n_m, K) ^ (1/T), normalised to sum 1, where n_m is the
// task's number of training examples, K the limit and T the temperature.
enum class MixingRate {
  kEqual,                 // every task the same rate
  kExamplesProportional,  // min(n_m, K), T = 1
  kTemperature,           // min(n_m, K) ^ (1/T)
};

struct MixtureMember {
  std::string task;
  // Replaces the computed (unnormalised) rate; 0 keeps a task in the
  // mixture for evaluation only, as GLUE's MNLI dev sets and AX are.
  std::optional<double> rate;
};

// A mixture as declared in a JSON spec:
//   {"kind": "mixture", "name": "my_mix", "tasks": ["glue_rte", {"task":
//    "glue_mrpc", "rate": 0}], "rate": "temperature", "limit": 65536,
//    "temperature": 2}
struct MixtureSpec {
  std::string name;
  std::string description;
  std::vector<MixtureMember> members;
  MixingRate rate = MixingRate::kExamplesProportional;
  int64_t limit = 0;         /// K, the cap on a task's examples; 0 = no cap
  double temperature = 1.0;  /// T, used by MixingRate::kTemperature; must be > 0
  std::string origin = "C++";

  static MixtureSpec from_json(const Json& json, const std::string& origin);
  Json to_json() const;
};

// One task's share of a mixture.
struct MixtureRate {
  std::string task;
  int64_t examples = -1;  // n_m used (-1 when not needed: equal or explicit rate)
  double weight = 0;      // unnormalised rate
  double rate = 0;        // normalised: the rates of a mixture sum to 1
};

// The rates from each member's number of training examples (asked of
// `num_examples` only where needed). Throws t5::Error when every weight is 0.
std::vector<MixtureRate> compute_mixture_rates(
    const MixtureSpec& spec, const std::function<int64_t(const std::string& task)>& num_examples);

class Mixture {
 public:
  // Checks the name, that every member is a task of `tasks` (a miss names
  // the nearest ones), no member twice, and the rate settings.
  Mixture(MixtureSpec spec, const TaskRegistry& tasks);

  const std::string& name() const { return spec_.name; }
  const MixtureSpec& spec() const { return spec_; }
  std::vector<std::string> task_names() const;

 private:
  MixtureSpec spec_;
};

std::string mixing_rate_name(MixingRate rate);

}  // namespace t5

#include "t5/experiments/sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>

#include "t5/util/json_path.h"

namespace t5 {
namespace {

// Requires `json[key]` to be a non-empty array; returns it.
const Json& nonempty_list(const Json& json, const std::string& key, const std::string& where,
                          const std::string& hint) {
  auto it = json.find(key);
  T5_CHECK(it != json.end(), "{}: missing '{}'; {}", where, key, hint);
  T5_CHECK(it->is_array() && !it->empty(), "{}.{}: expected a non-empty list, got {}; {}", where,
           key, it->dump(), hint);
  return *it;
}

std::vector<std::string> read_labels(const Json& json, size_t count, const std::string& where) {
  std::vector<std::string> labels;
  auto it = json.find("labels");
  if (it == json.end()) return labels;
  T5_CHECK(it->is_array() && it->size() == count,
           "{}.labels: expected a list of {} strings (one per value), got {}; give one label per "
           "value or remove 'labels'",
           where, count, it->dump());
  for (const Json& label : *it) {
    T5_CHECK(label.is_string() && !label.get<std::string>().empty(),
             "{}.labels: expected non-empty strings, got {}", where, label.dump());
    labels.push_back(label.get<std::string>());
  }
  return labels;
}

std::string last_key_part(const std::string& key) {
  size_t dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

SweepAxisKey read_axis_key(const Json& json, const std::string& where, bool allow_name,
                           std::vector<std::string>* labels) {
  T5_CHECK(json.is_object(), "{}: expected an object {{\"key\": ..., \"values\": [...]}}, got {}",
           where, json.dump());
  SweepAxisKey axis_key;
  JsonFields fields(json, where);
  fields.get("key", axis_key.key);
  fields.ignore({"values", "labels"});
  if (allow_name) fields.ignore({"name"});
  fields.finish();
  T5_CHECK(!axis_key.key.empty(), "{}: missing 'key' (a dotted path such as \"finetune.steps\")",
           where);
  T5_CHECK(axis_key.key != "seed",
           "{}: key 'seed' cannot be an axis; list the seeds in the sweep's \"seeds\"", where);
  const Json& values = nonempty_list(json, "values", where, "give the values the key takes");
  axis_key.values.assign(values.begin(), values.end());
  *labels = read_labels(json, values.size(), where);
  return axis_key;
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : separator) + part;
  return text;
}

SweepAxis read_zip_axis(const Json& json, const std::string& where) {
  JsonFields fields(json, where);
  fields.ignore({"zip", "labels", "name"});
  fields.finish();
  const Json& members = nonempty_list(json, "zip", where, "list the keys that move together");
  SweepAxis axis;
  std::vector<std::vector<std::string>> member_labels;
  std::vector<std::string> names;
  for (size_t i = 0; i < members.size(); ++i) {
    std::string member_where = fmt::format("{}.zip[{}]", where, i);
    std::vector<std::string> labels;
    axis.keys.push_back(read_axis_key(members[i], member_where, /*allow_name=*/false, &labels));
    member_labels.push_back(labels);
    names.push_back(last_key_part(axis.keys.back().key));
    size_t first = axis.keys.front().values.size();
    size_t here = axis.keys.back().values.size();
    T5_CHECK(here == first,
             "{}.values: zipped keys need equal lengths, but '{}' has {} values and '{}' has {}; "
             "give every key of the zip the same number of values",
             member_where, axis.keys.front().key, first, axis.keys.back().key, here);
  }
  axis.labels = read_labels(json, axis.keys.front().values.size(), where);
  if (axis.labels.empty()) {
    for (size_t step = 0; step < axis.keys.front().values.size(); ++step) {
      std::vector<std::string> parts;
      for (size_t k = 0; k < axis.keys.size(); ++k) {
        parts.push_back(member_labels[k].empty() ? compact_text(axis.keys[k].values[step])
                                                 : member_labels[k][step]);
      }
      axis.labels.push_back(joined(parts, ", "));
    }
  }
  axis.name = json.value("name", joined(names, ", "));
  return axis;
}

SweepAxis read_axis(const Json& json, const std::string& where) {
  T5_CHECK(json.is_object(),
           "{}: expected an axis object ({{\"key\": ..., \"values\": [...]}} or {{\"zip\": "
           "[...]}}), got {}",
           where, json.dump());
  if (json.contains("zip")) return read_zip_axis(json, where);
  SweepAxis axis;
  axis.keys.push_back(read_axis_key(json, where, /*allow_name=*/true, &axis.labels));
  if (axis.labels.empty()) {
    for (const Json& value : axis.keys[0].values) axis.labels.push_back(compact_text(value));
  }
  axis.name = last_key_part(axis.keys[0].key);
  if (json.contains("name")) {
    T5_CHECK(json["name"].is_string(), "{}.name: expected a string, got {}", where,
             json["name"].dump());
    axis.name = json["name"].get<std::string>();
  }
  return axis;
}

std::vector<SweepAxis> read_axes(const Json& json, const std::string& where) {
  const Json& list = nonempty_list(json, "axes", where,
                                   "give at least one axis, or remove 'axes' to run the base "
                                   "config alone");
  std::vector<SweepAxis> axes;
  std::map<std::string, std::string> owner;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string axis_where = fmt::format("{}.axes[{}]", where, i);
    axes.push_back(read_axis(list[i], axis_where));
    for (const auto& key : axes.back().keys) {
      auto [it, fresh] = owner.emplace(key.key, axis_where);
      T5_CHECK(fresh,
               "{}: key '{}' is already set by {}; each key may belong to one axis (zip "
               "keys that must move together)",
               axis_where, key.key, it->second);
    }
  }
  return axes;
}

std::vector<int64_t> read_seeds(const Json& json, const std::string& where) {
  if (!json.contains("seeds")) return {0};
  const Json& list = nonempty_list(json, "seeds", where, "give at least one seed, e.g. [0]");
  std::vector<int64_t> seeds;
  for (const Json& seed : list) {
    T5_CHECK(seed.is_number_integer(), "{}.seeds: expected integers, got {}", where, seed.dump());
    T5_CHECK(std::find(seeds.begin(), seeds.end(), seed.get<int64_t>()) == seeds.end(),
             "{}.seeds: seed {} is listed twice; remove the repeat", where, seed.dump());
    seeds.push_back(seed.get<int64_t>());
  }
  return seeds;
}

SweepBaseline read_baseline(const Json& json, const std::string& where) {
  SweepBaseline baseline;
  JsonFields fields(json, where);
  fields.get("label", baseline.label);
  fields.ignore({"scores"});
  fields.finish();
  T5_CHECK(!baseline.label.empty(), "{}: missing 'label' (the row's name, e.g. \"majority class\")",
           where);
  const Json* scores = json.contains("scores") ? &json["scores"] : nullptr;
  T5_CHECK(
      scores && scores->is_object() && !scores->empty(),
      "{}.scores: expected {{\"task\": {{\"metric\": number}}}} with at least one task, got {}",
      where, scores ? scores->dump() : "nothing");
  for (auto task = scores->begin(); task != scores->end(); ++task) {
    T5_CHECK(task->is_object() && !task->empty(),
             "{}.scores.{}: expected {{\"metric\": number, ...}}, got {}", where, task.key(),
             task->dump());
    for (auto metric = task->begin(); metric != task->end(); ++metric) {
      T5_CHECK(metric->is_number(), "{}.scores.{}.{}: expected a number, got {}", where, task.key(),
               metric.key(), metric->dump());
      baseline.scores[task.key()][metric.key()] = metric->get<double>();
    }
  }
  return baseline;
}

}  // namespace

std::string compact_text(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

SweepSpec SweepSpec::from_json(const Json& json, const std::string& origin) {
  const std::string where = origin.empty() ? "sweep" : origin;
  SweepSpec spec;
  spec.origin = origin;
  JsonFields fields(json, where);
  fields.get("name", spec.name);
  fields.get("description", spec.description);
  fields.get("task_labels", spec.task_labels);
  fields.ignore({"base", "axes", "seeds", "baselines", "slurm"});
  fields.finish();

  static const std::regex name_pattern("[A-Za-z0-9._-]+");
  T5_CHECK(std::regex_match(spec.name, name_pattern) && spec.name != "." && spec.name != "..",
           "{}: 'name' must be a folder-safe name of letters, digits, '.', '_' or '-' (it names "
           "runs/<name>), got \"{}\"",
           where, spec.name);
  T5_CHECK(json.contains("base") && json["base"].is_object(),
           "{}: 'base' must be a run config object (model, vocabulary, pretrain, finetune, "
           "eval), got {}",
           where, json.contains("base") ? json["base"].dump() : "nothing");
  spec.base = json["base"];
  if (json.contains("axes")) spec.axes = read_axes(json, where);
  spec.seeds = read_seeds(json, where);
  if (json.contains("baselines")) {
    const Json& list = nonempty_list(json, "baselines", where, "or remove 'baselines'");
    for (size_t i = 0; i < list.size(); ++i) {
      spec.baselines.push_back(read_baseline(list[i], fmt::format("{}.baselines[{}]", where, i)));
    }
  }
  if (json.contains("slurm")) spec.slurm = SlurmOptions::from_json(json["slurm"], where + ".slurm");
  return spec;
}

Json SweepSpec::to_json() const {
  Json axes_json = Json::array();
  for (const auto& axis : axes) {
    Json keys = Json::array();
    for (const auto& key : axis.keys) keys.push_back({{"key", key.key}, {"values", key.values}});
    axes_json.push_back({{"name", axis.name}, {"zip", keys}, {"labels", axis.labels}});
  }
  Json baselines_json = Json::array();
  for (const auto& baseline : baselines) {
    baselines_json.push_back({{"label", baseline.label}, {"scores", baseline.scores}});
  }
  return {{"name", name},
          {"description", description},
          {"origin", origin},
          {"base", base},
          {"axes", axes_json},
          {"seeds", seeds},
          {"task_labels", task_labels},
          {"baselines", baselines_json},
          {"slurm", slurm.to_json()}};
}

size_t SweepSpec::grid_size() const {
  size_t size = 1;
  for (const auto& axis : axes) size *= axis.size();
  return size;
}

SweepSpec load_sweep_file(const std::string& path) {
  return SweepSpec::from_json(read_json_file(path), path);
}

std::string SweepPoint::row_label() const { return labels.empty() ? "base" : joined(labels, ", "); }

std::string SweepPoint::describe() const { return fmt::format("'{}' seed {}", row_label(), seed); }

std::vector<SweepPoint> expand_sweep(const SweepSpec& spec) {
  const std::string where = spec.origin.empty() ? "sweep" : spec.origin;
  std::vector<SweepPoint> points;
  for (size_t grid = 0; grid < spec.grid_size(); ++grid) {
    // Mixed-radix digits of the grid index, the last axis varying fastest.
    std::vector<size_t> steps(spec.axes.size());
    size_t rest = grid;
    for (size_t a = spec.axes.size(); a-- > 0;) {
      steps[a] = rest % spec.axes[a].size();
      rest /= spec.axes[a].size();
    }

    Json config = spec.base;
    std::vector<std::string> labels;
    for (size_t a = 0; a < spec.axes.size(); ++a) {
      for (const auto& key : spec.axes[a].keys) {
        set_json_path(config, key.key, key.values[steps[a]],
                      fmt::format("{}: axes[{}] value {}", where, a, key.values[steps[a]].dump()));
      }
      labels.push_back(spec.axes[a].labels[steps[a]]);
    }

    for (int64_t seed : spec.seeds) {
      SweepPoint point;
      point.id = fmt::format("{:03}-seed{}", grid, seed);
      point.grid_index = grid;
      point.seed = seed;
      point.steps = steps;
      point.labels = labels;
      point.config = config;
      point.config["seed"] = seed;
      points.push_back(std::move(point));
    }
  }
  return points;
}

}  // namespace t5

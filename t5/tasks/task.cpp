#include "t5/tasks/task.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "t5/tasks/text_ops.h"
#include "t5/util/names.h"

namespace t5 {
namespace {

// The record value at `path`: the whole path as one key first (TSV headers
// may hold dots), else "a.b.c" through nested objects and arrays.
const Json* find_path(const Json& value, const std::string& path) {
  if (value.is_object()) {
    auto it = value.find(path);
    if (it != value.end()) return &*it;
  }
  const Json* current = &value;
  for (const auto& part : split(path, '.')) {
    if (current->is_object()) {
      auto it = current->find(part);
      if (it == current->end()) return nullptr;
      current = &*it;
    } else if (current->is_array() && !part.empty() &&
               std::all_of(part.begin(), part.end(), [](char c) { return std::isdigit(c); })) {
      size_t index = std::stoul(part);
      if (index >= current->size()) return nullptr;
      current = &(*current)[index];
    } else {
      return nullptr;
    }
  }
  return current;
}

std::string json_to_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return value.dump();
}

bool is_integer(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

}  // namespace

MetricSpec MetricSpec::from_json(const Json& json, const std::string& where) {
  MetricSpec metric;
  if (json.is_string()) {
    metric.name = json.get<std::string>();
  } else {
    JsonFields fields(json, where);
    fields.get("name", metric.name);
    fields.get("options", metric.options);
    fields.finish();
    T5_CHECK(metric.options.is_object(), "{}.options: expected an object, got {}", where,
             metric.options.dump());
  }
  T5_CHECK(!metric.name.empty(),
           "{}: expected a metric name, e.g. \"accuracy\" or {{\"name\": "
           "\"f1\", \"options\": {{...}}}}",
           where);
  return metric;
}

Json MetricSpec::to_json() const {
  if (options.empty()) return name;
  return {{"name", name}, {"options", options}};
}

namespace {

void read_preprocessor(const Json& json, const std::string& where, TaskSpec& spec) {
  if (json.is_string()) {
    spec.preprocessor = json.get<std::string>();
  } else if (!json.is_null()) {
    JsonFields fields(json, where + ": preprocessor");
    fields.get("name", spec.preprocessor);
    fields.get("options", spec.preprocessor_options);
    fields.finish();
  }
}

std::vector<MetricSpec> read_metrics(const Json& json, const std::string& where) {
  T5_CHECK(json.is_array(), "{}: expected \"metrics\" as a list, got {}", where, json.dump());
  std::vector<MetricSpec> metrics;
  for (size_t i = 0; i < json.size(); ++i) {
    metrics.push_back(MetricSpec::from_json(json[i], fmt::format("{}: metrics[{}]", where, i)));
  }
  return metrics;
}

FeatureLengths read_lengths(const Json& json, const std::string& where) {
  FeatureLengths lengths;
  JsonFields fields(json, where + ": lengths");
  fields.get("inputs", lengths.inputs);
  fields.get("targets", lengths.targets);
  fields.finish();
  return lengths;
}

}  // namespace

TaskSpec TaskSpec::from_json(const Json& json, const std::string& origin) {
  TaskSpec spec;
  spec.origin = origin;
  std::string kind = "task";
  std::string whitespace = "keep";
  std::string policy = "fail";
  Json source;
  Json preprocessor;
  Json metrics = Json::array();
  Json lengths = Json::object();
  JsonFields fields(json, origin);
  fields.get("kind", kind);
  fields.get("name", spec.name);
  fields.get("description", spec.description);
  fields.get("source", source);
  fields.get("fields", spec.fields);
  fields.get("preprocessor", preprocessor);
  fields.get("inputs", spec.inputs);
  fields.get("targets", spec.targets);
  fields.get("label_names", spec.label_names);
  fields.get("whitespace", whitespace);
  fields.get("drop_empty_targets", spec.drop_empty_targets);
  fields.get("postprocessor", spec.postprocessor);
  fields.get("metrics", metrics);
  fields.get("lengths", lengths);
  fields.get("examples", spec.examples);
  fields.get("on_bad_record", policy);
  // Unknown keys first: a misspelt key explains the errors that follow.
  fields.finish();

  T5_CHECK(kind == "task", "{}: kind '{}' where a task was expected", origin, kind);
  T5_CHECK(!spec.name.empty(), "{}: expected \"name\": the task's name", origin);
  std::string where = fmt::format("{}: task '{}'", origin, spec.name);
  T5_CHECK(!source.is_null(), "{}: expected \"source\": {{\"format\": ..., \"splits\": ...}}",
           where);
  T5_CHECK(json.contains("targets"), "{}: expected \"targets\": a template such as \"{{label}}\"",
           where);
  T5_CHECK(whitespace == "keep" || whitespace == "collapse",
           "{}: whitespace '{}' is not known; use \"keep\" or \"collapse\"", where, whitespace);
  spec.collapse_whitespace = whitespace == "collapse";
  spec.source = SourceSpec::from_json(source, where + ": source");
  read_preprocessor(preprocessor, where, spec);
  spec.metrics = read_metrics(metrics, where);
  spec.lengths = read_lengths(lengths, where);
  spec.on_bad_record = parse_on_bad_record(policy, where + ": on_bad_record");
  return spec;
}

Json TaskSpec::to_json() const {
  Json json = {{"name", name},
               {"description", description},
               {"source", source.to_json()},
               {"inputs", inputs},
               {"targets", targets},
               {"postprocessor", postprocessor},
               {"lengths", {{"inputs", lengths.inputs}, {"targets", lengths.targets}}}};
  if (!fields.empty()) json["fields"] = fields;
  json["preprocessor"] = preprocessor_options.empty()
                             ? Json(preprocessor)
                             : Json{{"name", preprocessor}, {"options", preprocessor_options}};
  if (!label_names.empty()) json["label_names"] = label_names;
  if (collapse_whitespace) json["whitespace"] = "collapse";
  if (drop_empty_targets) json["drop_empty_targets"] = true;
  Json metric_json = Json::array();
  for (const auto& metric : metrics) metric_json.push_back(metric.to_json());
  json["metrics"] = metric_json;
  if (!examples.empty()) json["examples"] = examples;
  if (on_bad_record != OnBadRecord::kFail)
    json["on_bad_record"] = on_bad_record_name(on_bad_record);
  return json;
}

void check_name(const std::string& name, const std::string& what, const std::string& where) {
  auto good = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  bool ok = !name.empty() && good(name[0]) && std::all_of(name.begin(), name.end(), [&](char c) {
    return good(c) || c == '_' || c == '.' || c == '-';
  });
  T5_CHECK(ok,
           "{}: {} name '{}' must start with a letter or digit and hold only letters, digits, "
           "'_', '.' and '-'",
           where, what, name);
}

Processors Processors::builtin() {
  Processors processors;
  add_builtin_preprocessors(processors.preprocessors);
  add_builtin_postprocessors(processors.postprocessors);
  return processors;
}

Task::Task(TaskSpec spec, const Processors& processors) : spec_(std::move(spec)) {
  std::string where = fmt::format("{}: task '{}'", spec_.origin, spec_.name);
  check_name(spec_.name, "task", spec_.origin);
  resolve_processors(processors, where);
  check_fields(where);
  T5_CHECK(spec_.lengths.inputs > 0 && spec_.lengths.targets > 0,
           "{}: lengths must be positive, got inputs {} and targets {}", where,
           spec_.lengths.inputs, spec_.lengths.targets);
  for (const auto& [split, count] : spec_.examples) {
    T5_CHECK(count >= 0, "{}: examples.{} must not be negative, got {}", where, split, count);
  }
}

void Task::resolve_processors(const Processors& processors, const std::string& where) {
  try {
    preprocessor_ = processors.preprocessors.get(spec_.preprocessor);
    if (processors.postprocessors.needs_label_names(spec_.postprocessor)) {
      T5_CHECK(!spec_.label_names.empty(), "postprocessor '{}' needs \"label_names\"",
               spec_.postprocessor);
    }
    postprocessor_ = processors.postprocessors.get(spec_.postprocessor)(spec_.label_names);
  } catch (const Error& e) {
    fail("{}: {}", where, e.what());
  }
  const auto& keys = preprocessor_.option_keys;
  for (auto it = spec_.preprocessor_options.begin(); it != spec_.preprocessor_options.end(); ++it) {
    T5_CHECK(std::find(keys.begin(), keys.end(), it.key()) != keys.end(),
             "{}: preprocessor '{}' has no option '{}'{}", where, spec_.preprocessor, it.key(),
             did_you_mean(it.key(), keys));
  }
}

// Every field a template or the preprocessor uses must come from the field
// map or from the preprocessor.
void Task::check_fields(const std::string& where) {
  std::set<std::string> available;
  for (const auto& [name, path] : spec_.fields) available.insert(name);
  for (const auto& name : preprocessor_.requires_fields) {
    T5_CHECK(available.count(name) > 0,
             "{}: preprocessor '{}' needs the field '{}'; map it in \"fields\"", where,
             spec_.preprocessor, name);
  }
  available.insert(preprocessor_.provides_fields.begin(), preprocessor_.provides_fields.end());
  std::vector<std::string> known(available.begin(), available.end());
  inputs_ = Template(spec_.inputs, where + ": inputs");
  targets_ = Template(spec_.targets, where + ": targets");
  for (const Template* text : {&inputs_, &targets_}) {
    for (const auto& name : text->field_names()) {
      T5_CHECK(available.count(name) > 0,
               "{}: the template \"{}\" uses {{{}}}, which no field provides{}; fields: {}", where,
               text->text(), name, did_you_mean(name, known), join(known, ", "));
    }
  }
  T5_CHECK(spec_.label_names.empty() || available.count("label") > 0,
           "{}: \"label_names\" is given but no \"label\" field is mapped", where);
}

std::vector<std::string> Task::splits() const {
  std::vector<std::string> names;
  for (const auto& entry : spec_.source.splits) names.push_back(entry.first);
  return names;
}

bool Task::has_split(const std::string& split) const {
  return spec_.source.splits.count(split) > 0;
}

ExampleReader Task::read(const std::string& split, const DataOptions& options) const {
  auto it = spec_.source.splits.find(split);
  T5_CHECK(it != spec_.source.splits.end(), "task '{}' has no split '{}'{}; its splits: {}",
           spec_.name, split, did_you_mean(split, splits()), join(splits(), ", "));
  T5_CHECK(!options.data_dir.empty(),
           "task '{}': no data root; pass --data-dir or set T5_DATA_DIR to the folder that "
           "holds the data sets",
           spec_.name);
  std::string where = fmt::format("task '{}' split '{}'", spec_.name, split);
  if (spec_.source.format == "parallel") {
    return ExampleReader(*this, split, {},
                         resolve_aligned_files(options.data_dir, it->second, where), options);
  }
  return ExampleReader(*this, split, resolve_split_files(options.data_dir, it->second, where), {},
                       options);
}

int64_t Task::num_examples(const std::string& split, const DataOptions& options) const {
  auto declared = spec_.examples.find(split);
  if (declared != spec_.examples.end()) return declared->second;
  ExampleReader reader = read(split, options);
  Example example;
  int64_t count = 0;
  while (reader.next(example)) ++count;
  return count;
}

void Task::extract_fields(const Record& record, Example& example) const {
  for (const auto& [name, path] : spec_.fields) {
    const Json* value = find_path(record.value, path);
    if (value == nullptr || value->is_null()) {
      // Test splits have no labels; everything else is required.
      if (name == "label") continue;
      throw RecordError(record.where,
                        fmt::format("missing field '{}' (record key '{}')", name, path));
    }
    example.fields[name] = json_to_text(*value);
  }
}

void Task::process(const Record& record, const std::string& split,
                   std::vector<Example>& out) const {
  Example base;
  base.id = record.where.str();
  extract_fields(record, base);
  PreprocessContext context{spec_.name, split, spec_.preprocessor_options};
  size_t first = out.size();
  preprocessor_.run(record, base, context, out);
  for (size_t i = first; i < out.size(); ++i) {
    try {
      finish_example(out[i]);
    } catch (const RecordError&) {
      throw;
    } catch (const Error& e) {
      throw RecordError(record.where, e.what());
    }
  }
}

void Task::finish_example(Example& example) const {
  auto label = example.fields.find("label");
  bool missing = label == example.fields.end() || label->second.empty() || label->second == "-1";
  if (missing) {
    example.fields["label"] = "<unk>";
  } else if (!spec_.label_names.empty()) {
    const auto& names = spec_.label_names;
    std::string& value = label->second;
    if (std::find(names.begin(), names.end(), value) != names.end()) {
      // Already a label name.
    } else if (names.size() == 2 && (value == "true" || value == "false")) {
      value = names[value == "true" ? 1 : 0];
    } else if (is_integer(value) && std::stoul(value) < names.size()) {
      value = names[std::stoul(value)];
    } else {
      fail("label '{}' is not one of the label names ({}) or an index below {}", value,
           join(names, ", "), names.size());
    }
  }
  example.inputs = inputs_.format(example.fields);
  example.targets = targets_.format(example.fields);
  if (spec_.collapse_whitespace) {
    example.inputs = collapse_whitespace(example.inputs);
    example.targets = collapse_whitespace(example.targets);
  }
}

ExampleReader::ExampleReader(const Task& task, std::string split,
                             std::vector<std::filesystem::path> files,
                             std::map<std::string, std::filesystem::path> aligned,
                             const DataOptions& options)
    : task_(&task),
      split_(std::move(split)),
      files_(std::move(files)),
      aligned_(std::move(aligned)),
      options_(options),
      policy_(options.on_bad_record.value_or(task.spec().on_bad_record)) {}

ExampleReader::~ExampleReader() = default;
ExampleReader::ExampleReader(ExampleReader&&) noexcept = default;

bool ExampleReader::next_record(Record& record) {
  const SourceSpec& source = task_->spec().source;
  while (true) {
    if (reader_ == nullptr) {
      if (!aligned_.empty()) {
        if (next_file_ > 0) return false;
        ++next_file_;
        reader_ = open_parallel_reader(aligned_);
      } else {
        if (next_file_ >= files_.size()) return false;
        Json options = source.options;
        for (auto& [key, value] : source.splits.at(split_).options.items()) options[key] = value;
        reader_ = open_record_reader(source.format, options, files_[next_file_++]);
      }
    }
    try {
      if (reader_->next(record)) {
        ++stats_.records;
        return true;
      }
      reader_.reset();
    } catch (const RecordError& e) {
      if (policy_ == OnBadRecord::kFail) throw;
      stats_.add_skipped(e.what());
    }
  }
}

bool ExampleReader::next(Example& example) {
  while (true) {
    while (pending_index_ < pending_.size()) {
      Example& candidate = pending_[pending_index_++];
      if (task_->spec().drop_empty_targets && candidate.targets.empty()) {
        ++stats_.filtered;
        continue;
      }
      example = std::move(candidate);
      ++stats_.examples;
      return true;
    }
    pending_.clear();
    pending_index_ = 0;
    Record record;
    if (!next_record(record)) {
      finish();
      return false;
    }
    try {
      task_->process(record, split_, pending_);
    } catch (const RecordError& e) {
      if (policy_ == OnBadRecord::kFail) throw;
      pending_.clear();
      stats_.add_skipped(e.what());
      continue;
    }
    if (pending_.empty()) ++stats_.filtered;
  }
}

void ExampleReader::finish() {
  if (finished_) return;
  finished_ = true;
  const Logger& logger = options_.logger != nullptr ? *options_.logger : default_logger();
  std::string name = fmt::format("{}/{}", task_->name(), split_);
  if (stats_.skipped > 0) {
    logger.warn("data", "{}: skipped {} malformed records ({}); first: {}", name, stats_.skipped,
                stats_.summary(), stats_.skipped_messages.front());
  } else {
    logger.debug("data", "{}: {}", name, stats_.summary());
  }
}

}  // namespace t5

#include "t5/tasks/registry.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "t5/tasks/text_ops.h"
#include "t5/util/names.h"

namespace t5 {
namespace fs = std::filesystem;
namespace {

std::string known_list(const std::vector<std::string>& names) {
  return names.empty() ? "none" : join(names, ", ");
}

fs::path executable_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

std::vector<fs::path> json_files(const fs::path& folder) {
  T5_CHECK(fs::is_directory(folder), "task spec folder {} does not exist or is not a folder",
           folder.string());
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

void TaskRegistry::add(Task task) {
  auto it = tasks_.find(task.name());
  T5_CHECK(it == tasks_.end(), "{}: task '{}' is already defined (by {}); rename one of them",
           task.spec().origin, task.name(), it == tasks_.end() ? "" : it->second.spec().origin);
  std::string name = task.name();
  tasks_.emplace(name, std::move(task));
}

const Task& TaskRegistry::get(const std::string& name) const {
  auto it = tasks_.find(name);
  T5_CHECK(it != tasks_.end(), "no task named '{}'{}; `t5 tasks list` shows them all", name,
           did_you_mean(name, list()));
  return it->second;
}

bool TaskRegistry::contains(const std::string& name) const { return tasks_.count(name) > 0; }

std::vector<std::string> TaskRegistry::list() const {
  std::vector<std::string> names;
  for (const auto& entry : tasks_) names.push_back(entry.first);
  return names;
}

void MixtureRegistry::add(Mixture mixture) {
  auto it = mixtures_.find(mixture.name());
  T5_CHECK(it == mixtures_.end(), "{}: mixture '{}' is already defined (by {}); rename one of them",
           mixture.spec().origin, mixture.name(),
           it == mixtures_.end() ? "" : it->second.spec().origin);
  std::string name = mixture.name();
  mixtures_.emplace(name, std::move(mixture));
}

const Mixture& MixtureRegistry::get(const std::string& name) const {
  auto it = mixtures_.find(name);
  T5_CHECK(it != mixtures_.end(), "no mixture named '{}'{}; known: {}", name,
           did_you_mean(name, list()), known_list(list()));
  return it->second;
}

bool MixtureRegistry::contains(const std::string& name) const { return mixtures_.count(name) > 0; }

std::vector<std::string> MixtureRegistry::list() const {
  std::vector<std::string> names;
  for (const auto& entry : mixtures_) names.push_back(entry.first);
  return names;
}

MetricCheck metric_name_check(std::vector<std::string> known_names) {
  return [known = std::move(known_names)](const MetricSpec& metric, const std::string& where) {
    T5_CHECK(std::find(known.begin(), known.end(), metric.name) != known.end(),
             "{}: no metric named '{}'{}; known: {}", where, metric.name,
             did_you_mean(metric.name, known), known_list(known));
  };
}

fs::path builtin_tasks_dir() {
  if (const char* env = std::getenv("T5_BUILTIN_TASKS"); env != nullptr && *env != '\0') {
    T5_CHECK(fs::is_directory(env), "T5_BUILTIN_TASKS={} is not a folder", env);
    return env;
  }
  std::vector<fs::path> candidates;
  fs::path exe = executable_dir();
  if (!exe.empty()) {
    candidates.push_back(exe / ".." / "share" / "t5" / "tasks");
    candidates.push_back(exe / ".." / ".." / "data" / "tasks");
  }
  candidates.push_back(fs::path(T5_BUILTIN_TASKS_DIR));
  std::vector<std::string> looked;
  for (const auto& candidate : candidates) {
    if (fs::is_directory(candidate)) return fs::weakly_canonical(candidate);
    looked.push_back(candidate.string());
  }
  fail(
      "cannot find the built-in task specs (looked in {}); set T5_BUILTIN_TASKS to the "
      "toolkit's data/tasks folder",
      join(looked, ", "));
}

void load_task_folders(const std::vector<fs::path>& folders, TaskRegistry& tasks,
                       MixtureRegistry& mixtures, const TaskLoadOptions& options) {
  Processors builtin;
  const Processors* processors = options.processors;
  if (processors == nullptr) {
    builtin = Processors::builtin();
    processors = &builtin;
  }
  std::vector<std::pair<Json, std::string>> mixture_specs;
  for (const auto& folder : folders) {
    for (const auto& file : json_files(folder)) {
      Json json = read_json_file(file.string());
      T5_CHECK(json.is_object(), "{}: expected a JSON object (a task or mixture spec)",
               file.string());
      if (json.value("kind", "task") == "mixture") {
        mixture_specs.emplace_back(std::move(json), file.string());
        continue;
      }
      TaskSpec spec = TaskSpec::from_json(json, file.string());
      if (options.check_metric) {
        for (size_t i = 0; i < spec.metrics.size(); ++i) {
          options.check_metric(spec.metrics[i], fmt::format("{}: task '{}': metrics[{}]",
                                                            file.string(), spec.name, i));
        }
      }
      tasks.add(Task(std::move(spec), *processors));
    }
  }
  for (const auto& [json, origin] : mixture_specs) {
    mixtures.add(Mixture(MixtureSpec::from_json(json, origin), tasks));
  }
}

void register_builtin_tasks(TaskRegistry& tasks, MixtureRegistry& mixtures,
                            const TaskLoadOptions& options) {
  load_task_folders({builtin_tasks_dir()}, tasks, mixtures, options);
}

std::vector<fs::path> user_task_dirs(const std::string& flag) {
  std::string list = flag;
  if (list.empty()) {
    const char* env = std::getenv("T5_TASKS_PATH");
    if (env != nullptr) list = env;
  }
  std::vector<fs::path> folders;
  for (const auto& part : split(list, ':')) {
    if (!part.empty()) folders.emplace_back(part);
  }
  return folders;
}

fs::path resolve_data_dir(const std::string& flag) {
  std::string root = flag;
  std::string source = "--data-dir";
  if (root.empty()) {
    const char* env = std::getenv("T5_DATA_DIR");
    if (env != nullptr) root = env;
    source = "T5_DATA_DIR";
  }
  T5_CHECK(!root.empty(),
           "no data root: pass --data-dir DIR or set T5_DATA_DIR to the folder holding glue/, "
           "superglue/, squad/, ... (laid out as README.md describes)");
  T5_CHECK(fs::is_directory(root), "{}={} is not a folder", source, root);
  return root;
}

std::vector<MixtureRate> mixture_rates(const Mixture& mixture, const TaskRegistry& tasks,
                                       const DataOptions& options) {
  return compute_mixture_rates(mixture.spec(), [&](const std::string& name) {
    const Task& task = tasks.get(name);
    T5_CHECK(task.has_split("train") || task.spec().examples.count("train") > 0,
             "mixture '{}': task '{}' has no train split to count; give it a \"rate\"",
             mixture.name(), name);
    return task.num_examples("train", options);
  });
}

}  // namespace t5

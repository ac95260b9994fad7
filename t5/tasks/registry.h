#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "t5/tasks/mixture.h"
#include "t5/tasks/task.h"

namespace t5 {

// Tasks by name. Registration is explicit: register_builtin_tasks, or
// add() from C++. Tasks live as long as the registry (ExampleReaders point
// at them).
class TaskRegistry {
 public:
  // Throws t5::Error when the name is taken, naming both origins.
  void add(Task task);
  // Throws t5::Error naming the nearest known names on a miss.
  const Task& get(const std::string& name) const;
  bool contains(const std::string& name) const;
  // Sorted names.
  std::vector<std::string> list() const;

 private:
  std::map<std::string, Task> tasks_;
};

class MixtureRegistry {
 public:
  // Throws t5::Error when the name is taken.
  void add(Mixture mixture);
  // Throws t5::Error naming the nearest known names on a miss.
  const Mixture& get(const std::string& name) const;
  bool contains(const std::string& name) const;
  std::vector<std::string> list() const;

 private:
  std::map<std::string, Mixture> mixtures_;
};

// Checks one metric of a task spec; throws t5::Error naming `where` to
// reject it. The metrics layer supplies one that knows its names and
// options.
using MetricCheck = std::function<void(const MetricSpec& metric, const std::string& where)>;

// A MetricCheck that accepts the given names only ("did you mean" on a
// miss) and any options.
MetricCheck metric_name_check(std::vector<std::string> known_names);

struct TaskLoadOptions {
  // Called for every metric of every task loaded; empty: not checked here.
  MetricCheck check_metric;
  // The processors specs may name; nullptr: Processors::builtin().
  const Processors* processors = nullptr;
};

// The folder of the built-in specs: $T5_BUILTIN_TASKS when set; else
// share/t5/tasks or data/tasks beside the executable's folder (an install,
// or build/bin inside the source tree); else the source tree's data/tasks
// as compiled in. Throws t5::Error listing the places looked at.
std::filesystem::path builtin_tasks_dir();

// Loads every *.json of the folders (a task spec, or a mixture spec with
// "kind": "mixture"): the tasks of all folders first, then the mixtures, so
// a mixture may name tasks of any folder or of the registry already.
void load_task_folders(const std::vector<std::filesystem::path>& folders, TaskRegistry& tasks,
                       MixtureRegistry& mixtures, const TaskLoadOptions& options = {});

// Adds the built-in tasks and mixtures (builtin_tasks_dir()).
void register_builtin_tasks(TaskRegistry& tasks, MixtureRegistry& mixtures,
                            const TaskLoadOptions& options = {});

// User spec folders: `flag` (--tasks-dir) when given, else $T5_TASKS_PATH;
// each may list several folders separated by ':'.
std::vector<std::filesystem::path> user_task_dirs(const std::string& flag);

// The data root: `flag` (--data-dir) when given, else $T5_DATA_DIR. Throws
// t5::Error saying how to set it when neither is, or when it is not a
// folder.
std::filesystem::path resolve_data_dir(const std::string& flag);

// The mixture's rates, counting training examples with `options` where a
// task's spec does not declare them.
std::vector<MixtureRate> mixture_rates(const Mixture& mixture, const TaskRegistry& tasks,
                                       const DataOptions& options);

}  // namespace t5

// `t5 tasks list` and `t5 tasks show`.
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "apps/commands.h"
#include "t5/tasks/metrics.h"
#include "t5/tasks/registry.h"
#include "t5/tasks/text_ops.h"
#include "t5/util/error.h"
#include "t5/util/json.h"

namespace t5::apps {
namespace {

struct ListOptions {
  std::string tasks_dir;
};

struct ShowOptions {
  std::string name;
  std::string split;
  int64_t offset = 0;
  int64_t n = 5;
  bool json = false;
  std::string data_dir;
  std::string tasks_dir;
  std::string on_bad_record;
};

struct Catalogue {
  TaskRegistry tasks;
  MixtureRegistry mixtures;
};

// The built-in specs, then the user's folders (--tasks-dir or T5_TASKS_PATH).
// Every metric a spec names must be a known metric.
std::unique_ptr<Catalogue> load_catalogue(const std::string& tasks_dir) {
  auto catalogue = std::make_unique<Catalogue>();
  MetricRegistry metrics;
  register_builtin_metrics(metrics);
  register_all_tasks(tasks_dir, metrics, catalogue->tasks, catalogue->mixtures);
  return catalogue;
}

void run_list(const ListOptions& options) {
  auto catalogue = load_catalogue(options.tasks_dir);
  auto tasks = catalogue->tasks.list();
  std::cout << fmt::format("tasks ({}):\n", tasks.size());
  for (const auto& name : tasks) {
    const Task& task = catalogue->tasks.get(name);
    std::cout << fmt::format("  {:22} {:8} {:24} {}\n", name, task.spec().source.format,
                             join(task.splits(), ","), task.spec().description);
  }
  auto mixtures = catalogue->mixtures.list();
  std::cout << fmt::format("mixtures ({}):\n", mixtures.size());
  for (const auto& name : mixtures) {
    const MixtureSpec& spec = catalogue->mixtures.get(name).spec();
    std::cout << fmt::format("  {:22} {:8} {:24} {}\n", name, "mixture",
                             fmt::format("{} tasks", spec.members.size()), spec.description);
  }
}

std::string default_split(const Task& task) {
  for (const char* split : {"validation", "train", "test"}) {
    if (task.has_split(split)) return split;
  }
  return task.splits().front();
}

void show_mixture(const Mixture& mixture, const TaskRegistry& tasks, const DataOptions& data) {
  const MixtureSpec& spec = mixture.spec();
  std::cout << fmt::format("mixture {} ({}{}{}): {}\n", spec.name, mixing_rate_name(spec.rate),
                           spec.limit > 0 ? fmt::format(", limit {}", spec.limit) : "",
                           spec.rate == MixingRate::kTemperature
                               ? fmt::format(", temperature {}", spec.temperature)
                               : "",
                           spec.description);
  for (const auto& rate : mixture_rates(mixture, tasks, data)) {
    std::string examples = rate.examples >= 0 ? std::to_string(rate.examples) : "-";
    std::cout << fmt::format("  {:24} examples {:>10}  rate {:.6f}\n", rate.task, examples,
                             rate.rate);
  }
}

void print_example(const Example& example, int64_t index, bool json) {
  if (json) {
    Json line = {{"inputs", example.inputs}, {"targets", example.targets}};
    if (!example.answers.empty()) line["answers"] = example.answers;
    print_json_line(line.dump());
    return;
  }
  std::cout << fmt::format("#{} {}\n  inputs:  {}\n  targets: {}\n", index, example.id,
                           example.inputs, example.targets);
  if (!example.answers.empty()) {
    std::cout << fmt::format("  answers: {}\n", join(example.answers, " | "));
  }
}

void run_show(const ShowOptions& options) {
  T5_CHECK(options.offset >= 0 && options.n >= 0, "--offset and --n must not be negative");
  auto catalogue = load_catalogue(options.tasks_dir);
  DataOptions data;
  if (!options.on_bad_record.empty()) {
    data.on_bad_record = parse_on_bad_record(options.on_bad_record, "--on-bad-record");
  }
  // Without a data root, Task::read says how to give one (after checking
  // the split); mixtures need one only to count undeclared examples.
  if (!options.data_dir.empty() || std::getenv("T5_DATA_DIR") != nullptr) {
    data.data_dir = resolve_data_dir(options.data_dir);
  }
  if (catalogue->mixtures.contains(options.name)) {
    show_mixture(catalogue->mixtures.get(options.name), catalogue->tasks, data);
    return;
  }
  const Task& task = catalogue->tasks.get(options.name);
  std::string split = options.split.empty() ? default_split(task) : options.split;
  ExampleReader reader = task.read(split, data);
  Example example;
  int64_t index = 0;
  while (index < options.offset + options.n && reader.next(example)) {
    if (index >= options.offset) print_example(example, index, options.json);
    ++index;
  }
}

}  // namespace

void add_tasks_command(CLI::App& app) {
  auto* tasks = app.add_subcommand("tasks", "List tasks and mixtures; show formatted examples");
  tasks->require_subcommand(1);

  auto list_options = std::make_shared<ListOptions>();
  auto* list = tasks->add_subcommand("list", "List the tasks and mixtures (built-in and user)");
  list->add_option("--tasks-dir", list_options->tasks_dir,
                   "folders of user task specs, ':'-separated (default: T5_TASKS_PATH)");
  list->callback([list_options]() { run_list(*list_options); });

  auto show_options = std::make_shared<ShowOptions>();
  auto* show = tasks->add_subcommand(
      "show", "Print a split's formatted examples (inputs -> targets), or a mixture's rates");
  show->add_option("name", show_options->name, "a task or mixture name")->required();
  show->add_option("--split", show_options->split,
                   "train, validation or test (default: validation when the task has it)");
  show->add_option("--offset", show_options->offset, "examples to skip first (default 0)");
  show->add_option("--n", show_options->n, "examples to print (default 5)");
  show->add_flag("--json", show_options->json,
                 "one JSON object per line: {\"inputs\", \"targets\"} (+ \"answers\")");
  show->add_option("--data-dir", show_options->data_dir, "the data root (default: T5_DATA_DIR)");
  show->add_option("--tasks-dir", show_options->tasks_dir,
                   "folders of user task specs, ':'-separated (default: T5_TASKS_PATH)");
  show->add_option("--on-bad-record", show_options->on_bad_record,
                   "fail (stop at a malformed record) or skip (count and go on); default: the "
                   "task's own, else fail");
  show->callback([show_options]() { run_show(*show_options); });
}

}  // namespace t5::apps

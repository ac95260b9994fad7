#include "t5/experiments/runner.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "t5/util/files.h"

namespace t5 {
namespace {

namespace fs = std::filesystem;

// An exclusive flock on <dir>/lock, held while the object lives. flock
// belongs to the open file description, so two threads that each open the
// file exclude each other like two processes do; O_CLOEXEC keeps programs
// that a stage starts from inheriting the lock.
class StageLock {
 public:
  explicit StageLock(const fs::path& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    T5_CHECK(fd_ >= 0, "cannot open lock file {}: {}", path.string(), std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
      held_ = true;
    } else {
      T5_CHECK(errno == EWOULDBLOCK, "cannot lock {}: {}; does the file system support flock?",
               path.string(), std::strerror(errno));
    }
  }
  ~StageLock() {
    if (held_) ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
  StageLock(const StageLock&) = delete;
  StageLock& operator=(const StageLock&) = delete;

  bool held() const { return held_; }

 private:
  int fd_ = -1;
  bool held_ = false;
};

std::string host_name() {
  char name[256] = {};
  ::gethostname(name, sizeof(name) - 1);
  return name;
}

// Appends one line with O_APPEND, so an attempt is on record even when the
// process is killed the moment after.
void append_attempt(const fs::path& path) {
  std::string line =
      Json{{"pid", ::getpid()}, {"host", host_name()}, {"started", iso_time_now()}}.dump() + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  T5_CHECK(fd >= 0, "cannot open {}: {}", path.string(), std::strerror(errno));
  ssize_t written = ::write(fd, line.data(), line.size());
  ::close(fd);
  T5_CHECK(written == static_cast<ssize_t>(line.size()), "cannot append to {}: {}", path.string(),
           std::strerror(errno));
}

void write_sweep_files(const SweepSpec& spec, const SweepPlan& plan) {
  Json sweep = spec.to_json();
  Json stages = Json::array();
  for (size_t s = 0; s < plan.stages.size(); ++s) stages.push_back(stage_summary(plan, s));
  Json points = Json::array();
  for (const auto& point : plan.points) points.push_back(point.id);
  sweep["stages"] = stages;
  sweep["points"] = points;
  write_text_atomically(plan.out_dir / "sweep.json", sweep.dump(2) + "\n");
  for (size_t p = 0; p < plan.points.size(); ++p) {
    write_text_atomically(plan.out_dir / "points" / plan.points[p].id / "point.json",
                          point_summary(spec, plan, p).dump(2) + "\n");
  }
}

class Worker {
 public:
  Worker(const SweepPlan& plan, const SweepHooks& hooks, const SweepRunOptions& options)
      : plan_(plan),
        hooks_(hooks),
        options_(options),
        log_(options.logger ? *options.logger : default_logger()),
        done_(plan.stages.size(), false) {}

  SweepRunSummary run() {
    summary_.stages = plan_.stages.size();
    size_t last_waiting = 0;
    while (true) {
      size_t waiting = pass();
      if (waiting == 0) return summary_;
      if (waiting != last_waiting) {
        log_.info("sweep", "waiting for {} stages that other workers hold or are making inputs for",
                  waiting);
        last_waiting = waiting;
      }
      std::this_thread::sleep_for(options_.poll_interval);
    }
  }

 private:
  // One pass over the stages in dependency order; returns how many are left
  // for other workers (held by them, or waiting for stages they hold).
  size_t pass() {
    size_t waiting = 0;
    for (size_t s = 0; s < plan_.stages.size(); ++s) {
      if (done_[s]) continue;
      const PlannedStage& planned = plan_.stages[s];
      if (note_if_done(s)) continue;
      bool ready = std::all_of(planned.needs.begin(), planned.needs.end(),
                               [&](size_t n) { return bool(done_[n]); });
      if (!ready) {
        ++waiting;
        continue;
      }
      fs::create_directories(planned.stage.dir);
      StageLock lock(planned.stage.dir / "lock");
      if (!lock.held()) {
        ++waiting;
        continue;
      }
      // Another worker may have finished it between the check and the lock.
      if (note_if_done(s)) continue;
      run_stage(s);
    }
    return waiting;
  }

  bool note_if_done(size_t s) {
    if (!stage_done(plan_.stages[s].stage)) return false;
    done_[s] = true;
    ++summary_.skipped;
    log_.debug("sweep", "stage {}/{} {} already done", s + 1, plan_.stages.size(),
               plan_.stages[s].stage.id);
    return true;
  }

  void run_stage(size_t s) {
    const Stage& stage = plan_.stages[s].stage;
    std::string name = fmt::format("stage {}/{} {} ({})", s + 1, plan_.stages.size(), stage.id,
                                   describe_stage(plan_, s));
    write_text_atomically(stage.dir / "config.json", stage.config.dump(2) + "\n");
    write_text_atomically(stage.dir / "stage.json", stage_summary(plan_, s).dump(2) + "\n");
    append_attempt(stage.dir / "attempts.jsonl");
    log_.info("sweep", "{} started", name);

    auto start = std::chrono::steady_clock::now();
    try {
      hooks_.run_stage(stage);
    } catch (const std::exception& e) {
      fail("{} failed: {}\n(what it wrote stays in {}; run the sweep again to resume it)", name,
           e.what(), stage.dir.string());
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    Json done = {{"id", stage.id},     {"kind", stage_kind_name(stage.kind)},
                 {"seconds", seconds}, {"finished", iso_time_now()},
                 {"pid", ::getpid()},  {"host", host_name()}};
    if (!stage.task.empty()) done["task"] = stage.task;
    write_text_atomically(stage.dir / "done.json", done.dump(2) + "\n");
    done_[s] = true;
    ++summary_.ran;
    log_.info("sweep", "{} done in {:.1f} s", name, seconds);
  }

  const SweepPlan& plan_;
  const SweepHooks& hooks_;
  const SweepRunOptions& options_;
  const Logger& log_;
  std::vector<bool> done_;
  SweepRunSummary summary_;
};

}  // namespace

bool stage_done(const Stage& stage) { return fs::exists(stage.dir / "done.json"); }

fs::path default_sweep_dir(const SweepSpec& spec) { return fs::path("runs") / spec.name; }

void check_sweep(const SweepPlan& plan, const SweepHooks& hooks, const std::string& origin) {
  if (!hooks.check_config) return;
  std::string file = origin.empty() ? "sweep" : origin;
  for (const auto& point : plan.points) {
    hooks.check_config(point.config,
                       fmt::format("{}: point {} ({})", file, point.id, point.describe()));
  }
}

SweepRunSummary run_sweep(const SweepSpec& spec, const fs::path& out_dir, const SweepHooks& hooks,
                          const SweepRunOptions& options) {
  T5_CHECK(bool(hooks.run_stage),
           "run_sweep: SweepHooks.run_stage is not set; the app must wire "
           "it to the training stages");
  SweepPlan plan = plan_sweep(spec, out_dir);
  check_sweep(plan, hooks, spec.origin);
  write_sweep_files(spec, plan);

  const Logger& log = options.logger ? *options.logger : default_logger();
  size_t finished = 0;
  for (const auto& planned : plan.stages) finished += stage_done(planned.stage);
  log.info("sweep", "sweep '{}': {} points, {} stages ({} already done), output in {}", spec.name,
           plan.points.size(), plan.stages.size(), finished, out_dir.string());
  return Worker(plan, hooks, options).run();
}

}  // namespace t5

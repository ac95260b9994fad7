#include "t5/train/trainer.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <sstream>

#include "t5/objectives/random.h"
#include "t5/train/checkpoint_state.h"
#include "t5/util/files.h"

namespace t5 {

namespace fs = std::filesystem;

namespace {

// The signal that asked the run to stop (0: none). Signals reach the whole
// process, so this one flag is process-wide by nature.
std::atomic<int> stop_signal{0};

void on_stop_signal(int signal) { stop_signal.store(signal); }

// Installs SIGINT and SIGTERM handlers for the scope of a run.
class StopSignals {
 public:
  StopSignals() {
    stop_signal.store(0);
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  int received() const { return stop_signal.load(); }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

OnNonFinite parse_on_non_finite(const std::string& name, const std::string& where) {
  if (name == "stop") return OnNonFinite::kStop;
  if (name == "skip") return OnNonFinite::kSkip;
  fail("{}: key 'on_non_finite': expected \"stop\" or \"skip\", got \"{}\"", where, name);
}

// metrics.jsonl: appended line by line (flushed, so a killed run keeps what
// it logged); on resume, the lines past the restored step are dropped.
class MetricsLog {
 public:
  MetricsLog(const fs::path& file, int64_t resumed_step) : file_(file) {
    if (fs::exists(file_)) {
      std::istringstream lines(read_text_file(file_.string()));
      std::string kept, line;
      while (std::getline(lines, line)) {
        Json record = Json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (record.is_object() && record.value("step", int64_t{0}) <= resumed_step) {
          kept += line + "\n";
        }
      }
      write_text_atomically(file_, kept);
    }
    out_.open(file_, std::ios::app);
    T5_CHECK(out_.good(), "cannot open {} for appending; check the folder's permissions",
             file_.string());
  }
  void write(const Json& record) {
    out_ << record.dump() << "\n";
    out_.flush();
  }

 private:
  fs::path file_;
  std::ofstream out_;
};

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  auto s = static_cast<int64_t>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}h{:02d}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02d}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

// A one-line progress bar redrawn on stderr when it is a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(int64_t total) : total_(total), enabled_(::isatty(STDERR_FILENO) != 0) {}
  void draw(int64_t step, double loss, double eta_seconds) {
    if (!enabled_) return;
    constexpr int kWidth = 30;
    int filled = total_ > 0 ? static_cast<int>(kWidth * step / total_) : 0;
    std::string bar(filled, '=');
    bar.resize(kWidth, ' ');
    std::fprintf(stderr, "\r[%s] step %lld/%s loss %.4f ETA %s ", bar.c_str(),
                 static_cast<long long>(step), total_ > 0 ? std::to_string(total_).c_str() : "?",
                 loss, format_duration(eta_seconds).c_str());
    std::fflush(stderr);
    drawn_ = true;
  }
  // Ends the bar's line before a log line is written.
  void clear() {
    if (drawn_) std::fprintf(stderr, "\r%*s\r", 80, "");
    drawn_ = false;
  }

 private:
  int64_t total_;
  bool enabled_;
  bool drawn_ = false;
};

Json scores_to_json(const std::vector<TaskScores>& scores) {
  Json out = Json::array();
  for (const auto& s : scores) out.push_back({{"task", s.task}, {"metrics", s.metrics}});
  return out;
}

std::vector<TaskScores> scores_from_json(const Json& json) {
  std::vector<TaskScores> scores;
  if (!json.is_array()) return scores;
  for (const auto& item : json) {
    scores.push_back({item.at("task").get<std::string>(),
                      item.at("metrics").get<std::map<std::string, double>>()});
  }
  return scores;
}

}  // namespace

TrainerOptions TrainerOptions::from_json(const Json& json, const std::string& where) {
  TrainerOptions options;
  JsonFields fields(json, where);
  fields.get("steps", options.steps);
  fields.get("accumulation", options.accumulation);
  Json optimizer = options.optimizer.to_json();
  fields.get("optimizer", optimizer);
  Json schedule = options.schedule.to_json();
  fields.get("schedule", schedule);
  fields.get("max_grad_norm", options.max_grad_norm);
  Json loss = options.loss.to_json();
  fields.get("loss", loss);
  std::string precision = precision_name(options.precision);
  fields.get("precision", precision);
  fields.get("log_every", options.log_every);
  fields.get("checkpoint_every", options.checkpoint_every);
  fields.get("keep_checkpoints", options.keep_checkpoints);
  fields.get("eval_every", options.eval_every);
  fields.get("early_stopping_patience", options.early_stopping_patience);
  std::string on_non_finite = options.on_non_finite == OnNonFinite::kSkip ? "skip" : "stop";
  fields.get("on_non_finite", on_non_finite);
  fields.get("seed", options.seed);
  fields.finish();
  // Partial objects override the defaults key by key.
  Json merged_optimizer = options.optimizer.to_json();
  merged_optimizer.update(optimizer);
  options.optimizer = OptimizerOptions::from_json(merged_optimizer, where + ".optimizer");
  Json merged_schedule = options.schedule.to_json();
  merged_schedule.update(schedule);
  options.schedule = ScheduleOptions::from_json(merged_schedule, where + ".schedule");
  options.loss = LossOptions::from_json(loss, where + ".loss");
  options.precision = parse_precision(precision, where + ".precision");
  options.on_non_finite = parse_on_non_finite(on_non_finite, where);
  options.validate(where);
  return options;
}

Json TrainerOptions::to_json() const {
  return {{"steps", steps},
          {"accumulation", accumulation},
          {"optimizer", optimizer.to_json()},
          {"schedule", schedule.to_json()},
          {"max_grad_norm", max_grad_norm},
          {"loss", loss.to_json()},
          {"precision", precision_name(precision)},
          {"log_every", log_every},
          {"checkpoint_every", checkpoint_every},
          {"keep_checkpoints", keep_checkpoints},
          {"eval_every", eval_every},
          {"early_stopping_patience", early_stopping_patience},
          {"on_non_finite", on_non_finite == OnNonFinite::kSkip ? "skip" : "stop"},
          {"seed", seed}};
}

void TrainerOptions::validate(const std::string& where) const {
  auto check_at_least = [&](const char* key, int64_t value, int64_t least) {
    T5_CHECK(value >= least, "{}: key '{}': expected at least {}, got {}", where, key, least,
             value);
  };
  check_at_least("steps", steps, 0);
  check_at_least("accumulation", accumulation, 1);
  check_at_least("log_every", log_every, 1);
  check_at_least("checkpoint_every", checkpoint_every, 0);
  check_at_least("keep_checkpoints", keep_checkpoints, 1);
  check_at_least("eval_every", eval_every, 0);
  check_at_least("early_stopping_patience", early_stopping_patience, 0);
  T5_CHECK(max_grad_norm >= 0, "{}: key 'max_grad_norm': expected 0 (none) or more, got {}", where,
           max_grad_norm);
  optimizer.validate(where + ".optimizer");
  schedule.validate(where + ".schedule");
}

std::optional<double> selection_score(const std::vector<TaskScores>& scores) {
  double sum = 0;
  int64_t tasks = 0;
  for (const auto& task : scores) {
    if (task.metrics.empty()) continue;
    double task_sum = 0;
    for (const auto& [name, value] : task.metrics) task_sum += value;
    sum += task_sum / static_cast<double>(task.metrics.size());
    ++tasks;
  }
  if (tasks == 0) return std::nullopt;
  return sum / static_cast<double>(tasks);
}

namespace {

// The state of one run between steps, as a checkpoint keeps it.
struct RunProgress {
  int64_t step = 0;
  int64_t skipped = 0;
  int64_t best_step = 0;
  std::optional<double> best_score;
  std::vector<TaskScores> best_scores;
  fs::path best_checkpoint;
  int64_t evals_without_improvement = 0;

  Json to_json() const {
    Json json = {{"skipped", skipped},
                 {"best_step", best_step},
                 {"best_scores", scores_to_json(best_scores)},
                 {"best_checkpoint", best_checkpoint.filename().string()},
                 {"evals_without_improvement", evals_without_improvement}};
    if (best_score) json["best_score"] = *best_score;
    return json;
  }
  void load(const Json& json, const fs::path& checkpoints) {
    if (!json.is_object()) return;
    skipped = json.value("skipped", int64_t{0});
    best_step = json.value("best_step", int64_t{0});
    best_scores = scores_from_json(json.value("best_scores", Json::array()));
    std::string best = json.value("best_checkpoint", std::string());
    best_checkpoint = best.empty() ? fs::path() : checkpoints / best;
    evals_without_improvement = json.value("evals_without_improvement", int64_t{0});
    if (json.contains("best_score")) best_score = json.at("best_score").get<double>();
  }
};

class TrainingRun {
 public:
  TrainingRun(T5ModelImpl& model, Loader& loader, const TrainerOptions& options,
              const fs::path& out_dir, const TrainerHooks& hooks, const Json& run_config,
              const Logger& logger)
      : model_(model),
        loader_(loader),
        options_(options),
        checkpoints_(out_dir / "checkpoints"),
        hooks_(hooks),
        run_config_(run_config),
        logger_(logger),
        optimizer_(options.optimizer, model.unique_named_parameters()),
        device_(model.shared->weight.device()),
        progress_bar_(options.steps) {
    fs::create_directories(checkpoints_);
    resume();
    metrics_.emplace(out_dir / "metrics.jsonl", progress_.step);
  }

  TrainResult run();

 private:
  void resume();
  bool take_step(bool& data_ended);
  void log_window(bool force);
  bool evaluate();
  fs::path checkpoint();
  void draw_progress();

  T5ModelImpl& model_;
  Loader& loader_;
  const TrainerOptions& options_;
  fs::path checkpoints_;
  const TrainerHooks& hooks_;
  const Json& run_config_;
  const Logger& logger_;
  Optimizer optimizer_;
  torch::Device device_;
  ProgressBar progress_bar_;
  std::optional<MetricsLog> metrics_;
  RunProgress progress_;
  fs::path last_checkpoint_;
  int64_t last_checkpoint_step_ = -1;
  double last_loss_ = 0;
  // The logging window.
  double window_loss_ = 0, window_tokens_ = 0, window_grad_norm_ = 0;
  int64_t window_steps_ = 0;
  std::chrono::steady_clock::time_point window_start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point run_start_ = std::chrono::steady_clock::now();
  int64_t first_step_ = 0;
};

void TrainingRun::resume() {
  auto state = restore_latest_checkpoint(checkpoints_, model_, optimizer_, logger_);
  if (!state) return;
  progress_.step = state->step;
  progress_.load(state->extra, checkpoints_);
  loader_.restore(state->data_position, (checkpoints_ / "state.json").string());
  last_checkpoint_ = list_checkpoints(checkpoints_).back();
  last_checkpoint_step_ = state->step;
  logger_.info("train", "resumed from step {} ({})", state->step, checkpoints_.string());
}

bool TrainingRun::take_step(bool& data_ended) {
  std::vector<ModelInputs> micro_batches;
  BatchStats stats;
  for (int64_t i = 0; i < options_.accumulation; ++i) {
    auto batch = loader_.next();
    if (!batch) {
      data_ended = true;
      break;
    }
    stats.add(batch->stats);
    micro_batches.push_back(batch->to(device_).to_model_inputs());
  }
  if (micro_batches.empty()) return false;

  int64_t step = progress_.step + 1;
  torch::manual_seed(Rng::derive(options_.seed, static_cast<uint64_t>(step)).next());
  StepOptions step_options;
  step_options.max_grad_norm = options_.max_grad_norm;
  step_options.loss = options_.loss;
  step_options.precision = options_.precision;
  StepResult result = train_step(model_, optimizer_, micro_batches,
                                 learning_rate_at(options_.schedule, step), step_options);
  if (result.non_finite) {
    T5_CHECK(options_.on_non_finite == OnNonFinite::kSkip,
             "step {}: the loss ({}) or gradient norm ({}) is not finite; the parameters are "
             "those of step {}. Lower the learning rate, set max_grad_norm, or set "
             "on_non_finite to \"skip\" to drop such batches",
             step, result.total_loss, result.grad_norm, progress_.step);
    ++progress_.skipped;
    logger_.warn("train", "step {}: non-finite loss {}; batch skipped ({} so far)", step,
                 result.total_loss, progress_.skipped);
  }
  progress_.step = step;
  if (!result.non_finite) {
    last_loss_ = result.loss;
    window_loss_ += result.loss;
    window_grad_norm_ += result.grad_norm;
    ++window_steps_;
  }
  window_tokens_ += static_cast<double>(stats.input_tokens + stats.target_tokens);
  return true;
}

void TrainingRun::log_window(bool force) {
  if (window_steps_ == 0 || (!force && progress_.step % options_.log_every != 0)) return;
  auto now = std::chrono::steady_clock::now();
  double seconds = std::chrono::duration<double>(now - window_start_).count();
  double elapsed = std::chrono::duration<double>(now - run_start_).count();
  double loss = window_loss_ / static_cast<double>(window_steps_);
  double tokens_per_second = window_tokens_ / std::max(seconds, 1e-9);
  double per_step =
      elapsed / static_cast<double>(std::max<int64_t>(progress_.step - first_step_, 1));
  double eta =
      options_.steps > 0 ? per_step * static_cast<double>(options_.steps - progress_.step) : NAN;
  double learning_rate = learning_rate_at(options_.schedule, progress_.step);
  progress_bar_.clear();
  logger_.info("train",
               "step={} loss={:.4f} lr={:.3g} grad_norm={:.3f} tokens_per_s={:.0f} "
               "packing={:.3f} elapsed={} eta={}",
               progress_.step, loss, learning_rate, window_grad_norm_ / window_steps_,
               tokens_per_second, loader_.totals().efficiency(), format_duration(elapsed),
               format_duration(eta));
  metrics_->write({{"event", "train"},
                   {"step", progress_.step},
                   {"loss", loss},
                   {"learning_rate", learning_rate},
                   {"grad_norm", window_grad_norm_ / window_steps_},
                   {"tokens_per_second", tokens_per_second},
                   {"packing_efficiency", loader_.totals().efficiency()},
                   {"elapsed_s", elapsed}});
  window_loss_ = window_tokens_ = window_grad_norm_ = 0;
  window_steps_ = 0;
  window_start_ = now;
}

// Scores the model; true when the score is the best so far.
bool TrainingRun::evaluate() {
  progress_bar_.clear();
  std::vector<TaskScores> scores = hooks_.evaluate(progress_.step);
  for (const auto& task : scores) {
    metrics_->write({{"event", "eval"},
                     {"step", progress_.step},
                     {"task", task.task},
                     {"metrics", task.metrics}});
  }
  auto score = selection_score(scores);
  bool better = score && (!progress_.best_score || *score > *progress_.best_score);
  if (better) {
    progress_.best_score = score;
    progress_.best_step = progress_.step;
    progress_.best_scores = scores;
    progress_.evals_without_improvement = 0;
  } else {
    ++progress_.evals_without_improvement;
  }
  logger_.info("eval", "step={} score={:.3f} best={:.3f} (step {})", progress_.step,
               score.value_or(NAN), progress_.best_score.value_or(NAN), progress_.best_step);
  return better;
}

fs::path TrainingRun::checkpoint() {
  if (last_checkpoint_step_ == progress_.step) return last_checkpoint_;
  TrainingState state;
  state.step = progress_.step;
  state.data_position = loader_.position();
  state.run_config = run_config_;
  if (progress_.best_step == progress_.step) {
    progress_.best_checkpoint = checkpoint_folder(checkpoints_, progress_.step);
  }
  state.extra = progress_.to_json();
  fs::path folder = save_checkpoint(checkpoints_, model_, optimizer_, state);
  prune_checkpoints(checkpoints_, options_.keep_checkpoints, progress_.best_checkpoint);
  last_checkpoint_ = folder;
  last_checkpoint_step_ = progress_.step;
  return folder;
}

TrainResult TrainingRun::run() {
  StopSignals signals;
  TrainResult result;
  first_step_ = progress_.step;
  model_.train();
  bool data_ended = false;
  bool stopped_early = false;
  int64_t evaluated_step = -1;
  while ((options_.steps == 0 || progress_.step < options_.steps) && !data_ended) {
    if (!take_step(data_ended)) break;
    log_window(/*force=*/false);
    draw_progress();

    bool best = false;
    if (hooks_.evaluate && options_.eval_every > 0 && progress_.step % options_.eval_every == 0) {
      best = evaluate();
      evaluated_step = progress_.step;
      model_.train();
      stopped_early = options_.early_stopping_patience > 0 &&
                      progress_.evals_without_improvement >= options_.early_stopping_patience;
    }
    bool due = options_.checkpoint_every > 0 && progress_.step % options_.checkpoint_every == 0;
    if (best || due || signals.received() != 0) checkpoint();

    if (signals.received() != 0) {
      result.interrupted = true;
      result.signal = signals.received();
      progress_bar_.clear();
      logger_.warn("train",
                   "stopped by signal {} at step {}; checkpoint saved in {}; run the same "
                   "command again to resume",
                   result.signal, progress_.step, last_checkpoint_.string());
      break;
    }
    if (stopped_early) {
      logger_.info("train", "early stop at step {}: {} evaluations without a better score",
                   progress_.step, progress_.evals_without_improvement);
      break;
    }
  }
  log_window(/*force=*/true);
  if (!result.interrupted) {
    if (hooks_.evaluate && evaluated_step != progress_.step) evaluate();
    checkpoint();
  }
  progress_bar_.clear();

  result.steps = progress_.step;
  result.final_loss = last_loss_;
  result.skipped_batches = progress_.skipped;
  result.stopped_early = stopped_early;
  result.best_step = progress_.best_step;
  result.best_scores = progress_.best_scores;
  result.last_checkpoint = last_checkpoint_;
  result.best_checkpoint =
      progress_.best_checkpoint.empty() ? last_checkpoint_ : progress_.best_checkpoint;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start_).count();
  result.data = loader_.totals();
  return result;
}

void TrainingRun::draw_progress() {
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start_).count();
  double per_step =
      elapsed / static_cast<double>(std::max<int64_t>(progress_.step - first_step_, 1));
  double eta =
      options_.steps > 0 ? per_step * static_cast<double>(options_.steps - progress_.step) : NAN;
  progress_bar_.draw(progress_.step, last_loss_, eta);
}

}  // namespace

TrainResult train(T5ModelImpl& model, Loader& loader, const TrainerOptions& options,
                  const fs::path& out_dir, const TrainerHooks& hooks, const Json& run_config,
                  const Logger& logger) {
  options.validate("train");
  TrainingRun run(model, loader, options, out_dir, hooks, run_config, logger);
  return run.run();
}

}  // namespace t5

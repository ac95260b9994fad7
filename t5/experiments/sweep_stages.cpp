#include "t5/experiments/sweep_stages.h"

#include "t5/experiments/stages.h"
#include "t5/util/threads.h"

namespace t5 {

namespace fs = std::filesystem;

namespace {

void run_stage(const Stage& stage, const Logger& logger) {
  RunConfig config = RunConfig::from_json(stage.config, (stage.dir / "run_config.json").string());
  if (config.threads > 0) configure_threads(config.threads);
  RunContext context(config, logger);
  if (stage.kind == StageKind::kVocabulary) {
    prepare_vocabulary(config, context, stage.dir);
    return;
  }
  fs::path vocabulary = prepare_vocabulary(config, context, stage.vocabulary);
  TrainResult result;
  if (stage.kind == StageKind::kPretrain) {
    result = run_pretraining(config, context, vocabulary, stage.dir);
  } else {
    result = run_finetuning(config, context, stage.task, vocabulary, stage.pretrained, stage.dir);
  }
  T5_CHECK(!result.interrupted,
           "stage {} stopped by signal {} at step {}; its checkpoint is saved, and running the "
           "sweep again resumes it",
           stage.id, result.signal, result.steps);
}

}  // namespace

SweepHooks training_sweep_hooks(const Logger& logger) {
  SweepHooks hooks;
  hooks.check_config = [&logger](const Json& json, const std::string& where) {
    RunConfig config = RunConfig::from_json(json, where);
    RunContext context(config, logger);
    check_run(config, context, where);
  };
  hooks.run_stage = [&logger](const Stage& stage) { run_stage(stage, logger); };
  return hooks;
}

}  // namespace t5

#include <catch2/catch.hpp>

#include "t5/experiments/slurm.h"
#include "t5/experiments/sweep.h"
#include "t5/util/files.h"
#include "tests/experiments/fake_stages.h"
#include "tests/support/temp_folder.h"

using t5::Json;

TEST_CASE("The Slurm script starts one sweep worker per array task", "[experiments]") {
  Json json = t5::testing::fake_sweep_json();
  json["slurm"] = {{"workers", 3}, {"time", "02:00:00"}, {"cpus_per_task", 4},
                   {"mem", "16G"}, {"partition", "gpu"}, {"setup", {"module load cuda"}}};
  auto spec = t5::SweepSpec::from_json(json, "fake.json");
  t5::SlurmJob job{spec.name, "/opt/t5/bin/t5", "/sweeps/my sweep.json", "/runs/fake"};
  std::string script = t5::slurm_script(job, spec.slurm);

  CHECK_THAT(script, Catch::StartsWith("#!/bin/bash\n"));
  CHECK_THAT(script, Catch::Contains("#SBATCH --job-name=t5-fake\n"));
  CHECK_THAT(script, Catch::Contains("#SBATCH --array=0-2\n"));
  CHECK_THAT(script, Catch::Contains("#SBATCH --time=02:00:00\n"));
  CHECK_THAT(script, Catch::Contains("#SBATCH --cpus-per-task=4\n"));
  CHECK_THAT(script, Catch::Contains("#SBATCH --mem=16G\n"));
  CHECK_THAT(script, Catch::Contains("#SBATCH --partition=gpu\n"));
  CHECK_THAT(script, Catch::Contains("#SBATCH --output=/runs/fake/slurm/%A_%a.out\n"));
  CHECK_THAT(script, !Catch::Contains("--gpus-per-task") && !Catch::Contains("--account"));
  CHECK_THAT(script,
             Catch::Contains("module load cuda\nexport T5_THREADS=\"${SLURM_CPUS_PER_TASK}\"\n"));
  CHECK_THAT(script, Catch::EndsWith("exec '/opt/t5/bin/t5' sweep '/sweeps/my sweep.json' --out "
                                     "'/runs/fake' --worker\n"));

  SECTION("written atomically beside the runs, with a folder for the logs") {
    t5::testing::TempFolder temp("slurm");
    job.out_dir = temp / "out";
    auto path = t5::write_slurm_script(job, spec.slurm);
    CHECK(path == temp / "out" / "sweep.sbatch");
    CHECK(t5::read_text_file(path) == t5::slurm_script(job, spec.slurm));
    CHECK(std::filesystem::is_directory(temp / "out" / "slurm"));
  }
}

TEST_CASE("Slurm options are checked when the sweep file is read", "[experiments]") {
  Json json = t5::testing::fake_sweep_json();
  SECTION("a time Slurm cannot read") {
    json["slurm"] = {{"time", "2 hours"}};
    CHECK_THROWS_WITH(t5::SweepSpec::from_json(json, "fake.json"),
                      Catch::Contains("fake.json.slurm.time: expected a Slurm time"));
  }
  SECTION("no workers") {
    json["slurm"] = {{"workers", 0}};
    CHECK_THROWS_WITH(t5::SweepSpec::from_json(json, "fake.json"),
                      Catch::Contains("fake.json.slurm.workers: expected at least 1"));
  }
}

TEST_CASE("Shell quoting survives quotes inside paths", "[experiments]") {
  CHECK(t5::shell_quote("it's") == "'it'\\''s'");
}

#include <catch2/catch.hpp>

#include "t5/train/schedule.h"

TEST_CASE("the rsqrt schedule gives REFERENCE.md's spot values", "[train]") {
  t5::ScheduleOptions schedule;  // rsqrt, base 1, warm-up 10^4
  // REFERENCE.md: step 1 -> 0.01, 10000 -> 0.01, 40000 -> 0.005,
  // 524288 -> 0.001381 (1 / sqrt(524288) = 0.0013810679).
  CHECK(t5::learning_rate_at(schedule, 1) == Approx(0.01));
  CHECK(t5::learning_rate_at(schedule, 10000) == Approx(0.01));
  CHECK(t5::learning_rate_at(schedule, 40000) == Approx(0.005));
  CHECK(t5::learning_rate_at(schedule, 524288) == Approx(0.001381).margin(5e-7));
}

TEST_CASE("constant, linear and cosine schedules warm up then decay as stated", "[train]") {
  t5::ScheduleOptions constant;
  constant.name = "constant";
  constant.base = 1e-3;
  constant.warmup_steps = 0;
  CHECK(t5::learning_rate_at(constant, 1) == Approx(1e-3));
  CHECK(t5::learning_rate_at(constant, 100000) == Approx(1e-3));

  // Hand computed: warm-up 10 steps to 1.0, then to 0 at step 110.
  t5::ScheduleOptions linear;
  linear.name = "linear";
  linear.warmup_steps = 10;
  linear.total_steps = 110;
  CHECK(t5::learning_rate_at(linear, 5) == Approx(0.5));
  CHECK(t5::learning_rate_at(linear, 10) == Approx(1.0));
  CHECK(t5::learning_rate_at(linear, 60) == Approx(0.5));
  CHECK(t5::learning_rate_at(linear, 110) == Approx(0.0).margin(1e-12));
  CHECK(t5::learning_rate_at(linear, 500) == Approx(0.0).margin(1e-12));

  // Half way through a cosine decay: (1 + cos(pi/2)) / 2 = 0.5 of the peak.
  t5::ScheduleOptions cosine = linear;
  cosine.name = "cosine";
  CHECK(t5::learning_rate_at(cosine, 60) == Approx(0.5));
  CHECK(t5::learning_rate_at(cosine, 35) == Approx((1.0 + std::cos(M_PI * 0.25)) / 2.0));
}

TEST_CASE("schedule options reject unknown names, keys and bad values", "[train]") {
  using Catch::Contains;
  CHECK_THROWS_WITH(t5::ScheduleOptions::from_json({{"name", "cosin"}}, "run.json: schedule"),
                    Contains("unknown schedule 'cosin'") && Contains("did you mean 'cosine'"));
  CHECK_THROWS_WITH(t5::ScheduleOptions::from_json({{"warmup", 3}}, "run.json: schedule"),
                    Contains("unknown key 'warmup'"));
  CHECK_THROWS_WITH(t5::ScheduleOptions::from_json({{"name", "linear"}, {"warmup_steps", 10}}, "s"),
                    Contains("'total_steps' > 'warmup_steps' (10), got 0"));
}

#pragma once

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace t5 {

// The random source of every objective: a seeded std::mt19937_64 with draws
// defined here rather than by the standard library's distributions, whose
// algorithms differ between implementations. The same seed gives the same
// examples on every platform and compiler. Never shared between threads.
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // A generator for stream `stream` of `seed` (e.g. one per worker or per
  // mixture member), decorrelated from its neighbours by SplitMix64.
  static Rng derive(uint64_t seed, uint64_t stream);

  uint64_t next() { return engine_(); }

  // Uniform in [0, n) without modulo bias; n must be positive.
  uint64_t below(uint64_t n);

  // Uniform in [lo, hi); requires lo < hi.
  int64_t range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo)));
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  // True with probability p (p <= 0: never; p >= 1: always).
  bool bernoulli(double p) { return uniform() < p; }

  // Fisher-Yates shuffle of [first, last).
  template <typename It>
  void shuffle(It first, It last) {
    auto n = static_cast<uint64_t>(last - first);
    for (uint64_t i = n; i > 1; --i) std::swap(first[i - 1], first[below(i)]);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace t5

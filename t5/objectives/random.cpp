#include "t5/objectives/random.h"

namespace t5 {

namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

Rng Rng::derive(uint64_t seed, uint64_t stream) {
  return Rng(splitmix64(splitmix64(seed) ^ splitmix64(stream + 0x632be59bd9b4e019ULL)));
}

uint64_t Rng::below(uint64_t n) {
  // Rejects the top partial block of 2^64 so every residue is equally likely.
  const uint64_t threshold = (0 - n) % n;
  for (;;) {
    uint64_t r = engine_();
    if (r >= threshold) return r % n;
  }
}

}  // namespace t5

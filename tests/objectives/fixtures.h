#pragma once

// Helpers shared by the objective and batching tests: T5's special ids and
// random texts of ordinary (non-special, non-sentinel) tokens.

#include <cstdint>
#include <vector>

#include "t5/objectives/random.h"
#include "t5/objectives/special_ids.h"

namespace t5::testing {

// T5's layout: 32000 pieces, 100 sentinels (REFERENCE.md, Text).
inline SpecialIds t5_ids() { return SpecialIds{}; }

// `length` tokens drawn from [3, vocab_size): no specials, no sentinels.
inline std::vector<int64_t> random_text(int64_t length, uint64_t seed,
                                        const SpecialIds& ids = t5_ids()) {
  Rng rng = Rng::derive(seed, 0x7e57);
  std::vector<int64_t> text(length);
  for (auto& token : text) token = rng.range(3, ids.vocab_size);
  return text;
}

// `text` followed by EOS.
inline std::vector<int64_t> with_eos(std::vector<int64_t> text, int64_t eos = 1) {
  text.push_back(eos);
  return text;
}

}  // namespace t5::testing

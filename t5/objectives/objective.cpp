#include "t5/objectives/objective.h"

#include <algorithm>

namespace t5 {

int64_t raw_length_for_copies(const SequenceLengths& lengths, const std::string& where) {
  int64_t smallest = 0;
  for (int64_t budget : {lengths.inputs, lengths.targets}) {
    T5_CHECK(budget >= 0, "{}: a sequence length of {} is negative; use 0 for no limit", where,
             budget);
    if (budget > 0) smallest = smallest == 0 ? budget : std::min(smallest, budget);
  }
  if (smallest == 0) return 0;
  T5_CHECK(smallest >= 2, "{}: a sequence length of {} leaves no room for a token before EOS",
           where, smallest);
  return smallest - 1;
}

void check_chunk_length(const std::vector<int64_t>& tokens, int64_t raw_length,
                        const std::string& where) {
  T5_CHECK(raw_length == 0 || static_cast<int64_t>(tokens.size()) <= raw_length,
           "{}: got a text of {} tokens but this objective takes at most {} (its raw length for "
           "the configured sequence lengths); cut the text into chunks first",
           where, tokens.size(), raw_length);
}

void trim_keeping_eos(std::vector<int64_t>& feature, int64_t limit, int64_t eos) {
  if (limit <= 0 || static_cast<int64_t>(feature.size()) <= limit) return;
  feature.resize(limit);
  feature.back() = eos;
}

void check_probability(double value, const std::string& where, const std::string& key) {
  T5_CHECK(value >= 0.0 && value <= 1.0, "{}: {} is {}; expected a value in [0, 1]", where, key,
           value);
}

void check_open_density(double value, const std::string& where, const std::string& key) {
  T5_CHECK(value > 0.0 && value < 1.0,
           "{}: {} is {}; expected a value strictly between 0 and 1 (spans need noise and kept "
           "tokens)",
           where, key, value);
}

void check_mean_span(double value, const std::string& where, const std::string& key) {
  T5_CHECK(value >= 1.0, "{}: {} is {}; expected at least 1 token", where, key, value);
}

}  // namespace t5

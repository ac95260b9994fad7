#include "t5/objectives/noise.h"

#include <algorithm>
#include <cmath>

#include "t5/util/error.h"

namespace t5 {

int64_t round_half_even(double x) {
  double floor = std::floor(x);
  double fraction = x - floor;
  auto result = static_cast<int64_t>(floor);
  if (fraction > 0.5) return result + 1;
  if (fraction < 0.5) return result;
  return result % 2 == 0 ? result : result + 1;
}

SpanCounts span_counts(int64_t length, double noise_density, double mean_noise_span_length) {
  length = std::max<int64_t>(length, 2);
  SpanCounts counts;
  counts.noise = round_half_even(static_cast<double>(length) * noise_density);
  counts.noise = std::clamp<int64_t>(counts.noise, 1, length - 1);
  counts.spans = round_half_even(static_cast<double>(counts.noise) / mean_noise_span_length);
  // Spans alternate with kept runs, so there can be no more spans than kept
  // tokens (only reachable above density 0.5 with short mean spans).
  counts.spans = std::clamp<int64_t>(counts.spans, 1, length - counts.noise);
  return counts;
}

std::vector<int64_t> random_segmentation(int64_t items, int64_t segments, Rng& rng) {
  T5_CHECK(segments >= 1 && segments <= items,
           "random_segmentation: cannot split {} items into {} non-empty segments", items,
           segments);
  // Partial Fisher-Yates over the gaps 1 .. items-1: the first segments - 1
  // entries become a uniform sample of cut points.
  std::vector<int64_t> gaps(items - 1);
  for (int64_t i = 0; i < items - 1; ++i) gaps[i] = i + 1;
  for (int64_t i = 0; i < segments - 1; ++i) {
    int64_t j = rng.range(i, items - 1);
    std::swap(gaps[i], gaps[j]);
  }
  std::sort(gaps.begin(), gaps.begin() + (segments - 1));

  std::vector<int64_t> lengths(segments);
  int64_t previous = 0;
  for (int64_t s = 0; s < segments - 1; ++s) {
    lengths[s] = gaps[s] - previous;
    previous = gaps[s];
  }
  lengths[segments - 1] = items - previous;
  return lengths;
}

NoiseMask random_spans_noise_mask(int64_t length, double noise_density,
                                  double mean_noise_span_length, Rng& rng) {
  if (length <= 0) return {};
  int64_t padded = std::max<int64_t>(length, 2);
  SpanCounts counts = span_counts(padded, noise_density, mean_noise_span_length);
  auto noise_lengths = random_segmentation(counts.noise, counts.spans, rng);
  auto kept_lengths = random_segmentation(padded - counts.noise, counts.spans, rng);

  NoiseMask mask;
  mask.reserve(padded);
  for (int64_t s = 0; s < counts.spans; ++s) {
    mask.insert(mask.end(), kept_lengths[s], 0);
    mask.insert(mask.end(), noise_lengths[s], 1);
  }
  mask.resize(length);
  return mask;
}

NoiseMask iid_noise_mask(int64_t length, double noise_density, Rng& rng) {
  NoiseMask mask(std::max<int64_t>(length, 0));
  for (auto& flag : mask) flag = rng.bernoulli(noise_density) ? 1 : 0;
  return mask;
}

SpanLengths span_corruption_lengths(int64_t raw, double noise_density,
                                    double mean_noise_span_length, bool final_sentinel) {
  SpanCounts counts = span_counts(raw, noise_density, mean_noise_span_length);
  SpanLengths lengths;
  lengths.raw = raw;
  lengths.inputs = raw - counts.noise + counts.spans + 1;
  lengths.targets = counts.noise + counts.spans + 1 + (final_sentinel ? 1 : 0);
  return lengths;
}

SpanLengths plan_span_corruption(int64_t inputs_length, double noise_density,
                                 double mean_noise_span_length, bool final_sentinel) {
  T5_CHECK(inputs_length >= 3,
           "span corruption: inputs_length {} leaves no room for a 2-token text, a sentinel "
           "and EOS; use at least 3",
           inputs_length);
  auto inputs_of = [&](int64_t raw) {
    return span_corruption_lengths(raw, noise_density, mean_noise_span_length, false).inputs;
  };
  // Each sentinel stands for at least one token, so raw = inputs_length - 1
  // always fits; grow while the next length still does.
  int64_t raw = inputs_length - 1;
  while (inputs_of(raw + 1) <= inputs_length) ++raw;

  // The reference's rule for density 0.5: keep the targets no longer than
  // the inputs (which are more likely a round number).
  auto reference = span_corruption_lengths(raw, noise_density, mean_noise_span_length, false);
  if (noise_density == 0.5 && reference.targets > reference.inputs) --raw;
  return span_corruption_lengths(raw, noise_density, mean_noise_span_length, final_sentinel);
}

}  // namespace t5

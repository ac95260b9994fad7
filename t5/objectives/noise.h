#pragma once

#include <cstdint>
#include <vector>

#include "t5/objectives/random.h"

namespace t5 {

// One flag per token: 1 = noise (corrupted), 0 = kept.
using NoiseMask = std::vector<uint8_t>;

// Rounds half to even, as the reference's round() (numpy, TensorFlow and
// Python 3 all do): 2.5 -> 2, 3.5 -> 4.
int64_t round_half_even(double x);

// How a span-noise mask of `length` tokens is laid out.
struct SpanCounts {
  /// Noise tokens: round(length * noise_density) clamped to [1, length - 1].
  int64_t noise = 0;
  /// Noise spans: max(1, round(noise / mean_noise_span_length)), and never
  /// more than there are kept tokens to separate them.
  int64_t spans = 0;
};

// The counts of the reference's random-spans mask. Lengths below 2 are
// counted as 2 (the mask is then cut back; see random_spans_noise_mask).
SpanCounts span_counts(int64_t length, double noise_density, double mean_noise_span_length);

// Splits `items` (>= 1) into `segments` (1 <= segments <= items) non-empty
// runs, uniformly over all such compositions: segments - 1 cut points drawn
// without replacement from the items - 1 gaps. Returns the run lengths.
std::vector<int64_t> random_segmentation(int64_t items, int64_t segments, Rng& rng);

// T5's span-corruption mask: span_counts() noise tokens in `spans` runs,
// separated by kept runs; noise and kept lengths are two independent random
// segmentations and the runs alternate, kept first (so the mask ends with
// noise). For length 1 the mask of length 2 is cut to 1 token, which keeps
// it: a 1-token text is never corrupted, as in the reference.
NoiseMask random_spans_noise_mask(int64_t length, double noise_density,
                                  double mean_noise_span_length, Rng& rng);

// Each token noise independently with probability noise_density.
NoiseMask iid_noise_mask(int64_t length, double noise_density, Rng& rng);

// Lengths of span corruption on one chunk of `raw` tokens.
struct SpanLengths {
  /// Tokens of text taken from the stream per example.
  int64_t raw = 0;
  /// Kept tokens + one sentinel per span + EOS.
  int64_t inputs = 0;
  /// Noise tokens + one sentinel per span + EOS (+ the final sentinel when
  /// asked; see plan_span_corruption).
  int64_t targets = 0;
};

// Inputs and targets lengths of span corruption on `raw` tokens.
SpanLengths span_corruption_lengths(int64_t raw, double noise_density,
                                    double mean_noise_span_length, bool final_sentinel);

// The reference's length planner: the largest raw length whose inputs fit
// `inputs_length` exactly, and the targets that raw length produces
// (512 / 0.15 / 3 -> raw 568, inputs 512, targets 114). At noise_density 0.5
// when the targets would exceed the inputs, the raw length is shortened by
// one, as the reference does; the lengths returned are then those of the
// shortened raw length. With final_sentinel the targets count the extra
// closing sentinel (one more than the reference's table). The counts are
// span_counts()'s, which equal the reference's unclamped formula except for
// raw lengths of a few tokens, where the mask's clamps would otherwise
// overrun the plan. Throws t5::Error when no raw length of at least 2
// tokens fits.
SpanLengths plan_span_corruption(int64_t inputs_length, double noise_density,
                                 double mean_noise_span_length, bool final_sentinel);

}  // namespace t5

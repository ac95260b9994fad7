#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "t5/objectives/encoded_example.h"
#include "t5/objectives/noise.h"
#include "t5/objectives/special_ids.h"

namespace t5 {

// Ways to turn a text and its noise mask into inputs and targets. Each
// appends EOS to what it returns. `tokens` and `mask` have equal lengths.

// How noise spans become sentinels.
struct SentinelLayout {
  /// Close the targets with one more sentinel before EOS, as the paper and
  /// REFERENCE.md write them ("<X> for inviting <Y> last <Z>"); false gives
  /// the Google code's targets, which end with the last span's tokens.
  bool final_sentinel = true;
  /// When a text has more spans than SpecialIds::span_sentinels(), reuse
  /// sentinels cyclically (span i gets <extra_id_{i mod n}>) instead of
  /// throwing. Spans stay in order, so the targets still decode.
  bool wrap_sentinels = false;
};

// Replace spans: inputs are the kept tokens with each noise span replaced by
// the next sentinel (<extra_id_0>, <extra_id_1>, ...); targets are, for each
// span in order, its sentinel then its tokens, then the closing sentinel
// when the layout asks for it. This is the paper's layout for any mask; for
// T5's random-spans mask (kept tokens first) it equals the reference's
// noise_span_to_unique_sentinel / nonnoise_span_to_unique_sentinel pair.
// Throws t5::Error when the spans need more sentinels than there are and
// the layout does not wrap; `where` names the objective in that message.
EncodedExample replace_spans_with_sentinels(const std::vector<int64_t>& tokens,
                                            const NoiseMask& mask, const SpecialIds& ids,
                                            const SentinelLayout& layout, const std::string& where);

// Drop tokens: inputs are the kept tokens, targets the noise tokens.
EncodedExample drop_noise_tokens(const std::vector<int64_t>& tokens, const NoiseMask& mask,
                                 const SpecialIds& ids);

// Undoes replace_spans_with_sentinels: the text that inputs and targets were
// made from (without EOS). Matches sentinels by order, so wrapped layouts
// decode too. Throws t5::Error when the two do not fit together (a sentinel
// in the inputs with no span in the targets, or spans left over).
std::vector<int64_t> restore_from_sentinels(const std::vector<int64_t>& inputs,
                                            const std::vector<int64_t>& targets,
                                            const SpecialIds& ids);

}  // namespace t5

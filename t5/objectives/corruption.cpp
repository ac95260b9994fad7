#include "t5/objectives/corruption.h"

#include "t5/util/error.h"

namespace t5 {

namespace {

int64_t count_spans(const NoiseMask& mask) {
  int64_t spans = 0;
  uint8_t previous = 0;
  for (uint8_t flag : mask) {
    if (flag && !previous) ++spans;
    previous = flag;
  }
  return spans;
}

}  // namespace

EncodedExample replace_spans_with_sentinels(const std::vector<int64_t>& tokens,
                                            const NoiseMask& mask, const SpecialIds& ids,
                                            const SentinelLayout& layout,
                                            const std::string& where) {
  T5_CHECK(tokens.size() == mask.size(), "{}: {} tokens but a noise mask of {}", where,
           tokens.size(), mask.size());
  const int64_t available = ids.span_sentinels();
  const int64_t needed = count_spans(mask) + (layout.final_sentinel ? 1 : 0);
  T5_CHECK(layout.wrap_sentinels || needed <= available,
           "{}: a text of {} tokens needs {} sentinels but {} are available (extra_ids {}, {} "
           "reserved); lower noise_density or the inputs length, raise mean_noise_span_length, "
           "or set wrap_sentinels",
           where, tokens.size(), needed, available, ids.extra_ids, ids.reserved_sentinels);
  auto sentinel = [&](int64_t span) { return ids.sentinel(span % available); };

  EncodedExample example;
  example.inputs.reserve(tokens.size() + 1);
  int64_t span = -1;
  uint8_t previous = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!mask[i]) {
      example.inputs.push_back(tokens[i]);
    } else {
      if (!previous) {
        ++span;
        example.inputs.push_back(sentinel(span));
        example.targets.push_back(sentinel(span));
      }
      example.targets.push_back(tokens[i]);
    }
    previous = mask[i];
  }
  if (layout.final_sentinel) example.targets.push_back(sentinel(span + 1));
  example.inputs.push_back(ids.eos);
  example.targets.push_back(ids.eos);
  return example;
}

EncodedExample drop_noise_tokens(const std::vector<int64_t>& tokens, const NoiseMask& mask,
                                 const SpecialIds& ids) {
  T5_CHECK(tokens.size() == mask.size(), "drop_noise_tokens: {} tokens but a noise mask of {}",
           tokens.size(), mask.size());
  EncodedExample example;
  for (size_t i = 0; i < tokens.size(); ++i) {
    (mask[i] ? example.targets : example.inputs).push_back(tokens[i]);
  }
  example.inputs.push_back(ids.eos);
  example.targets.push_back(ids.eos);
  return example;
}

std::vector<int64_t> restore_from_sentinels(const std::vector<int64_t>& inputs,
                                            const std::vector<int64_t>& targets,
                                            const SpecialIds& ids) {
  // Split the targets into [sentinel, tokens...] groups, in order.
  std::vector<std::pair<size_t, size_t>> spans;
  for (size_t i = 0; i < targets.size() && targets[i] != ids.eos; ++i) {
    if (ids.is_sentinel(targets[i])) {
      spans.emplace_back(i + 1, i + 1);
    } else {
      T5_CHECK(!spans.empty(),
               "restore_from_sentinels: targets start with token {}, not a sentinel", targets[i]);
      spans.back().second = i + 1;
    }
  }

  std::vector<int64_t> text;
  size_t next = 0;
  for (int64_t id : inputs) {
    if (id == ids.eos) break;
    if (!ids.is_sentinel(id)) {
      text.push_back(id);
      continue;
    }
    T5_CHECK(next < spans.size(),
             "restore_from_sentinels: inputs hold more sentinels than the {} "
             "spans of the targets",
             spans.size());
    int64_t expected = targets[spans[next].first - 1];
    T5_CHECK(id == expected,
             "restore_from_sentinels: span {} is marked {} in the inputs but {} in the targets",
             next, id, expected);
    text.insert(text.end(), targets.begin() + spans[next].first,
                targets.begin() + spans[next].second);
    ++next;
  }
  // At most one empty closing group may be left over.
  bool closing = next + 1 == spans.size() && spans[next].first == spans[next].second;
  T5_CHECK(next == spans.size() || closing,
           "restore_from_sentinels: the targets hold {} spans but the inputs only {} sentinels",
           spans.size(), next);
  return text;
}

}  // namespace t5

#pragma once

#include <cstdint>
#include <string>

#include "t5/text/vocabulary.h"
#include "t5/util/json.h"

namespace t5 {

// The ids objectives need from a vocabulary, in T5's layout: PAD 0, EOS 1,
// UNK 2, `vocab_size` base pieces, then `extra_ids` sentinels counted down
// from the top (<extra_id_i> = vocab_size + extra_ids - 1 - i). Kept apart
// from the vocabulary class so that objectives work on bare ids; a
// vocabulary fills one of these (T5's: vocab_size 32000, extra_ids 100).
struct SpecialIds {
  /// Padding id; objectives never emit it.
  int64_t pad = 0;
  /// End of sequence, appended to every non-empty feature.
  int64_t eos = 1;
  /// Unknown piece.
  int64_t unk = 2;
  /// Base pieces, specials included (T5: 32000); sentinels start here.
  int64_t vocab_size = 32000;
  /// Sentinels above the base pieces (T5: 100).
  int64_t extra_ids = 100;
  /// Top-numbered sentinels kept for other uses (the mixture of denoisers
  /// reserves the ones it uses as paradigm tokens); spans use only
  /// <extra_id_0> ... <extra_id_{extra_ids - reserved_sentinels - 1}>.
  int64_t reserved_sentinels = 0;
  /// BERT-style random replacement draws from [random_begin, random_end);
  /// random_end 0 means vocab_size (every base piece after the specials).
  int64_t random_begin = 3;
  int64_t random_end = 0;

  // The id of <extra_id_{index}>. Throws t5::Error unless 0 <= index <
  // extra_ids.
  int64_t sentinel(int64_t index) const;
  bool is_sentinel(int64_t id) const { return id >= vocab_size && id < vocab_size + extra_ids; }
  // Index i of <extra_id_i> for a sentinel id.
  int64_t sentinel_index(int64_t id) const { return vocab_size + extra_ids - 1 - id; }
  // Sentinels that spans may use (extra_ids - reserved_sentinels).
  int64_t span_sentinels() const { return extra_ids - reserved_sentinels; }
  int64_t random_limit() const { return random_end > 0 ? random_end : vocab_size; }

  // Throws t5::Error naming the field when the ids are inconsistent
  // (specials outside the base pieces, no sentinels, an empty random range).
  void validate(const std::string& where) const;
};

// Reads a token named in JSON: an id (32099), the same as a string
// ("32099"), or a sentinel by name ("<extra_id_99>"). Throws t5::Error
// naming `where` when the value is none of these or lies outside the
// vocabulary's ids.
int64_t resolve_token(const Json& value, const SpecialIds& ids, const std::string& where);

// The text of a token option as written in JSON: a string as it is, an
// integer id as its digits. Throws t5::Error naming `where` otherwise.
std::string token_text(const Json& value, const std::string& where);

// The ids of a SentencePiece vocabulary (its specials, base size and
// sentinels).
SpecialIds special_ids_of(const SentencePieceVocabulary& vocabulary);

}  // namespace t5

#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "t5/text/sentencepiece_backend.h"

namespace t5 {

// T5's number of sentinels, <extra_id_0> ... <extra_id_99>.
inline constexpr int kDefaultExtraIds = 100;

// Embedding tables get a multiple of this many rows.
inline constexpr int kEmbeddingMultiple = 128;

// Whether encoding appends EOS (T5 appends it to every inputs and targets
// feature, after truncation).
enum class Eos { kOmit, kAppend };

// The rows of a model's embedding for `vocab_size` ids: `vocab_size` rounded
// up to a multiple of `multiple` (T5: 32100 -> 32128). The extra rows are
// never produced by the vocabulary; they keep the matrix shapes friendly to
// the hardware. Throws t5::Error unless vocab_size >= 0 and multiple > 0.
int embedding_size(int vocab_size, int multiple = kEmbeddingMultiple);

// A SentencePiece model with T5's sentinels on top, as T5 builds it: with
// n pieces in the model file and k extra ids, the ids are
//   [0, n)        the model's pieces (PAD 0; T5's has EOS 1, UNK 2),
//   [n, n + k)    sentinels, <extra_id_i> = n + k - 1 - i, so <extra_id_0>
//                 is the highest id (T5: 32099 ... 32000).
// A sentinel is the piece "▁<extra_id_i>": "<extra_id_i>" in text encodes to
// it, and the word boundary before it is part of it, so text just after it
// ("<extra_id_0>walks") starts without one. Decoding stops at the first EOS
// and reads any id outside [0, size()) as UNK.
//
// Limitation, kept for parity with T5: "<extra_id_i>" glued to the word
// before it ("dog<extra_id_0>") is not a sentinel but spelled out piece by
// piece ('<' as UNK), since the sentinel piece begins with the boundary.
// Put a space before it; span corruption inserts sentinel ids directly and
// is not affected.
//
// Copies share the loaded model; all methods are const and thread-safe.
class SentencePieceVocabulary {
 public:
  // Loads the .model file at `path` and adds `extra_ids` sentinels. Throws
  // t5::Error when the file is missing or is not a SentencePiece model, and
  // when its special ids do not fit T5 (PAD must be 0; EOS and UNK must
  // exist).
  explicit SentencePieceVocabulary(const std::filesystem::path& path,
                                   int extra_ids = kDefaultExtraIds);

  const std::filesystem::path& path() const { return path_; }

  // Pieces of the model file, special ones included (T5: 32000).
  int base_size() const { return size() - extra_ids_; }
  int extra_ids() const { return extra_ids_; }
  // Ids in use: base_size() + extra_ids() (T5: 32100).
  int size() const { return size_; }

  int pad_id() const { return pad_id_; }
  int eos_id() const { return eos_id_; }
  int unk_id() const { return unk_id_; }

  // The id of <extra_id_{index}>. Throws t5::Error unless 0 <= index <
  // extra_ids().
  int sentinel_id(int index) const;
  bool is_sentinel(int id) const { return id >= base_size() && id < size(); }

  // The ids of `text`, with EOS at the end when asked.
  std::vector<int> encode(const std::string& text, Eos eos = Eos::kOmit) const;

  // The ids of `text` and their pieces (see SentencePieceEncoding).
  SentencePieceEncoding encode_pieces(const std::string& text, Eos eos = Eos::kOmit) const;

  // The text of `ids` up to the first EOS; ids outside [0, size()) read as
  // UNK, which decodes as " ⁇ ".
  std::string decode(const std::vector<int>& ids) const;

  // The piece string of `id` ("▁The", "▁<extra_id_0>", "</s>"). Throws
  // t5::Error unless 0 <= id < size().
  std::string id_to_piece(int id) const;

 private:
  void check_special_ids() const;

  std::filesystem::path path_;
  int extra_ids_;
  std::shared_ptr<const SentencePieceModel> model_;
  int size_ = 0;
  int pad_id_ = 0;
  int eos_id_ = 0;
  int unk_id_ = 0;
};

}  // namespace t5

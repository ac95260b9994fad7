#include "t5/text/vocabulary.h"

#include <fmt/format.h>

#include <system_error>

#include "t5/text/sentencepiece_loader.h"
#include "t5/text/sentencepiece_proto.h"
#include "t5/util/error.h"
#include "t5/util/files.h"

namespace t5 {
namespace {

namespace fs = std::filesystem;

// The sentinel pieces in id order. T5 names them from the top down, so that
// span corruption, which numbers spans from 0, uses the highest ids first.
std::vector<std::string> sentinel_pieces(int extra_ids) {
  std::vector<std::string> pieces;
  for (int index = extra_ids - 1; index >= 0; --index) {
    // The leading word boundary makes " <extra_id_0>" one piece, as in T5.
    pieces.push_back(fmt::format("\u2581<extra_id_{}>", index));
  }
  return pieces;
}

std::shared_ptr<const SentencePieceModel> load_model(const fs::path& path, int extra_ids) {
  std::error_code ec;
  T5_CHECK(fs::is_regular_file(path, ec),
           "vocabulary {}: no such file; pass a SentencePiece .model file (T5's is spiece.model)",
           path.string());
  std::string bytes = append_user_defined_pieces(read_text_file(path), sentinel_pieces(extra_ids));

  std::string error;
  std::unique_ptr<SentencePieceModel> model = sentencepiece_backend().load(bytes, &error);
  T5_CHECK(model != nullptr,
           "vocabulary {}: not a usable SentencePiece model ({}); pass a .model file written by "
           "spm_train or `t5 vocab train`",
           path.string(), error);
  return model;
}

}  // namespace

int embedding_size(int vocab_size, int multiple) {
  T5_CHECK(vocab_size >= 0 && multiple > 0,
           "embedding size: expected vocab_size >= 0 and multiple > 0, got {} and {}", vocab_size,
           multiple);
  return (vocab_size + multiple - 1) / multiple * multiple;
}

SentencePieceVocabulary::SentencePieceVocabulary(const fs::path& path, int extra_ids)
    : path_(path), extra_ids_(extra_ids) {
  T5_CHECK(extra_ids >= 0, "vocabulary {}: extra ids must be 0 or more, got {}", path.string(),
           extra_ids);
  model_ = load_model(path, extra_ids);
  size_ = model_->piece_size();
  pad_id_ = model_->pad_id();
  eos_id_ = model_->eos_id();
  unk_id_ = model_->unk_id();
  check_special_ids();
}

void SentencePieceVocabulary::check_special_ids() const {
  // T5 pads with 0 and finds padding by it (attention masks, loss weights).
  T5_CHECK(pad_id_ == 0,
           "vocabulary {}: expected PAD id 0 as in T5, got {}; train one with `t5 vocab train` "
           "(PAD 0, EOS 1, UNK 2)",
           path_.string(), pad_id_);
  T5_CHECK(eos_id_ >= 0 && unk_id_ >= 0,
           "vocabulary {}: T5 needs EOS and UNK pieces, got EOS id {} and UNK id {} (-1 is none); "
           "train one with `t5 vocab train` (PAD 0, EOS 1, UNK 2)",
           path_.string(), eos_id_, unk_id_);
}

int SentencePieceVocabulary::sentinel_id(int index) const {
  T5_CHECK(index >= 0 && index < extra_ids_,
           "vocabulary {}: sentinel <extra_id_{}> does not exist; it has {} (0 to {})",
           path_.string(), index, extra_ids_, extra_ids_ - 1);
  return size_ - 1 - index;
}

std::vector<int> SentencePieceVocabulary::encode(const std::string& text, Eos eos) const {
  return encode_pieces(text, eos).ids;
}

SentencePieceEncoding SentencePieceVocabulary::encode_pieces(const std::string& text,
                                                             Eos eos) const {
  SentencePieceEncoding encoding;
  std::string error;
  T5_CHECK(model_->encode(text, &encoding, &error), "vocabulary {}: cannot encode {:?}: {}",
           path_.string(), text, error);
  if (eos == Eos::kAppend) {
    encoding.ids.push_back(eos_id_);
    encoding.pieces.push_back(model_->id_to_piece(eos_id_));
  }
  return encoding;
}

std::string SentencePieceVocabulary::decode(const std::vector<int>& ids) const {
  std::vector<int> kept;
  for (int id : ids) {
    if (id == eos_id_) break;
    kept.push_back(id >= 0 && id < size_ ? id : unk_id_);
  }
  std::string text;
  std::string error;
  T5_CHECK(model_->decode(kept, &text, &error), "vocabulary {}: cannot decode {} ids: {}",
           path_.string(), kept.size(), error);
  return text;
}

std::string SentencePieceVocabulary::id_to_piece(int id) const {
  T5_CHECK(id >= 0 && id < size_, "vocabulary {}: id {} is outside [0, {})", path_.string(), id,
           size_);
  return model_->id_to_piece(id);
}

}  // namespace t5

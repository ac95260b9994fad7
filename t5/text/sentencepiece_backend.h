#pragma once

// The boundary between t5::core and the SentencePiece shim library
// (libt5_sentencepiece.so, built from t5/text/sentencepiece_shim/). Both
// sides include this header and nothing else crosses: t5::core never sees a
// SentencePiece type, the shim never sees a t5 type beyond these.
//
// Rules of the boundary, which both sides keep:
// - No exception crosses it: the shim catches everything and reports
//   failures as a false return and a message in `*error`.
// - Both sides are built by the same compiler with the same standard library
//   (one CMake project), so std::string and std::vector may cross.
// - Objects the shim makes are deleted through their virtual destructors;
//   the shim is never unloaded, so its code outlives them.

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace t5 {

// Bumped whenever a declaration below changes, so that a stale shim from an
// older build is refused instead of called with the wrong layout.
inline constexpr int kSentencePieceShimAbiVersion = 1;

// The name of the shim's one exported factory (extern "C").
inline constexpr const char* kSentencePieceShimFactory = "t5_sentencepiece_backend";

// One segmentation: ids[i] is the id of pieces[i]. A piece is its
// vocabulary string ("▁The"), except that an unknown character keeps its
// own text ("{") instead of the UNK piece.
struct SentencePieceEncoding {
  std::vector<int> ids;
  std::vector<std::string> pieces;
};

// A loaded SentencePiece model.
class SentencePieceModel {
 public:
  virtual ~SentencePieceModel() = default;

  // Number of pieces, special ones included.
  virtual int piece_size() const = 0;

  // Special ids; -1 when the model has no such piece.
  virtual int pad_id() const = 0;
  virtual int eos_id() const = 0;
  virtual int unk_id() const = 0;
  virtual int bos_id() const = 0;

  // The piece string of `id`, which must be in [0, piece_size()).
  virtual std::string id_to_piece(int id) const = 0;

  // Segments `text`; false with `*error` set when SentencePiece fails.
  virtual bool encode(const std::string& text, SentencePieceEncoding* out,
                      std::string* error) const = 0;

  // Joins the pieces of `ids` (each in [0, piece_size())) into text.
  virtual bool decode(const std::vector<int>& ids, std::string* text, std::string* error) const = 0;
};

// What to train: SentencePiece's own trainer flags by name ("vocab_size",
// "model_type", ...) and the text files, read line by line as sentences.
struct SentencePieceTrainRequest {
  std::vector<std::string> input_files;
  std::map<std::string, std::string> trainer_flags;
};

// The shim's entry points.
class SentencePieceBackend {
 public:
  virtual ~SentencePieceBackend() = default;

  // Loads a serialized ModelProto (the bytes of a .model file). Returns null
  // with `*error` set when the bytes are not a valid model.
  virtual std::unique_ptr<SentencePieceModel> load(const std::string& serialized_model,
                                                   std::string* error) const = 0;

  // Trains a model and returns its serialized ModelProto; false with
  // `*error` set when an input cannot be read or SentencePiece refuses.
  virtual bool train(const SentencePieceTrainRequest& request, std::string* serialized_model,
                     std::string* error) const = 0;
};

// The factory's type: returns the process-wide backend, or null when
// `abi_version` differs from the shim's own kSentencePieceShimAbiVersion.
using SentencePieceBackendFactory = SentencePieceBackend* (*)(int abi_version);

}  // namespace t5

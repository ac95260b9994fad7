#include "t5/text/sentencepiece_proto.h"

#include <cstdint>

namespace t5 {
namespace {

// Field tags of sentencepiece_model.proto in protobuf's wire format
// ((field number << 3) | wire type): ModelProto.pieces = 1 (length-delimited);
// SentencePiece.piece = 1 (length-delimited), .score = 2 (32-bit float),
// .type = 3 (varint), with USER_DEFINED = 4.
constexpr char kPiecesTag = 0x0a;
constexpr char kPieceTag = 0x0a;
constexpr char kScoreTag = 0x15;
constexpr char kTypeTag = 0x18;
constexpr char kUserDefined = 4;

void append_varint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void append_length_delimited(std::string& out, char tag, const std::string& bytes) {
  out.push_back(tag);
  append_varint(out, bytes.size());
  out += bytes;
}

std::string user_defined_piece(const std::string& piece) {
  std::string message;
  append_length_delimited(message, kPieceTag, piece);
  message.push_back(kScoreTag);
  message.append(4, '\0');  // 0.0f in little-endian IEEE 754
  message.push_back(kTypeTag);
  message.push_back(kUserDefined);
  return message;
}

}  // namespace

std::string append_user_defined_pieces(std::string serialized_model,
                                       const std::vector<std::string>& pieces) {
  // Protobuf parsers concatenate the elements of a repeated field in the
  // order they appear, wherever they appear in the message, so elements
  // written after the model's other fields extend its list of pieces.
  for (const auto& piece : pieces) {
    append_length_delimited(serialized_model, kPiecesTag, user_defined_piece(piece));
  }
  return serialized_model;
}

}  // namespace t5

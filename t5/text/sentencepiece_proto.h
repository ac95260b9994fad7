#pragma once

#include <string>
#include <vector>

namespace t5 {

// Appends pieces of type USER_DEFINED (score 0) to a serialized SentencePiece
// ModelProto (the bytes of a .model file). They take the ids after the
// model's own pieces, in the order given. A user-defined piece is matched as
// a whole wherever it occurs in normalized text and is never split.
std::string append_user_defined_pieces(std::string serialized_model,
                                       const std::vector<std::string>& pieces);

}  // namespace t5

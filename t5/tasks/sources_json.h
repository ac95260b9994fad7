#pragma once

#include <string>

#include "t5/tasks/example.h"
#include "t5/util/json.h"

namespace t5 {

// Internal to the JSON sources: parses one record's text, which starts on
// line `where.line`; a syntax error becomes a RecordError on the line of the
// failing byte, with nlohmann's reason.
Json parse_json_record(const std::string& text, const RecordLocation& where);

}  // namespace t5

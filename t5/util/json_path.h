#pragma once

#include <string>
#include <utility>
#include <vector>

#include "t5/util/json.h"

namespace t5 {

// Dotted key paths into JSON objects ("finetune.optimizer.name"), as the
// --set overrides and sweep axes use them.

// Sets `path` in `root` to `value`, creating objects on the way. Throws
// t5::Error naming `where` when a step of the path is not an object (e.g.
// "model.preset.x" where model.preset is a string) or a key is empty.
void set_json_path(Json& root, const std::string& path, Json value, const std::string& where);

// The value at `path`, or nullptr when a step is missing.
const Json* find_json_path(const Json& root, const std::string& path);

// `text` read as JSON when it parses as JSON, else as a plain string.
Json parse_json_or_text(const std::string& text);

// Parses "key.path=value". The value is read as JSON when it parses as JSON
// (numbers, true, null, [..], {..}, "quoted"), else taken as a plain
// string, so --set model.preset=t5-mini needs no quotes. Throws t5::Error
// naming `where` when there is no '=' or the key is empty.
std::pair<std::string, Json> parse_assignment(const std::string& text, const std::string& where);

// Applies "key=value" assignments in order (later ones win).
void apply_assignments(Json& root, const std::vector<std::string>& assignments,
                       const std::string& where);

}  // namespace t5

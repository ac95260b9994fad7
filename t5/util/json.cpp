#include "t5/util/json.h"

#include <algorithm>

#include "t5/util/files.h"
#include "t5/util/names.h"

namespace t5 {

Json parse_json(const std::string& text, const std::string& origin) {
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // Report the line of the failing byte, which is what an editor shows.
    size_t byte = std::min<size_t>(e.byte, text.size());
    size_t line = 1 + std::count(text.begin(), text.begin() + (byte > 0 ? byte - 1 : 0), '\n');
    fail("{}:{}: invalid JSON ({}); check the syntax near that line", origin, line, e.what());
  }
}

Json read_json_file(const std::string& path) { return parse_json(read_text_file(path), path); }

JsonFields::JsonFields(const Json& object, std::string where)
    : object_(object), where_(std::move(where)) {
  T5_CHECK(object_.is_object(), "{}: expected a JSON object, got {}", where_, object_.type_name());
}

void JsonFields::ignore(std::initializer_list<const char*> keys) {
  for (const char* key : keys) known_.emplace_back(key);
}

void JsonFields::ignore_prefix(const std::string& prefix) { ignored_prefixes_.push_back(prefix); }

void JsonFields::finish() const {
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    const std::string& key = it.key();
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    bool prefixed = std::any_of(ignored_prefixes_.begin(), ignored_prefixes_.end(),
                                [&](const std::string& p) { return key.rfind(p, 0) == 0; });
    if (prefixed) continue;
    fail("{}: unknown key '{}'{}; remove it or fix its spelling", where_, key,
         did_you_mean(key, known_));
  }
}

}  // namespace t5

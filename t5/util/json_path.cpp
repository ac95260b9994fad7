#include "t5/util/json_path.h"

#include <sstream>

namespace t5 {

namespace {

std::vector<std::string> split_path(const std::string& path, const std::string& where) {
  std::vector<std::string> keys;
  std::stringstream stream(path);
  std::string key;
  while (std::getline(stream, key, '.')) keys.push_back(key);
  if (path.empty() || path.back() == '.') keys.push_back("");
  for (const std::string& k : keys) {
    T5_CHECK(!k.empty(), "{}: key path '{}' has an empty key; write it as a.b.c", where, path);
  }
  return keys;
}

}  // namespace

void set_json_path(Json& root, const std::string& path, Json value, const std::string& where) {
  std::vector<std::string> keys = split_path(path, where);
  if (root.is_null()) root = Json::object();
  Json* node = &root;
  std::string walked;
  for (size_t i = 0; i < keys.size(); ++i) {
    T5_CHECK(node->is_object(), "{}: cannot set '{}': '{}' is {} {}, not an object", where, path,
             walked, node->type_name(), node->dump());
    if (i + 1 == keys.size()) {
      (*node)[keys[i]] = std::move(value);
      return;
    }
    walked += (walked.empty() ? "" : ".") + keys[i];
    Json& child = (*node)[keys[i]];
    if (child.is_null()) child = Json::object();
    node = &child;
  }
}

const Json* find_json_path(const Json& root, const std::string& path) {
  const Json* node = &root;
  std::stringstream stream(path);
  std::string key;
  while (std::getline(stream, key, '.')) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

Json parse_json_or_text(const std::string& text) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? Json(text) : value;
}

std::pair<std::string, Json> parse_assignment(const std::string& text, const std::string& where) {
  size_t equals = text.find('=');
  T5_CHECK(equals != std::string::npos && equals > 0,
           "{}: expected key.path=value, got '{}'; e.g. --set finetune.steps=200", where, text);
  std::string key = text.substr(0, equals);
  return {key, parse_json_or_text(text.substr(equals + 1))};
}

void apply_assignments(Json& root, const std::vector<std::string>& assignments,
                       const std::string& where) {
  for (const std::string& text : assignments) {
    auto [key, value] = parse_assignment(text, where);
    set_json_path(root, key, std::move(value), where + " " + text);
  }
}

}  // namespace t5

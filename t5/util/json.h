#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "t5/util/error.h"

namespace t5 {

using Json = nlohmann::json;

// Parses JSON text; a syntax error becomes t5::Error naming `origin` (a file
// path or "--set x") and the byte where parsing stopped.
Json parse_json(const std::string& text, const std::string& origin);

// Reads a JSON file (see parse_json).
Json read_json_file(const std::string& path);

// Reads the fields of one JSON object into an options struct, by key, with
// errors that name the key path ("model.d_model: expected an integer, got
// \"x\""). Keys never read are reported by finish() as unknown, with the
// nearest known key.
class JsonFields {
 public:
  // `where` prefixes every message: a file path, "config.json" or a key path.
  JsonFields(const Json& object, std::string where);

  // Sets `out` from key `key` when present (leaves the default otherwise).
  template <typename T>
  void get(const std::string& key, T& out) {
    known_.push_back(key);
    auto it = object_.find(key);
    if (it == object_.end()) return;
    try {
      out = it->template get<T>();
    } catch (const nlohmann::json::exception&) {
      fail("{}: key '{}': expected {}, got {}", where_, key, type_name<T>(), it->dump());
    }
  }

  // Like get, but a null value leaves `out` unchanged (HF configs write null
  // for "same as another field").
  template <typename T>
  void get_nullable(const std::string& key, T& out) {
    auto it = object_.find(key);
    if (it != object_.end() && it->is_null()) {
      known_.push_back(key);
      return;
    }
    get(key, out);
  }

  // Marks keys as accepted and ignored (e.g. HF bookkeeping fields).
  void ignore(std::initializer_list<const char*> keys);
  void ignore_prefix(const std::string& prefix);

  // Throws t5::Error for the first key that was never read or ignored.
  void finish() const;

  const std::string& where() const { return where_; }

 private:
  template <typename T>
  static const char* type_name() {
    if constexpr (std::is_same_v<T, bool>) return "true or false";
    if constexpr (std::is_integral_v<T>) return "an integer";
    if constexpr (std::is_floating_point_v<T>) return "a number";
    if constexpr (std::is_same_v<T, std::string>) return "a string";
    return "a value of another type";
  }

  const Json& object_;
  std::string where_;
  std::vector<std::string> known_;
  std::vector<std::string> ignored_prefixes_;
};

}  // namespace t5

#include "t5/tasks/template.h"

#include <algorithm>

#include "t5/util/error.h"

namespace t5 {

Template::Template(const std::string& text, const std::string& where) : text_(text) {
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    bool doubled = i + 1 < text.size() && text[i + 1] == c;
    if ((c == '{' || c == '}') && doubled) {
      literal.push_back(c);
      i += 2;
      continue;
    }
    T5_CHECK(c != '}', "{}: stray '}}' at character {} of \"{}\"; write }}}} for a literal brace",
             where, i + 1, text);
    if (c != '{') {
      literal.push_back(c);
      ++i;
      continue;
    }
    size_t close = text.find('}', i + 1);
    T5_CHECK(close != std::string::npos,
             "{}: '{{' at character {} of \"{}\" is never closed; write {{{{ for a literal brace",
             where, i + 1, text);
    std::string name = text.substr(i + 1, close - i - 1);
    T5_CHECK(!name.empty() && name.find('{') == std::string::npos,
             "{}: expected a field name inside {{}} at character {} of \"{}\"", where, i + 1, text);
    if (!literal.empty()) pieces_.push_back({false, std::move(literal)});
    literal.clear();
    pieces_.push_back({true, std::move(name)});
    i = close + 1;
  }
  if (!literal.empty()) pieces_.push_back({false, std::move(literal)});
}

std::vector<std::string> Template::field_names() const {
  std::vector<std::string> names;
  for (const auto& piece : pieces_) {
    if (piece.is_field && std::find(names.begin(), names.end(), piece.text) == names.end()) {
      names.push_back(piece.text);
    }
  }
  return names;
}

std::string Template::format(const std::map<std::string, std::string>& fields) const {
  std::string out;
  for (const auto& piece : pieces_) {
    if (!piece.is_field) {
      out += piece.text;
      continue;
    }
    auto it = fields.find(piece.text);
    T5_CHECK(it != fields.end(), "template \"{}\": the example has no field '{}'", text_,
             piece.text);
    out += it->second;
  }
  return out;
}

}  // namespace t5

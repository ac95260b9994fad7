#pragma once

#include <map>
#include <string>
#include <vector>

namespace t5 {

// A text template of a task spec: "rte sentence1: {sentence1} sentence2:
// {sentence2}". {name} is replaced by the example's field; {{ and }} are
// literal braces. Parsed once when the spec loads, so a bad template fails
// then and not mid-training.
class Template {
 public:
  Template() = default;
  // Throws t5::Error naming `where` for an unclosed or empty {}.
  Template(const std::string& text, const std::string& where);

  // The field names the template uses, in order of first use.
  std::vector<std::string> field_names() const;

  // Fills in the fields; a field the map lacks throws t5::Error (the spec
  // check makes that a bug, not a data problem).
  std::string format(const std::map<std::string, std::string>& fields) const;

  const std::string& text() const { return text_; }
  bool empty() const { return text_.empty(); }

 private:
  struct Piece {
    bool is_field = false;
    std::string text;  // literal text, or the field name
  };

  std::string text_;
  std::vector<Piece> pieces_;
};

}  // namespace t5

// JSON lines (SuperGLUE's .jsonl) and C4's documents (.json or .json.gz).
#include <fmt/format.h>

#include <algorithm>

#include "t5/tasks/input_file.h"
#include "t5/tasks/sources.h"
#include "t5/tasks/sources_json.h"
#include "t5/tasks/text_ops.h"

namespace t5 {
namespace {

class JsonLinesReader : public RecordReader {
 public:
  JsonLinesReader(const std::filesystem::path& file, bool require_text)
      : in_(file), require_text_(require_text) {}

  bool next(Record& record) override {
    do {
      if (!in_.read_line(line_)) return false;
    } while (strip(line_).empty());
    RecordLocation where{in_.path(), in_.last_line()};
    std::string utf8 = describe_invalid_utf8(line_);
    if (!utf8.empty()) throw RecordError(where, utf8);
    Json value = parse_json_record(line_, where);
    if (!value.is_object()) {
      throw RecordError(where, fmt::format("expected a JSON object, got {}", value.type_name()));
    }
    if (require_text_) {
      auto text = value.find("text");
      if (text == value.end() || !text->is_string()) {
        throw RecordError(where, "expected a string \"text\" (a C4 document)");
      }
    }
    record.value = std::move(value);
    record.where = std::move(where);
    return true;
  }

 private:
  InputFile in_;
  bool require_text_;
  std::string line_;
};

}  // namespace

Json parse_json_record(const std::string& text, const RecordLocation& where) {
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's message starts with "[json.exception.parse_error.101] ".
    std::string message = e.what();
    size_t bracket = message.find("] ");
    if (message.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) {
      message = message.substr(bracket + 2);
    }
    // Point at the line of the failing byte when the text spans lines.
    RecordLocation at = where;
    size_t byte = std::min<size_t>(e.byte, text.size());
    at.line += std::count(text.begin(), text.begin() + (byte > 0 ? byte - 1 : 0), '\n');
    throw RecordError(at, "invalid JSON: " + message);
  }
}

std::unique_ptr<RecordReader> open_json_lines_reader(const std::filesystem::path& file,
                                                     bool require_text) {
  return std::make_unique<JsonLinesReader>(file, require_text);
}

}  // namespace t5

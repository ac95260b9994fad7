// Plain text (pretraining corpora: WikiText, books, WikiExtractor output)
// and parallel text (WMT: one sentence per line, one file per language).
#include <fmt/format.h>

#include <regex>

#include "t5/tasks/input_file.h"
#include "t5/tasks/sources.h"
#include "t5/tasks/text_ops.h"

namespace t5 {
namespace {

bool is_blank(const std::string& text) {
  for (char c : text) {
    if (!is_ascii_space(c)) return false;
  }
  return true;
}

// Reads the attributes of a WikiExtractor <doc id=".." url=".." title="..">
// line into `value`.
void read_doc_attributes(const std::string& line, Json& value) {
  static const std::regex kAttribute(R"re((\w+)="([^"]*)")re");
  for (auto it = std::sregex_iterator(line.begin(), line.end(), kAttribute);
       it != std::sregex_iterator(); ++it) {
    value[(*it)[1].str()] = (*it)[2].str();
  }
}

class TextReader : public RecordReader {
 public:
  TextReader(const std::filesystem::path& file, TextOptions options)
      : in_(file), options_(options) {}

  bool next(Record& record) override {
    switch (options_.unit) {
      case TextUnit::kLine:
        return next_line(record);
      case TextUnit::kParagraph:
        return next_paragraph(record);
      case TextUnit::kFile:
        return next_file(record);
      case TextUnit::kDoc:
        return next_doc(record);
    }
    return false;
  }

 private:
  // Reads a line; the first line of a unit that is not UTF-8 is recorded
  // as the unit's error (and its line in error_line_).
  bool read(std::string& error) {
    if (!in_.read_line(line_)) return false;
    if (error.empty()) {
      error = describe_invalid_utf8(line_);
      error_line_ = in_.last_line();
    }
    return true;
  }

  // Returns the unit that starts on `line`, or throws its error.
  bool emit(Record& record, std::string text, int64_t line, const std::string& error,
            Json value = Json::object()) {
    RecordLocation where{in_.path(), line};
    if (!error.empty()) {
      throw RecordError(
          where, error_line_ == line ? error : fmt::format("line {}: {}", error_line_, error));
    }
    value["text"] = std::move(text);
    record.value = std::move(value);
    record.where = std::move(where);
    return true;
  }

  bool next_line(Record& record) {
    while (true) {
      std::string error;
      if (!read(error)) return false;
      if (!options_.keep_blank && error.empty() && is_blank(line_)) continue;
      return emit(record, line_, in_.last_line(), error);
    }
  }

  bool next_paragraph(Record& record) {
    std::string text;
    std::string error;
    int64_t first = 0;
    while (read(error)) {
      if (is_blank(line_)) {
        if (first > 0) break;
        continue;
      }
      if (first == 0) first = in_.last_line();
      if (!text.empty()) text.push_back('\n');
      text += line_;
    }
    if (first == 0) return false;
    return emit(record, std::move(text), first, error);
  }

  bool next_file(Record& record) {
    if (file_done_) return false;
    file_done_ = true;
    std::string text;
    std::string error;
    int64_t lines = 0;
    while (read(error)) {
      if (lines++ > 0) text.push_back('\n');
      text += line_;
    }
    if (!options_.keep_blank && is_blank(text)) return false;
    return emit(record, std::move(text), 1, error);
  }

  bool next_doc(Record& record) {
    std::string error;
    while (read(error)) {
      if (is_blank(line_) && error.empty()) continue;
      int64_t first = in_.last_line();
      if (!error.empty() || line_.rfind("<doc", 0) != 0) {
        // Stray text outside a document is one bad record per line.
        throw RecordError(
            {in_.path(), first},
            error.empty() ? "expected a <doc ...> line (WikiExtractor output)" : error);
      }
      Json value = Json::object();
      read_doc_attributes(line_, value);
      std::string text;
      while (true) {
        if (!read(error)) {
          throw RecordError({in_.path(), first},
                            "the <doc> that starts here has no </doc>; is the file truncated?");
        }
        if (line_ == "</doc>") break;
        if (!text.empty()) text.push_back('\n');
        text += line_;
      }
      if (!options_.keep_blank && is_blank(text) && error.empty()) continue;
      return emit(record, std::move(text), first, error, std::move(value));
    }
    return false;
  }

  InputFile in_;
  TextOptions options_;
  std::string line_;
  int64_t error_line_ = 0;
  bool file_done_ = false;
};

class ParallelReader : public RecordReader {
 public:
  explicit ParallelReader(const std::map<std::string, std::filesystem::path>& files) {
    for (const auto& [language, path] : files) {
      languages_.push_back(language);
      inputs_.push_back(std::make_unique<InputFile>(path));
    }
  }

  bool next(Record& record) override {
    Json value = Json::object();
    std::string error;
    RecordLocation error_where;
    size_t ended = 0;
    for (size_t i = 0; i < inputs_.size(); ++i) {
      if (!inputs_[i]->read_line(line_)) {
        ++ended;
        continue;
      }
      std::string utf8 = describe_invalid_utf8(line_);
      if (error.empty() && !utf8.empty()) {
        error = utf8;
        error_where = {inputs_[i]->path(), inputs_[i]->last_line()};
      }
      value[languages_[i]] = line_;
    }
    if (ended == inputs_.size()) return false;
    // Files out of step cannot be realigned, so this is fatal under any
    // bad-record policy.
    T5_CHECK(ended == 0,
             "{}: the aligned files end at different lines ({} has {} lines, but another file "
             "has more); they must hold one sentence per line each",
             inputs_[0]->path(), inputs_[0]->path(), inputs_[0]->last_line());
    if (!error.empty()) throw RecordError(error_where, error);
    record.value = std::move(value);
    record.where = {inputs_[0]->path(), inputs_[0]->last_line()};
    return true;
  }

 private:
  std::vector<std::string> languages_;
  std::vector<std::unique_ptr<InputFile>> inputs_;
  std::string line_;
};

}  // namespace

TextOptions TextOptions::from_json(const Json& json, const std::string& where) {
  TextOptions options;
  JsonFields fields(json, where);
  std::string unit = "line";
  fields.get("unit", unit);
  fields.get("keep_blank", options.keep_blank);
  fields.finish();
  if (unit == "line") {
    options.unit = TextUnit::kLine;
  } else if (unit == "paragraph") {
    options.unit = TextUnit::kParagraph;
  } else if (unit == "file") {
    options.unit = TextUnit::kFile;
  } else if (unit == "doc") {
    options.unit = TextUnit::kDoc;
  } else {
    fail("{}: unit '{}' is not known; use \"line\", \"paragraph\", \"file\" or \"doc\"", where,
         unit);
  }
  return options;
}

std::unique_ptr<RecordReader> open_text_reader(const std::filesystem::path& file,
                                               const TextOptions& options) {
  return std::make_unique<TextReader>(file, options);
}

std::unique_ptr<RecordReader> open_parallel_reader(
    const std::map<std::string, std::filesystem::path>& files) {
  return std::make_unique<ParallelReader>(files);
}

}  // namespace t5

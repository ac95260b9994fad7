// TSV files (GLUE) and the reader they share with CSV.
#include <fmt/format.h>

#include <set>

#include "t5/tasks/sources_delimited.h"
#include "t5/tasks/text_ops.h"

namespace t5 {
namespace {

class DelimitedReader : public RecordReader {
 public:
  DelimitedReader(const std::filesystem::path& file, DelimitedFormat format)
      : in_(file), format_(std::move(format)), names_(format_.columns) {}

  bool next(Record& record) override {
    if (!started_) start();
    std::vector<std::string> fields;
    int64_t line = 0;
    std::string error;
    if (!read_row(fields, line, error)) return false;
    RecordLocation where{in_.path(), line};
    if (!error.empty()) throw RecordError(where, error);
    if (names_.empty()) names_ = numbered_names(fields.size());
    check_fields(fields, where);
    Json object = Json::object();
    for (size_t i = 0; i < fields.size(); ++i) object[names_[i]] = std::move(fields[i]);
    record.value = std::move(object);
    record.where = std::move(where);
    return true;
  }

 private:
  static std::vector<std::string> numbered_names(size_t count) {
    std::vector<std::string> names;
    for (size_t i = 0; i < count; ++i) names.push_back(std::to_string(i));
    return names;
  }

  // Reads the header row; a bad header makes the whole file unreadable.
  void start() {
    started_ = true;
    if (!format_.header) return;
    std::vector<std::string> header;
    int64_t line = 0;
    std::string error;
    if (!read_row(header, line, error)) return;
    T5_CHECK(error.empty(), "{}:{}: bad header: {}", in_.path(), line, error);
    std::string utf8 = describe_invalid_utf8(join(header, "\t"));
    T5_CHECK(utf8.empty(), "{}:{}: bad header: {}", in_.path(), line, utf8);
    std::set<std::string> seen;
    for (const auto& name : header) {
      T5_CHECK(seen.insert(name).second, "{}:{}: the header names column '{}' twice", in_.path(),
               line, name);
    }
    names_ = std::move(header);
  }

  // Reads the next row that is not a blank line.
  bool read_row(std::vector<std::string>& fields, int64_t& line, std::string& error) {
    while (true) {
      fields.clear();
      error.clear();
      if (format_.rfc_quoting) {
        if (!read_rfc_row(in_, format_.delimiter, fields, line, error)) return false;
        if (fields.size() == 1 && fields[0].empty() && error.empty()) continue;
        return true;
      }
      if (!in_.read_line(text_)) return false;
      line = in_.last_line();
      if (text_.empty()) continue;
      error = describe_invalid_utf8(text_);
      fields = split(text_, format_.delimiter);
      return true;
    }
  }

  void check_fields(const std::vector<std::string>& fields, const RecordLocation& where) const {
    if (fields.size() != names_.size()) {
      throw RecordError(
          where, fmt::format("expected {} {} fields ({}), got {}; is this the "
                             "file the task expects?",
                             names_.size(), format_.kind, join(names_, ", "), fields.size()));
    }
    if (!format_.rfc_quoting) return;
    for (size_t i = 0; i < fields.size(); ++i) {
      std::string utf8 = describe_invalid_utf8(fields[i]);
      if (!utf8.empty()) {
        throw RecordError(where, fmt::format("column '{}': {}", names_[i], utf8));
      }
    }
  }

  InputFile in_;
  DelimitedFormat format_;
  std::vector<std::string> names_;
  bool started_ = false;
  std::string text_;
};

}  // namespace

TsvOptions TsvOptions::from_json(const Json& json, const std::string& where) {
  TsvOptions options;
  JsonFields fields(json, where);
  fields.get("header", options.header);
  fields.get("columns", options.columns);
  std::string quoting = "none";
  fields.get("quoting", quoting);
  T5_CHECK(quoting == "none" || quoting == "csv",
           "{}: quoting '{}' is not known; use \"none\" (GLUE: quotes are text) or \"csv\" "
           "(\"...\" fields with \"\" escapes)",
           where, quoting);
  options.csv_quoting = quoting == "csv";
  std::string delimiter = "\t";
  fields.get("delimiter", delimiter);
  T5_CHECK(delimiter.size() == 1, "{}: delimiter must be one character, got \"{}\"", where,
           delimiter);
  options.delimiter = delimiter[0];
  fields.finish();
  T5_CHECK(!(options.header && !options.columns.empty()),
           "{}: give \"columns\" only with \"header\": false (a header names the columns)", where);
  return options;
}

std::unique_ptr<RecordReader> open_delimited_reader(const std::filesystem::path& file,
                                                    DelimitedFormat format) {
  return std::make_unique<DelimitedReader>(file, std::move(format));
}

std::unique_ptr<RecordReader> open_tsv_reader(const std::filesystem::path& file,
                                              const TsvOptions& options) {
  DelimitedFormat format;
  format.delimiter = options.delimiter;
  format.rfc_quoting = options.csv_quoting;
  format.header = options.header;
  format.columns = options.columns;
  format.kind = options.delimiter == '\t' ? "tab-separated" : "delimited";
  return open_delimited_reader(file, std::move(format));
}

}  // namespace t5

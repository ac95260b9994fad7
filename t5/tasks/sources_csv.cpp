// CSV files with a header, quoted as RFC 4180 says (CNN/DailyMail's Kaggle
// export has articles with line breaks inside quoted fields).
#include <fmt/format.h>

#include "t5/tasks/sources_delimited.h"

namespace t5 {
namespace {

// Consumes the rest of a malformed row up to its line break, so the next
// read starts on the next row.
void skip_to_line_end(InputFile& in) {
  while (true) {
    int c = in.get();
    if (c == -1 || c == '\n') return;
  }
}

}  // namespace

bool read_rfc_row(InputFile& in, char delimiter, std::vector<std::string>& fields,
                  int64_t& start_line, std::string& error) {
  if (in.peek() == -1) return false;
  start_line = in.current_line();
  fields.assign(1, std::string());
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // the current field was quoted and its quote closed
  int64_t quote_line = 0;
  while (true) {
    int c = in.get();
    if (c == -1) {
      if (quoted) {
        error = fmt::format("unterminated quoted field (its quote opens on line {})", quote_line);
      }
      return true;
    }
    std::string& field = fields.back();
    if (quoted) {
      if (c != '"') {
        field.push_back(static_cast<char>(c));
      } else if (in.peek() == '"') {
        in.get();
        field.push_back('"');
      } else {
        quoted = false;
        was_quoted = true;
      }
      continue;
    }
    if (c == delimiter) {
      fields.emplace_back();
      was_quoted = false;
    } else if (c == '\n') {
      return true;
    } else if (c == '\r' && in.peek() == '\n') {
      in.get();
      return true;
    } else if (was_quoted) {
      error = fmt::format(
          "unexpected '{}' after the closing quote of field {}; a quote inside a "
          "quoted field is written \"\"",
          static_cast<char>(c), fields.size());
      skip_to_line_end(in);
      return true;
    } else if (c == '"' && field.empty()) {
      quoted = true;
      quote_line = in.current_line();
    } else {
      field.push_back(static_cast<char>(c));
    }
  }
}

CsvOptions CsvOptions::from_json(const Json& json, const std::string& where) {
  CsvOptions options;
  JsonFields fields(json, where);
  std::string delimiter = ",";
  fields.get("delimiter", delimiter);
  T5_CHECK(delimiter.size() == 1, "{}: delimiter must be one character, got \"{}\"", where,
           delimiter);
  options.delimiter = delimiter[0];
  fields.finish();
  return options;
}

std::unique_ptr<RecordReader> open_csv_reader(const std::filesystem::path& file,
                                              const CsvOptions& options) {
  DelimitedFormat format;
  format.delimiter = options.delimiter;
  format.rfc_quoting = true;
  format.header = true;
  format.kind = options.delimiter == ',' ? "comma-separated" : "delimited";
  return open_delimited_reader(file, std::move(format));
}

}  // namespace t5

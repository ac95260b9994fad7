#include "t5/tasks/example.h"

#include <fmt/format.h>

namespace t5 {

std::string Example::field(const std::string& name) const {
  auto it = fields.find(name);
  return it == fields.end() ? std::string() : it->second;
}

std::string RecordLocation::str() const {
  if (line <= 0) return file;
  return fmt::format("{}:{}", file, line);
}

RecordError::RecordError(const RecordLocation& where, const std::string& reason)
    : Error(fmt::format("{}: {}", where.str(), reason)), where_(where), reason_(reason) {}

OnBadRecord parse_on_bad_record(const std::string& text, const std::string& where) {
  if (text == "fail") return OnBadRecord::kFail;
  if (text == "skip") return OnBadRecord::kSkip;
  fail(
      "{}: bad-record policy '{}' is not known; use \"fail\" (stop at the first malformed "
      "record) or \"skip\" (count and skip them)",
      where, text);
}

std::string on_bad_record_name(OnBadRecord policy) {
  return policy == OnBadRecord::kFail ? "fail" : "skip";
}

void ReadStats::add_skipped(const std::string& message) {
  ++skipped;
  if (skipped_messages.size() < kMaxMessages) skipped_messages.push_back(message);
}

std::string ReadStats::summary() const {
  return fmt::format("records={} examples={} skipped={} filtered={}", records, examples, skipped,
                     filtered);
}

}  // namespace t5

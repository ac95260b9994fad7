#include "t5/tasks/unicode_text.h"

#include <algorithm>

namespace t5 {
namespace unicode_tables {
extern const char kUnicodeVersion[];
extern const ClassRange kClassRanges[];
extern const size_t kClassRangeCount;
extern const LowercaseRun kLowercaseRuns[];
extern const size_t kLowercaseRunCount;
}  // namespace unicode_tables

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// The range of valid second bytes for a lead byte; narrower than 80..BF for
// the leads that could otherwise encode overlong forms or surrogates.
std::pair<unsigned char, unsigned char> second_byte_range(unsigned char lead) {
  if (lead == 0xE0) return {0xA0, 0xBF};
  if (lead == 0xED) return {0x80, 0x9F};
  if (lead == 0xF0) return {0x90, 0xBF};
  if (lead == 0xF4) return {0x80, 0x8F};
  return {0x80, 0xBF};
}

// Decodes one code point at `pos`; returns it and the bytes it used. An
// invalid sequence gives U+FFFD and consumes only its valid prefix (at least
// one byte), like Python's "replace" handler.
std::pair<char32_t, size_t> decode_one(const std::string& text, size_t pos) {
  auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return {lead, 1};
  size_t length = 0;
  char32_t code = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07;
  } else {
    return {kReplacement, 1};
  }
  auto [low, high] = second_byte_range(lead);
  for (size_t i = 1; i < length; ++i) {
    if (pos + i >= text.size()) return {kReplacement, i};
    auto byte = static_cast<unsigned char>(text[pos + i]);
    unsigned char lo = i == 1 ? low : 0x80;
    unsigned char hi = i == 1 ? high : 0xBF;
    if (byte < lo || byte > hi) return {kReplacement, i};
    code = (code << 6) | (byte & 0x3F);
  }
  return {code, length};
}

}  // namespace

std::u32string utf8_to_u32(const std::string& text) {
  std::u32string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    auto [code, used] = decode_one(text, pos);
    out.push_back(code);
    pos += used;
  }
  return out;
}

std::string u32_to_utf8(const std::u32string& text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t code : text) {
    if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = kReplacement;
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }
  return out;
}

CharClass char_class(char32_t code) {
  const ClassRange* begin = unicode_tables::kClassRanges;
  const ClassRange* end = begin + unicode_tables::kClassRangeCount;
  // The first range whose last code point is at or past `code`.
  auto it = std::lower_bound(begin, end, code,
                             [](const ClassRange& range, char32_t c) { return range.last < c; });
  if (it == end || it->first > code) return CharClass::kOther;
  return it->char_class;
}

bool is_python_space(char32_t code) {
  if (code < 0x80) return (code >= 0x09 && code <= 0x0D) || (code >= 0x1C && code <= 0x20);
  return code == 0x85 || code == 0xA0 || code == 0x1680 || (code >= 0x2000 && code <= 0x200A) ||
         code == 0x2028 || code == 0x2029 || code == 0x202F || code == 0x205F || code == 0x3000;
}

std::u32string to_lower(const std::u32string& text) {
  const LowercaseRun* begin = unicode_tables::kLowercaseRuns;
  const LowercaseRun* end = begin + unicode_tables::kLowercaseRunCount;
  std::u32string out;
  out.reserve(text.size());
  for (char32_t code : text) {
    if (code < 0x80) {
      out.push_back(code >= 'A' && code <= 'Z' ? code + 32 : code);
      continue;
    }
    // The one full (multi-code-point) lowercase mapping in Unicode.
    if (code == 0x130) {
      out += U"i\u0307";
      continue;
    }
    auto it = std::lower_bound(begin, end, code,
                               [](const LowercaseRun& run, char32_t c) { return run.last < c; });
    bool mapped = it != end && it->first <= code && (code - it->first) % it->stride == 0;
    out.push_back(mapped ? static_cast<char32_t>(static_cast<int32_t>(code) + it->delta) : code);
  }
  return out;
}

std::string to_lower_utf8(const std::string& text) {
  return u32_to_utf8(to_lower(utf8_to_u32(text)));
}

std::vector<std::u32string> split_whitespace(const std::u32string& text) {
  std::vector<std::u32string> fields;
  std::u32string current;
  for (char32_t code : text) {
    if (is_python_space(code)) {
      if (!current.empty()) fields.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(code);
    }
  }
  if (!current.empty()) fields.push_back(std::move(current));
  return fields;
}

std::vector<std::string> split_whitespace_utf8(const std::string& text) {
  std::vector<std::string> fields;
  for (const auto& field : split_whitespace(utf8_to_u32(text)))
    fields.push_back(u32_to_utf8(field));
  return fields;
}

std::u32string collapse_whitespace(const std::u32string& text) {
  std::u32string out;
  for (const auto& field : split_whitespace(text)) {
    if (!out.empty()) out.push_back(U' ');
    out += field;
  }
  return out;
}

const char* unicode_version() { return unicode_tables::kUnicodeVersion; }

}  // namespace t5

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace t5 {

// Unicode helpers for the metrics. The reference metrics are Python tools
// (sacreBLEU, the SQuAD script, rouge-score), so "whitespace", "lowercase"
// and "punctuation" here mean what Python 3 means by them: str.split(),
// str.lower() and the Unicode general categories, from tables generated out
// of Python's Unicode database (scripts/gen_unicode_tables.py; version in
// unicode_version()).

// The first letter of a code point's general category, for the four classes
// the metrics distinguish; everything else (marks, separators, controls,
// unassigned) is kOther.
enum class CharClass : uint8_t { kOther, kLetter, kNumber, kPunctuation, kSymbol };

// One run [first, last] of code points of one class (generated table).
struct ClassRange {
  char32_t first;
  char32_t last;
  CharClass char_class;
};

// Code points first, first + stride, ... up to last lowercase to code + delta.
struct LowercaseRun {
  char32_t first;
  char32_t last;
  int32_t delta;
  int32_t stride;
};

// Decodes UTF-8. Bytes that are not valid UTF-8 decode as U+FFFD each, the
// way Python decodes with errors="replace", so bad input never throws.
std::u32string utf8_to_u32(const std::string& text);

// Encodes code points as UTF-8 (surrogates and out-of-range values as U+FFFD).
std::string u32_to_utf8(const std::u32string& text);

// The class of a code point (see CharClass).
CharClass char_class(char32_t code);

// True for the code points Python's str.split() splits on.
bool is_python_space(char32_t code);

// Python's str.lower(): the Unicode lowercase mapping (U+0130 becomes the two
// code points "i" + U+0307, as in Python).
std::u32string to_lower(const std::u32string& text);
std::string to_lower_utf8(const std::string& text);

// Python's str.split() with no argument: runs of whitespace separate fields;
// leading and trailing whitespace give no empty fields.
std::vector<std::u32string> split_whitespace(const std::u32string& text);
std::vector<std::string> split_whitespace_utf8(const std::string& text);

// The fields of split_whitespace joined by single spaces (Python's
// ' '.join(text.split())).
std::u32string collapse_whitespace(const std::u32string& text);

// The Unicode version of the generated tables, e.g. "14.0.0".
const char* unicode_version();

}  // namespace t5

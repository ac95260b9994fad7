#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace t5 {

// String helpers shared by the sources and the preprocessors. All work on
// UTF-8 bytes; "whitespace" and "punctuation" mean ASCII ones, as in the
// reference's regular expressions (RE2's \s and \W are ASCII classes).

// The byte offset of the first invalid UTF-8 sequence in `text` (overlong
// forms, surrogates and code points past U+10FFFF count as invalid), or
// std::string::npos when the text is valid.
size_t find_invalid_utf8(std::string_view text);

// "invalid UTF-8 at byte 17 (0xff)": the reason used in RecordError
// messages, or "" when `text` is valid.
std::string describe_invalid_utf8(std::string_view text);

// Drops a UTF-8 byte order mark at the start of `text`.
void strip_bom(std::string& text);

// ASCII whitespace: space, \t, \n, \v, \f, \r.
bool is_ascii_space(char c);

// Replaces every run of ASCII whitespace by one space; the ends are kept
// (a leading or trailing run becomes one space), as the reference does.
std::string collapse_whitespace(std::string_view text);

// Removes ASCII whitespace at both ends.
std::string strip(std::string_view text);

// Lowercases ASCII letters; other bytes are kept.
std::string ascii_lower(std::string_view text);

// Splits on every occurrence of `separator`; empty pieces are kept
// ("a  b" on ' ' gives {"a", "", "b"}), like Python's str.split(' ').
std::vector<std::string> split(std::string_view text, char separator);

// Joins with `separator` between the pieces.
std::string join(const std::vector<std::string>& pieces, std::string_view separator);

// Replaces every non-overlapping occurrence of `from` (not empty), left to
// right.
std::string replace_all(std::string_view text, std::string_view from, std::string_view to);

// SQuAD's padding (REFERENCE.md): a space on each side of every ASCII
// punctuation character, then whitespace runs collapsed to one space.
// '_' is left alone, being a word character in the reference's \W.
std::string pad_punctuation(std::string_view text);

// The byte offset of code point `index` in valid UTF-8 `text` (text.size()
// when index is the number of code points), or npos when `index` is past
// the end. Data sets such as ReCoRD give character offsets, which are code
// points, not bytes.
size_t utf8_byte_offset(std::string_view text, size_t index);

}  // namespace t5

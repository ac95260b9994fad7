#include "t5/tasks/unicode_text.h"

#include <catch2/catch.hpp>

TEST_CASE("utf8 decoding round trips valid text and replaces invalid bytes", "[tasks][metrics]") {
  std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x91\x8D";  // a, U+00E9, U+20AC, U+1F44D
  auto decoded = t5::utf8_to_u32(text);
  CHECK(decoded == std::u32string{U'a', 0xE9, 0x20AC, 0x1F44D});
  CHECK(t5::u32_to_utf8(decoded) == text);
  // A stray continuation byte, a truncated sequence and an overlong form
  // each become U+FFFD; decoding goes on after them.
  CHECK(t5::utf8_to_u32("\x80z") == std::u32string{0xFFFD, U'z'});
  CHECK(t5::utf8_to_u32("\xE2\x82") == std::u32string{0xFFFD});
  CHECK(t5::utf8_to_u32("\xC0\xAF") == std::u32string{0xFFFD, 0xFFFD});
}

TEST_CASE("lowercasing follows Python's str.lower", "[tasks][metrics]") {
  CHECK(t5::to_lower_utf8("ABC xyz") == "abc xyz");
  // U+00C9 -> U+00E9, Greek U+03A3 -> U+03C3, Cyrillic U+0416 -> U+0436.
  CHECK(t5::to_lower_utf8("\xC3\x89\xCE\xA3\xD0\x96") == "\xC3\xA9\xCF\x83\xD0\xB6");
  // U+0100 and U+0101 alternate upper/lower (a stride-2 run of the table).
  CHECK(t5::to_lower_utf8("\xC4\x80\xC4\x81") == "\xC4\x81\xC4\x81");
  // U+0130 lowercases to two code points, "i" + U+0307.
  CHECK(t5::to_lower_utf8("\xC4\xB0") == "i\xCC\x87");
}

TEST_CASE("whitespace splitting follows Python's str.split", "[tasks][metrics]") {
  // U+00A0 (no-break space) and U+3000 (ideographic space) separate too;
  // U+200B (zero-width space) does not, as in Python.
  CHECK(t5::split_whitespace_utf8(" a\tb\xC2\xA0"
                                  "c\xE3\x80\x80"
                                  "d\xE2\x80\x8B"
                                  "e ") == std::vector<std::string>{"a", "b", "c",
                                                                    "d\xE2\x80\x8B"
                                                                    "e"});
  CHECK(t5::split_whitespace_utf8("   ").empty());
}

TEST_CASE("character classes follow the Unicode general categories", "[tasks][metrics]") {
  CHECK(t5::char_class(U'a') == t5::CharClass::kLetter);
  CHECK(t5::char_class(0x4E2D) == t5::CharClass::kLetter);  // CJK ideograph, Lo
  CHECK(t5::char_class(U'7') == t5::CharClass::kNumber);
  CHECK(t5::char_class(0x00BD) == t5::CharClass::kNumber);  // one half, No
  CHECK(t5::char_class(U',') == t5::CharClass::kPunctuation);
  CHECK(t5::char_class(0x2014) == t5::CharClass::kPunctuation);  // em dash, Pd
  CHECK(t5::char_class(U'$') == t5::CharClass::kSymbol);
  CHECK(t5::char_class(0x1F600) == t5::CharClass::kSymbol);  // emoji, So
  CHECK(t5::char_class(U' ') == t5::CharClass::kOther);
  CHECK(t5::char_class(0x0301) == t5::CharClass::kOther);  // combining mark, Mn
  CHECK(std::string(t5::unicode_version()) == "14.0.0");
}

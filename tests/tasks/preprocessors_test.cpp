// The format rules of REFERENCE.md's table, one function at a time, on
// hand-written inputs (the real records are in builtin_tasks_test.cpp).
#include "t5/tasks/preprocessors.h"

#include <catch2/catch.hpp>

#include "t5/tasks/text_ops.h"

TEST_CASE("stsb scores round to the nearest 0.2 with halves to even", "[tasks][preprocessors]") {
  // REFERENCE.md's examples.
  CHECK(t5::format_stsb_score(2.57f) == "2.6");
  CHECK(t5::format_stsb_score(3.25f) == "3.2");
  CHECK(t5::format_stsb_score(1.8f) == "1.8");
  // Halves: x * 5 ends in .5 and goes to the even neighbour (hand computed:
  // 0.5 * 5 = 2.5 -> 2 -> 0.4; 3.5 * 5 = 17.5 -> 18 -> 3.6; 4.5 * 5 = 22.5
  // -> 22 -> 4.4; 0.3 * 5 = 1.5 in float32 -> 2 -> 0.4).
  CHECK(t5::format_stsb_score(0.5f) == "0.4");
  CHECK(t5::format_stsb_score(3.5f) == "3.6");
  CHECK(t5::format_stsb_score(4.5f) == "4.4");
  CHECK(t5::format_stsb_score(0.3f) == "0.4");
  CHECK(t5::format_stsb_score(5.0f) == "5.0");
  CHECK(t5::format_stsb_score(0.0f) == "0.0");
}

TEST_CASE("record passages join highlights after closing punctuation or with a period",
          "[tasks][preprocessors]") {
  std::string passage =
      "He spoke.\n@highlight\nNEW: Kill a Bhutto\n@highlight\nHe asked \"why?\"\n@highlight\n"
      "She said 'no'\n@highlight\nWhy not?\n@highlight\nWow!\n@highlight\nEnd";
  CHECK(t5::format_record_passage(passage) ==
        "He spoke. NEW: Kill a Bhutto. He asked \"why?\" She said 'no' Why not? Wow! End");
  CHECK(t5::format_record_passage("no highlights\nhere") == "no highlights\nhere");
}

TEST_CASE("multirc markup becomes spaces or disappears", "[tasks][preprocessors]") {
  CHECK(t5::strip_multirc_markup("<b>Sent 1: </b>Tom ran.<br><b>Sent 2: </b>He won.<br>") ==
        "Sent 1: Tom ran. Sent 2: He won. ");
}

TEST_CASE("wsc pronouns are marked with stars at their word index", "[tasks][preprocessors]") {
  SECTION("the word at the index is the pronoun") {
    CHECK(t5::mark_wsc_pronoun("Mitchell asked Tom if he could lend some money.", 4, "he") ==
          "Mitchell asked Tom if *he* could lend some money.");
  }
  SECTION("punctuation glued to the pronoun stays outside the stars") {
    // The reference's special case: 'Good for him," he said.'
    CHECK(t5::mark_wsc_pronoun("\"Good for him,\" he said.", 2, "him") ==
          "\"Good for *him* ,\" he said.");
  }
  SECTION("an index next to the pronoun finds the nearest equal word") {
    // The reference's other special case (WSC val idx 42): index 30 is "use".
    std::string text =
        "Some day they might want to use it , but really for now, what more could they wish for?";
    CHECK(t5::mark_wsc_pronoun(text, 6, "it") ==
          "Some day they might want to use *it* , but really for now, what more could they wish "
          "for?");
  }
  SECTION("a pronoun that is not in the text is an error") {
    CHECK_THROWS_WITH(t5::mark_wsc_pronoun("No pronoun here.", 1, "she"),
                      Catch::Contains("'she'") && Catch::Contains("span2_index 1"));
  }
}

TEST_CASE("wnli premises become wsc inputs with the referent from the hypothesis",
          "[tasks][preprocessors]") {
  // The reference's docstring example and two shapes of hypothesis: the
  // candidate at the start, and between matched words.
  auto fish =
      t5::convert_wnli_to_wsc("The fish ate the worm. It was tasty.", "The worm was tasty.");
  CHECK(fish.text == "The fish ate the worm. *It* was tasty.");
  CHECK(fish.referent == "The worm");
  auto door = t5::convert_wnli_to_wsc("Jane knocked on Susan's door but she did not answer.",
                                      "Susan did not answer.");
  CHECK(door.text == "Jane knocked on Susan's door but *she* did not answer.");
  CHECK(door.referent == "Susan");
  CHECK_THROWS_WITH(t5::convert_wnli_to_wsc("Nothing to resolve.", "Nothing."),
                    Catch::Contains("no pronoun"));
}

TEST_CASE("squad punctuation padding spaces ascii punctuation and collapses whitespace",
          "[tasks][preprocessors]") {
  CHECK(t5::pad_punctuation("Which NFL team represented the AFC at Super Bowl 50?") ==
        "Which NFL team represented the AFC at Super Bowl 50 ? ");
  CHECK(t5::pad_punctuation("Levi's Stadium (NFL)") == "Levi ' s Stadium ( NFL ) ");
  CHECK(t5::pad_punctuation("a\t\tb\n c") == "a b c");
  // '_' is a word character in the reference's \W; non-ASCII is left alone.
  CHECK(t5::pad_punctuation("snake_case 24\xE2\x80\x93"
                            "10") ==
        "snake_case 24\xE2\x80\x93"
        "10");
}

TEST_CASE("utf8 validation finds the first bad byte", "[tasks][preprocessors]") {
  CHECK(t5::find_invalid_utf8("plain ascii") == std::string::npos);
  CHECK(t5::find_invalid_utf8("\xC8\x98"
                              "eful \xE2\x80\x9E"
                              "ok") == std::string::npos);
  CHECK(t5::find_invalid_utf8("ab\xC0\xAF") == 2);         // overlong '/'
  CHECK(t5::find_invalid_utf8("\xED\xA0\x80") == 0);       // a surrogate
  CHECK(t5::find_invalid_utf8("x\xF4\x90\x80\x80") == 1);  // past U+10FFFF
  CHECK(t5::find_invalid_utf8("cut \xE2\x80") == 4);       // truncated sequence
  CHECK(t5::utf8_byte_offset("\xC8\x98"
                             "a",
                             1) == 2);
}

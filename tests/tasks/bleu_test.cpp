#include "t5/tasks/bleu.h"

#include <catch2/catch.hpp>

namespace {

// Scores are sums of a few doubles; this is far below a printed digit.
constexpr double kTolerance = 1e-9;

t5::MetricScores score_bleu(const std::vector<std::string>& predictions,
                            const std::vector<std::vector<std::string>>& references,
                            const t5::Json& options = nullptr) {
  t5::MetricInputs inputs;
  inputs.predictions = predictions;
  inputs.references = references;
  return t5::bleu_metric(inputs, options);
}

}  // namespace

TEST_CASE("13a tokenizer splits off ASCII punctuation and symbols but not apostrophes",
          "[tasks][metrics]") {
  CHECK(t5::tokenize_13a("Hello, world!") == "Hello , world !");
  CHECK(t5::tokenize_13a("f(x)=[y]+{z}") == "f ( x ) = [ y ] + { z }");
  CHECK(t5::tokenize_13a("it's 5$ @home") == "it's 5 $ @ home");
}

TEST_CASE("13a tokenizer keeps periods and commas between digits", "[tasks][metrics]") {
  // "3.14" and "1,000" have digits on both sides; the final period follows
  // a digit but precedes the padding space, so it splits off.
  CHECK(t5::tokenize_13a("3.14 and 1,000.") == "3.14 and 1,000 .");
  CHECK(t5::tokenize_13a("end.Next") == "end . Next");
}

TEST_CASE("13a tokenizer splits a dash only after a digit", "[tasks][metrics]") {
  CHECK(t5::tokenize_13a("pages 2-3 of well-known") == "pages 2 - 3 of well-known");
}

TEST_CASE("13a tokenizer turns HTML entities back into characters", "[tasks][metrics]") {
  CHECK(t5::tokenize_13a("&quot;Hi&quot; &amp; &lt;b&gt;") == "\" Hi \" & < b >");
}

TEST_CASE("13a tokenizer drops skipped markers and joins hyphenated line breaks",
          "[tasks][metrics]") {
  CHECK(t5::tokenize_13a("<skipped>well-\nknown\nfact") == "wellknown fact");
}

TEST_CASE("intl tokenizer splits Unicode punctuation unless numbers surround it",
          "[tasks][metrics]") {
  // U+00BF and U+00AB/U+00BB are punctuation (Po, Pi, Pf).
  CHECK(t5::tokenize_intl("\xC2\xBFQu\xC3\xA9?") == "\xC2\xBF Qu\xC3\xA9 ?");
  CHECK(t5::tokenize_intl("\xC2\xAB"
                          "Hallo"
                          "\xC2\xBB") == "\xC2\xAB Hallo \xC2\xBB");
  CHECK(t5::tokenize_intl("1.5 and 2,000") == "1.5 and 2,000");
  // Unlike 13a, the apostrophe is punctuation here.
  CHECK(t5::tokenize_intl("it's") == "it ' s");
}

TEST_CASE("intl tokenizer leaves a number's final period attached, as mteval-v14 does",
          "[tasks][metrics]") {
  // No character follows the period, so neither pair rule matches.
  CHECK(t5::tokenize_intl("in 2019.") == "in 2019.");
  CHECK(t5::tokenize_13a("in 2019.") == "in 2019 .");
}

TEST_CASE("intl tokenizer splits off every Unicode symbol", "[tasks][metrics]") {
  // $ and U+20AC are currency symbols (Sc), + is Sm, ^ is Sk, U+1F44D is So.
  CHECK(t5::tokenize_intl("5$+3\xE2\x82\xAC") == "5 $ + 3 \xE2\x82\xAC");
  CHECK(t5::tokenize_intl("x^2") == "x ^ 2");
  CHECK(t5::tokenize_intl("\xF0\x9F\x91\x8Dok") == "\xF0\x9F\x91\x8D ok");
}

TEST_CASE("bleu brevity penalty is exp(1 - r/c) for short hypotheses", "[tasks][metrics]") {
  // Every n-gram of the 6-token hypothesis matches the 7-token reference, so
  // the precisions are all 100 and BLEU = 100 * exp(1 - 7/6) = 84.648172489.
  auto scores = score_bleu({"the cat sat on the mat"}, {{"the cat sat on the mat today"}});
  CHECK(scores.at("bleu") == Approx(84.64817248906141).epsilon(kTolerance));
}

TEST_CASE("bleu exponential smoothing halves each order without a match", "[tasks][metrics]") {
  // "a b c d" vs "a b x d": unigrams 3/4, bigrams 1/3, trigrams 0/2 and
  // 4-grams 0/1. Smoothing makes them 1/(2*2) and 1/(4*1), so BLEU =
  // 100 * (3/4 * 1/3 * 1/4 * 1/4)^(1/4) = 100 / (2 sqrt 2) = 35.3553390593.
  auto smoothed = score_bleu({"a b c d"}, {{"a b x d"}});
  CHECK(smoothed.at("bleu") == Approx(35.35533905932738).epsilon(kTolerance));

  SECTION("without smoothing a zero precision makes the score 0") {
    auto plain = score_bleu({"a b c d"}, {{"a b x d"}}, {{"smooth_method", "none"}});
    CHECK(plain.at("bleu") == 0.0);
  }
}

TEST_CASE("bleu clips n-gram counts by the most any one reference has", "[tasks][metrics]") {
  // "the the the the" against "the the cat sat" and "a the the the":
  // unigram "the" clipped to 3 (second reference) of 4; bigram "the the"
  // to 2 of 3; trigram to 1 of 2; the 4-gram has no match (smoothed to
  // 1/2). BLEU = 100 * (3/4 * 2/3 * 1/2 * 1/2)^(1/4) = 100 * 8^(-1/4).
  auto scores = score_bleu({"the the the the"}, {{"the the cat sat", "a the the the"}});
  CHECK(scores.at("bleu") == Approx(59.46035575013605).epsilon(kTolerance));
}

TEST_CASE("bleu takes the reference length closest to the hypothesis, the shorter on a tie",
          "[tasks][metrics]") {
  std::vector<std::string> hypothesis = {"a", "b", "c", "d", "e"};
  auto tied = t5::bleu_segment_stats(hypothesis, {{"a", "b", "c", "d", "e", "f"}, {"a", "b"}});
  CHECK(tied.reference_length == 6);
  auto tie =
      t5::bleu_segment_stats(hypothesis, {{"a", "b", "c", "d", "e", "f"}, {"a", "b", "c", "d"}});
  CHECK(tie.reference_length == 4);
}

TEST_CASE("bleu sums n-gram statistics over the corpus before taking precisions",
          "[tasks][metrics]") {
  // Segment 1 matches fully (4, 3, 2, 1 n-grams); segment 2 "e f g h" vs
  // "e f x h" matches 3, 1, 0, 0. Corpus precisions 7/8, 4/6, 2/4, 1/2:
  // BLEU = 100 * (7/48)^(1/4) = 61.7965458511, not the mean of the two.
  auto scores = score_bleu({"a b c d", "e f g h"}, {{"a b c d"}, {"e f x h"}});
  CHECK(scores.at("bleu") == Approx(61.796545851122346).epsilon(kTolerance));
}

TEST_CASE("bleu options choose the tokenizer and the case", "[tasks][metrics]") {
  SECTION("lowercase makes case differences match") {
    CHECK(score_bleu({"The Cat Sat Down"}, {{"the cat sat down"}}).at("bleu") < 100.0 - kTolerance);
    auto lowered = score_bleu({"The Cat Sat Down"}, {{"the cat sat down"}}, {{"lowercase", true}});
    CHECK(lowered.at("bleu") == Approx(100.0).epsilon(kTolerance));
  }
  SECTION("the tokenizer decides whether a dash between letters splits") {
    // intl splits the dash (punctuation Pd) of "a-b": both sides read
    // "a - b c d e". 13a splits a dash only after a digit, so the hypothesis
    // keeps "a-b" as one token and no longer matches fully.
    auto intl = score_bleu({"a-b c d e"}, {{"a - b c d e"}});
    CHECK(intl.at("bleu") == Approx(100.0).epsilon(kTolerance));
    auto v13a = score_bleu({"a-b c d e"}, {{"a - b c d e"}}, {{"tokenize", "13a"}});
    CHECK(v13a.at("bleu") < 100.0 - kTolerance);
  }
  SECTION("an unknown tokenizer is refused with the near name") {
    CHECK_THROWS_WITH(score_bleu({"a"}, {{"a"}}, {{"tokenize", "14a"}}),
                      Catch::Contains("'14a'") && Catch::Contains("did you mean '13a'"));
  }
  SECTION("an unknown option key is refused with the nearest key") {
    CHECK_THROWS_WITH(
        score_bleu({"a"}, {{"a"}}, {{"tokenizer", "13a"}}),
        Catch::Contains("unknown key 'tokenizer'") && Catch::Contains("did you mean 'tokenize'"));
  }
}

#include "t5/tasks/rouge.h"

#include <catch2/catch.hpp>

#include "t5/tasks/porter_stemmer.h"

namespace {

constexpr double kTolerance = 1e-12;

using Tokens = std::vector<std::string>;

t5::MetricScores score_rouge(const std::vector<std::string>& predictions,
                             const std::vector<std::vector<std::string>>& references,
                             const t5::Json& options = nullptr) {
  t5::MetricInputs inputs;
  inputs.predictions = predictions;
  inputs.references = references;
  return t5::rouge_metric(inputs, options);
}

}  // namespace

TEST_CASE("rouge tokenizer lowercases", "[tasks][metrics]") {
  CHECK(t5::rouge_tokenize("The CAT", false) == Tokens{"the", "cat"});
  // U+0130 (capital I with dot) lowercases to "i" + a combining dot, and the
  // Kelvin sign U+212A to "k", as Python's str.lower does.
  CHECK(t5::rouge_tokenize("\xC4\xB0t \xE2\x84\xAA", false) == Tokens{"i", "t", "k"});
}

TEST_CASE("rouge tokenizer turns every character other than a-z and 0-9 into a separator",
          "[tasks][metrics]") {
  CHECK(t5::rouge_tokenize("don't stop-me, caf\xC3\xA9 3.5", false) ==
        Tokens{"don", "t", "stop", "me", "caf", "3", "5"});
  CHECK(t5::rouge_tokenize("  ... ", false).empty());
}

TEST_CASE("rouge tokenizer stems only tokens longer than three characters", "[tasks][metrics]") {
  CHECK(t5::rouge_tokenize("Running cats ran", true) == Tokens{"run", "cat", "ran"});
  // "was" would lose its s under step 1a, but 3-letter tokens are kept.
  CHECK(t5::rouge_tokenize("was dies", true) == Tokens{"was", "die"});
}

TEST_CASE("porter stemmer applies Porter's steps with NLTK's extensions", "[tasks][metrics]") {
  // Expected stems are the outputs of NLTK 3.8's PorterStemmer().stem (the
  // stemmer rouge-score uses); the comment names the rule each exercises.
  struct Case {
    const char* word;
    const char* stem;
  };
  const Case cases[] = {
      {"cats", "cat"},              // 1a: s ->
      {"flies", "fli"},             // 1a: ies -> i
      {"dies", "die"},              // NLTK: four-letter ies -> ie
      {"running", "run"},           // 1b: ing, then undouble
      {"hopping", "hop"},           // 1b: undouble
      {"filing", "file"},           // 1b: m=1 and *o -> add e
      {"agreed", "agre"},           // 1b: eed -> ee, then 5a drops e
      {"feed", "feed"},             // 1b: eed with m=0 stays
      {"spied", "spi"},             // NLTK: ied -> i
      {"died", "die"},              // NLTK: four-letter ied -> ie
      {"happy", "happi"},           // 1c: y -> i after a consonant
      {"enjoy", "enjoy"},           // NLTK 1c: not after a vowel
      {"sky", "sky"},               // NLTK irregular form
      {"dying", "die"},             // NLTK irregular form
      {"news", "news"},             // NLTK irregular form
      {"relational", "relat"},      // 2: ational -> ate, 4: ate ->
      {"conditional", "condit"},    // 2: tional -> tion, 4: ion after t
      {"formalli", "formal"},       // NLTK 2: alli -> al first
      {"hopefulli", "hope"},        // NLTK 2: fulli -> ful, 3: ful ->
      {"geology", "geolog"},        // NLTK 2: logi -> log, measured with its l
      {"triplicate", "triplic"},    // 3: icate -> ic
      {"electriciti", "electr"},    // 3: iciti -> ic, 4: ic ->
      {"generalization", "gener"},  // 2, 3 and 4 in turn
      {"adoption", "adopt"},        // 4: ion after t
      {"probate", "probat"},        // 5a: m>1 drops e
      {"rate", "rate"},             // 5a: m=1 and *o keeps e
      {"cease", "ceas"},            // 5a: m=1 and not *o drops e
      {"controll", "control"},      // 5b: ll -> l when m>1
      {"roll", "roll"},             // 5b: m=1 keeps ll
      {"ab", "ab"},                 // NLTK: one or two letters unchanged
  };
  for (const auto& c : cases) {
    INFO(c.word);
    CHECK(t5::porter_stem(c.word) == c.stem);
  }
}

TEST_CASE("rouge-n counts clipped n-gram overlap", "[tasks][metrics]") {
  Tokens reference = {"the", "cat", "sat", "on", "the", "mat"};
  Tokens prediction = {"the", "cat", "on", "the", "mat"};
  // Unigrams: all 5 of the prediction's appear in the reference (the x2,
  // cat, on, mat): P = 5/5, R = 5/6, F = 2PR/(P+R) = 10/11.
  auto unigram = t5::rouge_n(reference, prediction, 1);
  CHECK(unigram.precision == Approx(1.0).epsilon(kTolerance));
  CHECK(unigram.recall == Approx(5.0 / 6.0).epsilon(kTolerance));
  CHECK(unigram.fmeasure == Approx(10.0 / 11.0).epsilon(kTolerance));
  // Bigrams: "the cat", "on the", "the mat" shared: P = 3/4, R = 3/5, F = 2/3.
  auto bigram = t5::rouge_n(reference, prediction, 2);
  CHECK(bigram.fmeasure == Approx(2.0 / 3.0).epsilon(kTolerance));
  // "the the" vs "the": clipped to one match; P = 1/1, R = 1/2, F = 2/3.
  CHECK(t5::rouge_n({"the", "the"}, {"the"}, 1).fmeasure == Approx(2.0 / 3.0).epsilon(kTolerance));
}

TEST_CASE("rouge-l scores the longest common subsequence", "[tasks][metrics]") {
  // LCS of "the cat sat on the mat" and "the cat on the mat" has 5 tokens:
  // P = 5/5, R = 5/6, F = 10/11.
  auto score =
      t5::rouge_l({"the", "cat", "sat", "on", "the", "mat"}, {"the", "cat", "on", "the", "mat"});
  CHECK(score.fmeasure == Approx(10.0 / 11.0).epsilon(kTolerance));
  CHECK(t5::rouge_l({}, {"a"}).fmeasure == 0.0);
}

TEST_CASE("rouge-lsum takes the union of the LCS over prediction sentences", "[tasks][metrics]") {
  // The example of Lin (2004), section 3.2: reference sentence w1..w5,
  // prediction sentences "w1 w2 w6 w7 w8" (LCS w1 w2) and "w1 w3 w8 w9
  // w5" (LCS w1 w3 w5). Union: w1 w2 w3 w5 = 4 hits; R = 4/5, P = 4/10,
  // F = 2 * 0.8 * 0.4 / 1.2 = 8/15.
  std::vector<Tokens> reference = {{"w1", "w2", "w3", "w4", "w5"}};
  std::vector<Tokens> prediction = {{"w1", "w2", "w6", "w7", "w8"}, {"w1", "w3", "w8", "w9", "w5"}};
  auto score = t5::rouge_lsum(reference, prediction);
  CHECK(score.recall == Approx(0.8).epsilon(kTolerance));
  CHECK(score.precision == Approx(0.4).epsilon(kTolerance));
  CHECK(score.fmeasure == Approx(8.0 / 15.0).epsilon(kTolerance));
}

TEST_CASE("rouge-lsum counts a token no more often than both summaries hold it",
          "[tasks][metrics]") {
  // Both reference sentences "a b" match the one prediction sentence "a b",
  // but the prediction has one a and one b: 2 hits, not 4. R = 2/4,
  // P = 2/2, F = 2/3.
  auto score = t5::rouge_lsum({{"a", "b"}, {"a", "b"}}, {{"a", "b"}});
  CHECK(score.recall == Approx(0.5).epsilon(kTolerance));
  CHECK(score.precision == Approx(1.0).epsilon(kTolerance));
  CHECK(score.fmeasure == Approx(2.0 / 3.0).epsilon(kTolerance));
}

TEST_CASE("summary preparation puts a newline after each spaced period", "[tasks][metrics]") {
  CHECK(t5::split_sentences_at_periods("a . b . c") == "a .\nb .\nc");
  // Matches do not overlap: the second period's leading space is used up.
  CHECK(t5::split_sentences_at_periods(" . . ") == " .\n. ");
  CHECK(t5::split_sentences_at_periods("3.5 mph.") == "3.5 mph.");
}

TEST_CASE("rouge metric reports the four F-measures x100, averaged over examples",
          "[tasks][metrics]") {
  // Example 1 is identical (100 everywhere). Example 2, "a b" vs "a c":
  // rouge1 P = R = 1/2 (F 50), rouge2 0, rougeL 50, rougeLsum 50. Means:
  // rouge1 75, rouge2 50, rougeL 75, rougeLsum 75.
  auto scores = score_rouge({"x y z", "a b"}, {{"x y z"}, {"a c"}});
  CHECK(scores.at("rouge1") == Approx(75.0).epsilon(kTolerance));
  CHECK(scores.at("rouge2") == Approx(50.0).epsilon(kTolerance));
  CHECK(scores.at("rougeL") == Approx(75.0).epsilon(kTolerance));
  CHECK(scores.at("rougeLsum") == Approx(75.0).epsilon(kTolerance));
}

TEST_CASE("rouge metric keeps the best reference of each example per type", "[tasks][metrics]") {
  // Against "a c" rouge1 is 50, against "a b" 100: the best is kept.
  auto scores = score_rouge({"a b"}, {{"a c", "a b"}});
  CHECK(scores.at("rouge1") == Approx(100.0).epsilon(kTolerance));
}

TEST_CASE("rouge metric splits sentences at periods for rougeLsum only", "[tasks][metrics]") {
  // "c . a b" vs "a b . c": one sequence shares LCS "a b" (F = 2/3), but
  // sentence by sentence "a b" and "c" both find their match: rougeLsum 100.
  auto reordered = score_rouge({"c . a b"}, {{"a b . c"}});
  CHECK(reordered.at("rougeL") == Approx(200.0 / 3.0).epsilon(kTolerance));
  CHECK(reordered.at("rougeLsum") == Approx(100.0).epsilon(kTolerance));
  auto unsplit = score_rouge({"c . a b"}, {{"a b . c"}}, {{"split_periods", false}});
  CHECK(unsplit.at("rougeLsum") == Approx(200.0 / 3.0).epsilon(kTolerance));
}

TEST_CASE("rouge metric stems when use_stemmer is set", "[tasks][metrics]") {
  // "cats running" vs "cat run": no token matches unstemmed; stemmed both
  // read "cat run".
  CHECK(score_rouge({"cats running"}, {{"cat run"}}).at("rouge1") == 0.0);
  auto stemmed = score_rouge({"cats running"}, {{"cat run"}}, {{"use_stemmer", true}});
  CHECK(stemmed.at("rouge1") == Approx(100.0).epsilon(kTolerance));
}

#pragma once

#include <string>

namespace t5 {

// The Porter stemmer as rouge-score applies it: NLTK's PorterStemmer in its
// default mode (NLTK_EXTENSIONS), i.e. Porter's 1980 algorithm plus NLTK's
// departures: a short table of irregular forms ("dying" -> "die", "skies"
// -> "sky", "news" -> "news"), words of one or two letters kept, "ies"/"ied"
// of four-letter words -> "ie", y -> i only after a consonant that is not
// the first letter, "alli" -> "al" tried first in step 2, and the extra
// step-2 rules "fulli" -> "ful" and "logi" -> "log".
//
// Expects a lowercase ASCII word (ROUGE tokens are [a-z0-9]+); other bytes
// are treated as consonants. "running" -> "run", "cats" -> "cat",
// "generalization" -> "gener".
std::string porter_stem(const std::string& word);

}  // namespace t5

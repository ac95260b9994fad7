#include "tests/support/tiny_corpus.h"

#include <fstream>
#include <iterator>
#include <string>

namespace t5::testing {

void write_tiny_corpus(const std::filesystem::path& path) {
  constexpr int kSentences = 400;
  const int word_count = static_cast<int>(std::size(kTinyCorpusWords));
  std::ofstream out(path);
  for (int sentence = 0; sentence < kSentences; ++sentence) {
    // Strides coprime with the word count vary the word pairs from line to
    // line; lengths run from 4 to 9 words.
    int length = 4 + sentence % 6;
    for (int position = 0; position < length; ++position) {
      int word = (sentence * 7 + position * 11 + sentence / word_count) % word_count;
      out << (position == 0 ? "" : " ") << kTinyCorpusWords[word];
    }
    out << "\n";
  }
}

}  // namespace t5::testing

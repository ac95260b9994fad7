#pragma once

#include <filesystem>

namespace t5::testing {

// Writes a small English-like corpus, one sentence per line, to `path`:
// a few hundred sentences built deterministically from a few dozen lowercase
// words, enough to train SentencePiece vocabularies of about 100 pieces of
// every model type in well under a second.
void write_tiny_corpus(const std::filesystem::path& path);

// Words of the corpus: every one occurs in it.
inline constexpr const char* kTinyCorpusWords[] = {
    "the",   "a",     "dog",   "cat",   "park", "house", "walks", "runs", "sleeps", "in",
    "on",    "under", "quick", "brown", "lazy", "small", "big",   "old",  "new",    "green",
    "river", "tree",  "road",  "city",  "near", "with",  "and",   "sees", "likes",  "finds"};

}  // namespace t5::testing

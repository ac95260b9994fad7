#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "t5/objectives/encoded_example.h"
#include "t5/objectives/random.h"
#include "t5/objectives/special_ids.h"
#include "t5/util/json.h"

namespace t5 {

// Token budgets of one example, EOS included.
struct SequenceLengths {
  /// Longest inputs; 0 = no limit.
  int64_t inputs = 0;
  /// Longest targets; 0 = no limit (span corruption then plans its own).
  int64_t targets = 0;
};

// What every objective is built with.
struct ObjectiveContext {
  /// Special and sentinel ids of the vocabulary.
  SpecialIds ids;
  /// Budgets that every example must fit; {0, 0} applies an objective to
  /// whole texts (as `t5 corrupt` does).
  SequenceLengths lengths;
  /// Where the objective's config sits, for error messages
  /// ("run.json: pretraining.objective").
  std::string where = "objective";
};

// A pretraining objective: a deterministic transform from a chunk of text
// (token ids, without EOS) to one {inputs, targets} example, given a random
// generator. Objectives are immutable after construction and may be shared
// by threads, each with its own Rng.
class Objective {
 public:
  virtual ~Objective() = default;

  // Registry name ("span_corruption").
  virtual std::string name() const = 0;

  // {"name": ..., every option}: the resolved config, which the registry
  // reads back into an equal objective.
  virtual Json to_json() const = 0;

  // Tokens of text per example: the pretraining stream cuts chunks of this
  // length. 0 means no budget: each document is one chunk.
  virtual int64_t raw_length() const = 0;

  // The longest inputs and targets this objective emits (0 = unbounded).
  // They never exceed the context's budgets.
  virtual SequenceLengths output_lengths() const = 0;

  // One example from `tokens` (at most raw_length() of them when that is
  // set; fewer, e.g. the last chunk, are fine). Every feature it returns is
  // empty or ends with EOS. Throws t5::Error on a text longer than
  // raw_length().
  virtual EncodedExample apply(const std::vector<int64_t>& tokens, Rng& rng) const = 0;

  // The objective that makes the next example: itself, or for a mixture
  // one member drawn with `rng` (whose raw_length() the stream then uses).
  virtual const Objective& select(Rng& rng) const { return *this; }

  // True only for "none", the no-pretraining baseline: it makes no
  // examples and the run skips pretraining.
  virtual bool skips_pretraining() const { return false; }
};

// Raw length for objectives whose inputs and targets each hold at most the
// whole text plus EOS: the smaller set budget minus one, 0 when neither is
// set. Throws t5::Error naming `where` when a budget leaves no room for a
// token.
int64_t raw_length_for_copies(const SequenceLengths& lengths, const std::string& where);

// Throws t5::Error naming `where` unless tokens.size() <= raw_length (or
// raw_length is 0).
void check_chunk_length(const std::vector<int64_t>& tokens, int64_t raw_length,
                        const std::string& where);

// Cuts `feature` to `limit` tokens, keeping EOS last (0 = no limit).
void trim_keeping_eos(std::vector<int64_t>& feature, int64_t limit, int64_t eos);

// Range checks for options, with the key path in the message.
void check_probability(double value, const std::string& where, const std::string& key);
void check_open_density(double value, const std::string& where, const std::string& key);
void check_mean_span(double value, const std::string& where, const std::string& key);

}  // namespace t5

#pragma once

#include <string>

#include "t5/tasks/metrics.h"

namespace t5 {

// Question answering metrics of the official SQuAD v1.1 evaluation script,
// which T5 also uses for ReCoRD.

// The script's answer normalisation, in its order: lowercase (Unicode, as
// Python's str.lower), delete ASCII punctuation !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~,
// replace the words "a", "an" and "the" by a space, collapse whitespace.
// "The  Eiffel-Tower!" -> "eiffeltower".
std::string normalize_squad_answer(const std::string& text);

// 1 when the normalised texts are equal, else 0.
double squad_exact_match(const std::string& prediction, const std::string& reference);

// Token F1 of the normalised texts (tokens split on whitespace, matched as a
// multiset); 0 when no token is shared.
double squad_f1(const std::string& prediction, const std::string& reference);

// {"em", "f1"}: 100 x the mean over examples of the best exact match and the
// best token F1 over the example's references (answers). No options.
MetricScores squad_metric(const MetricInputs& inputs, const Json& options);

// {"em", "f1"} for ReCoRD: the same as squad_metric (the official ReCoRD
// script normalises answers the same way); the references of an example are
// all its correct entity mentions.
MetricScores record_metric(const MetricInputs& inputs, const Json& options);

}  // namespace t5

#pragma once

#include <string>
#include <vector>

namespace t5 {

// Levenshtein distance between two strings (bytes).
size_t edit_distance(const std::string& a, const std::string& b);

// The known names closest to `name` (at most `max_results`, nearest first),
// for "did you mean" hints in registry and config errors. Names further than
// half their length away are left out unless nothing closer exists.
std::vector<std::string> nearest_names(const std::string& name,
                                       const std::vector<std::string>& known,
                                       size_t max_results = 3);

// " (did you mean 'a' or 'b'?)" or "" when there is nothing near.
std::string did_you_mean(const std::string& name, const std::vector<std::string>& known);

}  // namespace t5

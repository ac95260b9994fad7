#include "t5/util/names.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace t5 {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> nearest_names(const std::string& name,
                                       const std::vector<std::string>& known, size_t max_results) {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& candidate : known) {
    size_t distance = edit_distance(name, candidate);
    // A candidate that contains the name (or the reverse) is a near miss too.
    bool contains = !name.empty() && (candidate.find(name) != std::string::npos ||
                                      name.find(candidate) != std::string::npos);
    if (contains) distance = std::min<size_t>(distance, 1);
    size_t limit = std::max<size_t>(2, std::max(name.size(), candidate.size()) / 2);
    if (distance <= limit) scored.emplace_back(distance, candidate);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> result;
  for (const auto& [distance, candidate] : scored) {
    if (result.size() == max_results) break;
    result.push_back(candidate);
  }
  return result;
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& known) {
  auto near = nearest_names(name, known);
  if (near.empty()) return "";
  std::string list;
  for (size_t i = 0; i < near.size(); ++i) {
    if (i > 0) list += (i + 1 == near.size()) ? " or " : ", ";
    list += "'" + near[i] + "'";
  }
  return fmt::format(" (did you mean {}?)", list);
}

}  // namespace t5

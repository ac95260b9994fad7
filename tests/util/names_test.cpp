#include "t5/util/names.h"

#include <catch2/catch.hpp>

TEST_CASE("edit distance counts single-character edits", "[util]") {
  // Hand computed: kitten -> sitting is 3 edits (k->s, e->i, +g).
  CHECK(t5::edit_distance("kitten", "sitting") == 3);
  CHECK(t5::edit_distance("", "abc") == 3);
  CHECK(t5::edit_distance("same", "same") == 0);
}

TEST_CASE("nearest names suggest close spellings and skip far ones", "[util]") {
  std::vector<std::string> known = {"d_model", "d_kv", "d_ff", "num_heads", "vocab_size"};
  auto near = t5::nearest_names("d_modle", known);
  REQUIRE(!near.empty());
  CHECK(near.front() == "d_model");
  CHECK(t5::nearest_names("zzzzzzzzzzzz", known).empty());
  CHECK(t5::did_you_mean("num_head", known) == " (did you mean 'num_heads'?)");
}

#include "t5/objectives/special_ids.h"

#include <cctype>

namespace t5 {

int64_t SpecialIds::sentinel(int64_t index) const {
  T5_CHECK(index >= 0 && index < extra_ids,
           "sentinel <extra_id_{}> does not exist: the vocabulary has {} extra ids", index,
           extra_ids);
  return vocab_size + extra_ids - 1 - index;
}

void SpecialIds::validate(const std::string& where) const {
  for (auto [name, id] :
       {std::pair<const char*, int64_t>{"pad", pad}, {"eos", eos}, {"unk", unk}}) {
    T5_CHECK(id >= 0 && id < vocab_size, "{}: {} id {} lies outside the base pieces [0, {})", where,
             name, id, vocab_size);
  }
  T5_CHECK(extra_ids >= 1, "{}: extra_ids is {}; objectives need at least one sentinel", where,
           extra_ids);
  T5_CHECK(reserved_sentinels >= 0 && reserved_sentinels < extra_ids,
           "{}: reserved_sentinels is {}; expected 0 to {} (extra_ids - 1)", where,
           reserved_sentinels, extra_ids - 1);
  T5_CHECK(random_begin >= 0 && random_begin < random_limit() && random_limit() <= vocab_size,
           "{}: random token range [{}, {}) is empty or leaves the base pieces [0, {})", where,
           random_begin, random_limit(), vocab_size);
}

namespace {

// "<extra_id_N>" -> N, or -1 when `text` has another form.
int64_t parse_sentinel_name(const std::string& text) {
  const std::string prefix = "<extra_id_";
  if (text.size() <= prefix.size() + 1 || text.compare(0, prefix.size(), prefix) != 0 ||
      text.back() != '>') {
    return -1;
  }
  std::string digits = text.substr(prefix.size(), text.size() - prefix.size() - 1);
  if (digits.empty() || digits.size() > 9) return -1;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
  }
  return std::stoll(digits);
}

int64_t parse_id(const std::string& text) {
  if (text.empty() || text.size() > 12) return -1;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
  }
  return std::stoll(text);
}

}  // namespace

int64_t resolve_token(const Json& value, const SpecialIds& ids, const std::string& where) {
  int64_t id = -1;
  if (value.is_number_integer()) {
    id = value.get<int64_t>();
  } else if (value.is_string()) {
    const auto text = value.get<std::string>();
    int64_t index = parse_sentinel_name(text);
    if (index >= 0) {
      T5_CHECK(index < ids.extra_ids, "{}: {} does not exist; the vocabulary has {} extra ids",
               where, text, ids.extra_ids);
      return ids.sentinel(index);
    }
    id = parse_id(text);
  }
  T5_CHECK(id >= 0, "{}: expected a token id or \"<extra_id_N>\", got {}", where, value.dump());
  T5_CHECK(id < ids.vocab_size + ids.extra_ids,
           "{}: token id {} lies outside the vocabulary [0, {})", where, id,
           ids.vocab_size + ids.extra_ids);
  return id;
}

std::string token_text(const Json& value, const std::string& where) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  fail("{}: expected a token id or \"<extra_id_N>\", got {}", where, value.dump());
}

SpecialIds special_ids_of(const SentencePieceVocabulary& vocabulary) {
  SpecialIds ids;
  ids.pad = vocabulary.pad_id();
  ids.eos = vocabulary.eos_id();
  ids.unk = vocabulary.unk_id();
  ids.vocab_size = vocabulary.base_size();
  ids.extra_ids = vocabulary.extra_ids();
  return ids;
}

}  // namespace t5

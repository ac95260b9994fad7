#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace t5 {

// One text-to-text example as token ids: what objectives produce and what
// batching consumes. Each non-empty feature ends with EOS; `inputs` is
// empty for plain language modeling (the whole text is the target).
struct EncodedExample {
  std::vector<int64_t> inputs;
  std::vector<int64_t> targets;

  bool empty() const { return inputs.empty() && targets.empty(); }
  bool operator==(const EncodedExample& other) const {
    return inputs == other.inputs && targets == other.targets;
  }
};

// "inputs=[7 8 1] targets=[3 1]", for logs and test messages.
std::string to_string(const EncodedExample& example);
std::ostream& operator<<(std::ostream& out, const EncodedExample& example);

}  // namespace t5

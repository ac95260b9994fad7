#include "t5/objectives/encoded_example.h"

#include <fmt/format.h>

namespace t5 {

std::string to_string(const EncodedExample& example) {
  return fmt::format("inputs=[{}] targets=[{}]", fmt::join(example.inputs, " "),
                     fmt::join(example.targets, " "));
}

std::ostream& operator<<(std::ostream& out, const EncodedExample& example) {
  return out << to_string(example);
}

}  // namespace t5

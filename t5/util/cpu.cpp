#include "t5/util/cpu.h"

#include <fstream>
#include <sstream>
#include <string>

namespace t5 {

bool cpu_has_fast_bfloat16() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      if (word == "amx_bf16" || word == "avx512_bf16") return true;
    }
    return false;
  }
  return false;
}

}  // namespace t5

#include "t5/util/cpu.h"

#include <malloc.h>

#include <climits>
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

void keep_freed_memory() {
  // Blocks up to 1 GiB come from the heap, and the heap is trimmed only past
  // 2 GiB of free memory at its top.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
}

}  // namespace t5

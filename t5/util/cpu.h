#pragma once

namespace t5 {

// Whether this CPU computes bfloat16 matmuls natively (AMX or AVX512-BF16,
// from /proc/cpuinfo), where bfloat16 training runs faster than float32.
// Without them LibTorch emulates bfloat16 and it runs slower.
bool cpu_has_fast_bfloat16();

}  // namespace t5

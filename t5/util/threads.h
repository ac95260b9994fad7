#pragma once

namespace t5 {

// The thread count to use: `requested` when positive, else the T5_THREADS
// environment variable when set, else every core of the machine (LibTorch's
// own default in Debian's build is 1). Throws t5::Error when T5_THREADS is
// not a positive integer.
int resolve_thread_count(int requested);

// Sets LibTorch's intra-op thread count (and OpenMP's, which OpenBLAS uses)
// to resolve_thread_count(requested); returns the count set.
int configure_threads(int requested);

}  // namespace t5

#!/usr/bin/env bash
# Configures and builds the toolkit into build/ (the command lands at
# build/bin/t5). Installs missing dependencies first. Extra arguments go to
# `cmake --build` (e.g. --target t5).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh

jobs="${T5_BUILD_JOBS:-$(nproc)}"
generator=()
if command -v ninja >/dev/null 2>&1 && [ ! -f build/CMakeCache.txt ]; then
  generator=(-G Ninja)
fi
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE="${T5_BUILD_TYPE:-Release}"
cmake --build build --parallel "$jobs" "$@"

#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# with CTest. T5_DATA_DIR (the public data sets) enables the tests that read
# real data; they are skipped, visibly, without it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/build.sh
if [ -z "${T5_DATA_DIR:-}" ] && [ -d "$root/../shared/datasets" ]; then
  export T5_DATA_DIR="$root/../shared/datasets"
fi
echo "test: T5_DATA_DIR=${T5_DATA_DIR:-<unset: real-data tests will be skipped>}"
cd build
ctest --output-on-failure --parallel "${T5_TEST_JOBS:-$(nproc)}" "$@"

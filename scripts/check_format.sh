#!/usr/bin/env bash
# Fails when a C++ file differs from what clang-format (.clang-format at the
# root) makes of it. Fix with: clang-format -i $(git ls-files '*.h' '*.cpp')
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if ! command -v clang-format >/dev/null 2>&1; then
  echo "check_format: clang-format is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi
files=$(find t5 apps tests bench -name '*.h' -o -name '*.cpp' | sort)
clang-format --dry-run -Werror $files
echo "check_format: $(echo "$files" | wc -l) files formatted"

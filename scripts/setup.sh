#!/usr/bin/env bash
# Installs the toolkit's build and test dependencies from Debian 12's packages.
# Idempotent: packages already installed are skipped, and apt is not touched
# when nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libtorch-dev libsentencepiece-dev sentencepiece
  nlohmann-json3-dev libfmt-dev libspdlog-dev libcli11-dev catch2
  libopenblas0-openmp libgloo-dev clang-format zlib1g-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

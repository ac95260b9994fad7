#!/usr/bin/env bash
# The main job: sets up, builds, checks the data, and runs the quickstart
# sweep (experiments/quickstart.json): a small model pretrained with span
# corruption, prefix LM and deshuffling, plus no pretraining, each
# fine-tuned on SST-2 and MRPC and scored on their dev sets. Prints the
# results table at the end; results land in runs/quickstart/.
#
#   scripts/quickstart.sh [extra `t5 sweep` flags, e.g. --out DIR or --workers 2]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/build.sh --target t5

if [ -z "${T5_DATA_DIR:-}" ] && [ -d "$root/../shared/datasets" ]; then
  export T5_DATA_DIR="$root/../shared/datasets"
fi
if [ -z "${T5_DATA_DIR:-}" ]; then
  echo "quickstart: set T5_DATA_DIR to the data folder (with glue/, pretrain/ and t5/spiece.model)" >&2
  exit 1
fi
for needed in t5/spiece.model glue/SST-2/train.tsv glue/SST-2/dev.tsv glue/MRPC/dev.tsv \
              pretrain/c4; do
  if [ ! -e "$T5_DATA_DIR/$needed" ]; then
    echo "quickstart: $T5_DATA_DIR/$needed is missing; T5_DATA_DIR must hold the data sets" \
         "laid out as ../shared/datasets is" >&2
    exit 1
  fi
done
echo "quickstart: data in $T5_DATA_DIR; running experiments/quickstart.json"
time build/bin/t5 sweep experiments/quickstart.json "$@"

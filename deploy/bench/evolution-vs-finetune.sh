#!/usr/bin/env bash
# Benchmark (not a test): the quickstart stream evolved by µ2Net next to the finetune-all baseline
# at the same compute budget (spec §7 budget matching: one full model per task, trained as long as
# the whole evolutionary budget of one worker slot). Prints per task test accuracy, new and
# activated parameters, and the systems' total parameters.
# Usage: deploy/bench/evolution-vs-finetune.sh [STATES_DIR] [CONFIG]
# Re-running continues unfinished states and reprints the comparison (finished ones do no work).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATES="${1:-$ROOT/state/bench}"
CONFIG="${2:-$ROOT/deploy/configs/quickstart.yaml}"
cd "$ROOT"
deploy/fetch-datasets.sh >/dev/null
start=$(date +%s)
deploy/munet evolve --config "$CONFIG" --state "$STATES/evolved"
mid=$(date +%s)
deploy/munet evolve --config "$CONFIG" --state "$STATES/finetune_all" --baseline finetune_all
end=$(date +%s)
echo
echo "wall time: evolution $((mid - start)) s, finetune_all $((end - mid)) s"
deploy/munet compare --state "$STATES/evolved" --baseline-state "$STATES/finetune_all"

#!/usr/bin/env bash
# Benchmark (not a test): the standard Task-IL streams, Split-MNIST (5 tasks of 2 digits,
# mnist/labels:0-1 ... 8-9) and Permuted-MNIST (mnist and mnist/permuted:1..9), each evolved by µ2Net
# and as the finetune-all baseline at matched compute (evolve --baseline finetune_all), printing per
# stream ACC, BWT, FWT (against the root: accuracy at introduction minus chance), parameters stored
# and compute, next to the published Task-IL figures they are usually compared with.
# The figures come from the accuracy matrix every state records (a test pass of every live path at
# every task end; see the report's "Continual learning" section).
# Usage: deploy/bench/continual.sh [STATES_DIR]   (re-running continues unfinished states)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATES="${1:-$ROOT/state/continual}"
cd "$ROOT"
deploy/fetch-datasets.sh >/dev/null
mkdir -p "$STATES"

declare -A PUBLISHED=(
  [split]="van de Ven & Tolias 2019, Task-IL ACC: joint 99.66, SI 99.1, EWC 98.6, none 87.19"
  [permuted]="van de Ven & Tolias 2019, Task-IL ACC: joint 97.68, SI 94.75, EWC 94.74, none 81.79"
)
declare -A LINES=()
for stream in split permuted; do
  config="deploy/configs/continual-$stream-mnist.yaml"
  for system in evolved finetune_all; do
    state="$STATES/$stream/$system"
    baseline=()
    [[ $system == finetune_all ]] && baseline=(--baseline finetune_all)
    start=$(date +%s)
    deploy/munet evolve --config "$config" --state "$state" "${baseline[@]}" >"$STATES/$stream-$system.log" 2>&1 \
      || { echo "continual: evolve failed, see $STATES/$stream-$system.log" >&2; exit 1; }
    wall=$(($(date +%s) - start))
    line=$(deploy/munet report --state "$state" --out "$STATES/$stream/$system-report" 2>/dev/null | grep '^continual:')
    LINES[$stream-$system]="$line wall ${wall}s"
  done
done
echo
for stream in split permuted; do
  echo "$stream-MNIST (${PUBLISHED[$stream]})"
  for system in evolved finetune_all; do
    awk -v s="$system" '{printf "  %-13s ACC %5.2f  BWT %+.4f  FWT %+.4f  parameters stored %9d  compute %6d core-s  %s\n",
      s, 100 * $3, $5, $7, $9, $11, $12 " " $13}' <<<"${LINES[$stream-$system]}"
  done
done

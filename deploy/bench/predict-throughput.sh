#!/usr/bin/env bash
# Benchmark (not a test): inference throughput on one core of a task's path (default: a fresh tiny
# ViT, the quickstart's architecture; or --state DIR [--task T], e.g. state/quickstart) next to the
# PyTorch peer's eval mode (../shared/bench/pytorch_peer.py, or $MUNET_PEER), alternating, ROUNDS
# rounds, in one run. munet measures batch 256 (the forward pass alone, and the whole prediction
# from stored bytes); the peer's eval mode is fixed at batch 500 (forward and argmax).
# Needs Debian's python3-torch and libopenblas0-pthread (deploy/test-setup.sh installs them).
# Usage: deploy/bench/predict-throughput.sh [ROUNDS] [munet bench-predict options...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-3}"
shift || true
PEER="${MUNET_PEER:-$ROOT/../shared/bench/pytorch_peer.py}"
[[ -f "$PEER" ]] || { echo "predict-throughput: the peer $PEER is missing; set MUNET_PEER" >&2; exit 2; }
"$ROOT/deploy/fetch-datasets.sh" "$ROOT/data" >/dev/null
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
for ((r = 1; r <= ROUNDS; r++)); do
  m=$("$ROOT/deploy/munet" bench-predict --data "$ROOT/data" --batch-size 256 "$@")
  p=$(/usr/bin/python3 "$PEER" "$ROOT/data/mnist" eval 100)
  fwd=$(awk '/^MUNET forward/{print $3}' <<<"$m")
  whole=$(awk '/^MUNET predict/{print $3}' <<<"$m")
  peer=$(awk '/^PEER/{print $3}' <<<"$p")
  [[ $r -eq 1 ]] && head -1 <<<"$m"
  printf 'round %d: munet forward %s images/s, munet predict %s images/s, peer eval %s images/s; forward/peer %s\n' \
    "$r" "$fwd" "$whole" "$peer" "$(awk -v a="$fwd" -v b="$peer" 'BEGIN{printf "%.2f", a/b}')"
done

#!/usr/bin/env bash
# Benchmark (not a test): training throughput of the default tiny ViT (28x28, patch 7, width 64,
# 4 heads, 3 blocks) on real MNIST at batch 128, for one candidate on one core and for two
# candidates on two threads (one intra-op thread each). Prints samples/s. The figures next to the
# PyTorch peer come from deploy/bench/vs-pytorch.sh.
# Usage: deploy/bench/train-throughput.sh [DATA_DIR] [STEPS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_DIR="${1:-$ROOT/data}"
STEPS="${2:-300}"
"$ROOT/deploy/fetch-datasets.sh" "$DATA_DIR" >/dev/null
exec "$ROOT/deploy/munet" bench --data "$DATA_DIR" --steps "$STEPS" --batch-size 128 --mode threads:2

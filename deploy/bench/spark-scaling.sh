#!/usr/bin/env bash
# Benchmark (not a test): one generation of 8 candidates on the loopback standalone cluster with 1
# worker and with 2 workers (1 core each): the generation's wall time, the speedup, and the
# per-candidate overhead (time in the worker that is not training or validation: engine start,
# reading components and data, staging outputs) in seconds and as a fraction of the generation's
# wall time across its task slots.
# Usage: deploy/bench/spark-scaling.sh [STATES_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATES="${1:-$ROOT/state/bench-spark}"
CONFIG="$ROOT/deploy/configs/bench-generation.yaml"
cd "$ROOT"
deploy/fetch-datasets.sh >/dev/null
[[ -f target/classpath.txt && -n "$(ls target/munet-spark-*-app.jar 2>/dev/null)" ]] || mvn -q -B -DskipTests package
rm -rf "$STATES"
mkdir -p "$STATES"

run() { # workers -> prints the generation line
  local workers="$1"
  deploy/cluster/stop.sh >/dev/null 2>&1 || true
  deploy/cluster/start.sh "$workers" 1 3g >/dev/null
  local start end
  start=$(date +%s.%N)
  deploy/submit.sh -- evolve --config "$CONFIG" --state "$STATES/workers-$workers" > "$STATES/workers-$workers.log" 2>&1
  end=$(date +%s.%N)
  deploy/cluster/stop.sh >/dev/null
  local line
  line=$(grep "generation 1/1" "$STATES/workers-$workers.log" | grep -v '^\[' | tail -1)
  echo "$workers $(python3 -c "print($end - $start)") $line"
}

one=$(run 1)
two=$(run 2)
python3 - "$one" "$two" <<'PY'
import re, sys
rows = []
for arg in sys.argv[1:]:
    workers, total, line = arg.split(" ", 2)
    m = re.search(r"generation ([\d.]+)s, per candidate: training ([\d.]+)s, overhead ([\d.]+)s", line)
    gen, train, over = (float(x) for x in m.groups())
    rows.append((int(workers), float(total), gen, train, over))
    print(f"{workers} worker(s): generation of 8 candidates {gen:.1f}s (whole submit {float(total):.1f}s); "
          f"per candidate training {train:.2f}s, overhead {over:.2f}s = "
          f"{100 * over * 8 / (gen * int(workers)):.1f}% of the generation's slot time")
print(f"speedup 2 workers vs 1: {rows[0][2] / rows[1][2]:.2f}x")
PY

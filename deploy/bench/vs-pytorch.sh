#!/usr/bin/env bash
# Benchmark (not a test): munet's training and evaluation next to the same model and step in plain
# PyTorch (../shared/bench/pytorch_peer.py, or $MUNET_PEER), alternating in one run, ROUNDS rounds,
# one core each (one intra-op thread). Modes, as the peer names them:
#   train      finetune-all, batch 128
#   frozen:K   embedding, class token, position embedding and the bottom K blocks frozen, the rest
#              trained. munet measures a generation of 4 such candidates on the same batches, one
#              after another, the frozen prefix computed once and reused (docs/speed.md); it also
#              prints the first candidate's rate and one candidate's alone without reuse.
#   eval       no gradients, batch 500
# and munet's two candidates on two threads against one, munet's full training under MKL's
# strict reproducibility (MKL_CBWR=AUTO,STRICT) against its plain mode (AUTO, the launchers'
# default), and the peer's full training under munet's allocator setting (the GLIBC_TUNABLES of
# deploy/java-flags.sh) against glibc's default, which the peer otherwise runs with. Prints
# samples/s, the ratios per round, and min/median over the rounds.
# Needs Debian's python3-torch and libopenblas0-pthread (deploy/test-setup.sh installs them).
# Usage: deploy/bench/vs-pytorch.sh [ROUNDS] [STEPS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-3}"
STEPS="${2:-300}"
EVAL_STEPS=$((STEPS / 3))
PEER="${MUNET_PEER:-$ROOT/../shared/bench/pytorch_peer.py}"
[[ -f "$PEER" ]] || { echo "vs-pytorch: the peer $PEER is missing; set MUNET_PEER" >&2; exit 2; }
/usr/bin/python3 -c 'import torch' 2>/dev/null \
  || { echo "vs-pytorch: /usr/bin/python3 has no torch; apt-get install python3-torch libopenblas0-pthread" >&2; exit 2; }
"$ROOT/deploy/fetch-datasets.sh" "$ROOT/data" >/dev/null
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
MUNET_TUNABLES="$(unset GLIBC_TUNABLES; source "$ROOT/deploy/java-flags.sh"; echo "$GLIBC_TUNABLES")"
peer() { # the peer as PyTorch users run it, glibc's default allocator settings (PEER_TUNABLES: others)
  env -u GLIBC_TUNABLES ${PEER_TUNABLES:+GLIBC_TUNABLES="$PEER_TUNABLES"} \
    /usr/bin/python3 "$PEER" "$ROOT/data/mnist" "$@" | grep '^PEER'
}
RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS"' EXIT

rate() { # prints the third field of the line starting with $1 in $2
  awk -v tag="$1" '$1 == tag {print $3; exit}' <<<"$2"
}

for ((r = 1; r <= ROUNDS; r++)); do
  for mode in train frozen:1 frozen:2 eval; do
    steps=$STEPS
    [[ $mode == eval ]] && steps=$EVAL_STEPS
    m=$("$ROOT/deploy/munet" bench --data "$ROOT/data" --mode "$mode" --steps "$steps" | grep '^MUNET')
    p=$(peer "$mode" "$steps")
    echo "round $r: $m"
    echo "round $r: $p"
    echo "$r $mode $(rate MUNET "$m") $(rate PEER "$p")" >> "$RESULTS"
    if [[ $mode == frozen:* ]]; then
      alone=$(sed -n 's/.*alone without the cache \([0-9]*\).*/\1/p' <<<"$m")
      echo "$r $mode-alone $alone $(rate PEER "$p")" >> "$RESULTS"
    fi
    if [[ $mode == train ]]; then
      tuned=$(PEER_TUNABLES="$MUNET_TUNABLES" peer train "$steps")
      echo "round $r: with munet's GLIBC_TUNABLES $tuned"
      echo "$r peer-tunables $(rate PEER "$tuned") $(rate PEER "$p")" >> "$RESULTS"
    fi
  done
  t=$("$ROOT/deploy/munet" bench --data "$ROOT/data" --mode threads:2 --steps "$STEPS" | grep '^MUNET')
  echo "round $r: $t"
  echo "$r threads:2 $(rate MUNET "$t") $(sed -n 's/.*one alone \([0-9]*\).*/\1/p' <<<"$t")" >> "$RESULTS"
  plain=$(MKL_CBWR=AUTO "$ROOT/deploy/munet" bench --data "$ROOT/data" --mode train --steps "$STEPS" | grep '^MUNET')
  strict=$(MKL_CBWR=AUTO,STRICT "$ROOT/deploy/munet" bench --data "$ROOT/data" --mode train --steps "$STEPS" | grep '^MUNET')
  echo "round $r: MKL_CBWR=AUTO $plain; MKL_CBWR=AUTO,STRICT $strict"
  echo "$r strict $(rate MUNET "$strict") $(rate MUNET "$plain")" >> "$RESULTS"
done

/usr/bin/python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    _, mode, ours, theirs = line.split()
    rows.setdefault(mode, []).append((float(ours), float(theirs)))
labels = {
    "train": ("munet train", "peer train", "1.3x"),
    "frozen:1": ("munet frozen:1, generation of 4", "peer frozen:1", ""),
    "frozen:1-alone": ("munet frozen:1, alone, no reuse", "peer frozen:1", ""),
    "frozen:2": ("munet frozen:2, generation of 4", "peer frozen:2", "2x"),
    "frozen:2-alone": ("munet frozen:2, alone, no reuse", "peer frozen:2", ""),
    "eval": ("munet eval", "peer eval", "1.3x"),
    "threads:2": ("munet 2 candidates on 2 threads", "munet 1 candidate", "1.9x"),
    "strict": ("munet train, MKL_CBWR=AUTO,STRICT", "munet train, MKL_CBWR=AUTO", ""),
    "peer-tunables": ("peer train, munet's GLIBC_TUNABLES", "peer train, glibc's default", ""),
}
print()
print(f"{'':36} {'ours min/median':>17} {'against min/median':>19} {'ratio min/median':>17}  target")
for mode, (ours, theirs, target) in labels.items():
    if mode not in rows:
        continue
    o = [a for a, _ in rows[mode]]
    t = [b for _, b in rows[mode]]
    q = [a / b for a, b in rows[mode]]
    print(f"{ours:36} {min(o):8.0f}/{statistics.median(o):<8.0f} {min(t):9.0f}/{statistics.median(t):<9.0f}"
          f" {min(q):8.2f}/{statistics.median(q):<8.2f}  {target}   ({theirs})")
PY

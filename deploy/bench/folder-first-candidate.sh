#!/usr/bin/env bash
# Benchmark (not a test): the time from `evolve` start to the first trained candidate for MNIST
# written as an image folder of 60,000 train and 10,000 test PNG files, on the loopback standalone
# cluster with 2 workers (1 core each). That time holds the driver reading the folder (listing and
# decoding every image once, to learn the classes and sizes), Spark starting the executors, each
# executor decoding the task itself once, and the first candidate's training. Prints the phases
# from the driver's log, timed as the lines arrive.
# Usage: deploy/bench/folder-first-candidate.sh [WORK_DIR]
# MVN_FLAGS adds Maven options (e.g. MVN_FLAGS=-o offline).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${1:-$ROOT/state/bench-folder}"
cd "$ROOT"
deploy/fetch-datasets.sh >/dev/null
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} -DskipTests package
FOLDER="$WORK/mnist-png"
if [[ ! -f "$FOLDER/.complete" ]]; then
  rm -rf "$FOLDER"
  # shellcheck disable=SC2086
  mvn -q -B ${MVN_FLAGS:-} dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$ROOT/target/test-classpath.txt" >/dev/null
  java -Xmx2g -Djava.awt.headless=true \
    -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$ROOT/target/test-classpath.txt")" \
    org.munet.data.ExportImageFolder "$ROOT/data" mnist "$FOLDER"
  touch "$FOLDER/.complete"
fi
CONFIG="$WORK/folder.yaml"
cat > "$CONFIG" <<YAML
seed: 0
evolution:
  candidates_per_generation: 2
  samples_per_task: 2
  task_iterations: 1
training:
  validations: 1
  max_train_examples_between_validations: 2560
tasks:
  - {name: mnist_png, path: "$FOLDER", format: image_folder}
YAML
rm -rf "$WORK/state" "$WORK/driver.log"
deploy/cluster/stop.sh >/dev/null 2>&1 || true
deploy/cluster/start.sh 2 1 3g >/dev/null
trap 'deploy/cluster/stop.sh >/dev/null 2>&1 || true' EXIT
start=$(date +%s.%N)
deploy/submit.sh -- evolve --config "$CONFIG" --state "$WORK/state" --max-generations 1 2>&1 \
  | while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done > "$WORK/driver.log"
/usr/bin/python3 - "$start" "$WORK/driver.log" <<'PY'
import re, sys
start = float(sys.argv[1])
first_job = first_task = first_gen = None
for line in open(sys.argv[2], encoding="utf-8"):
    t, _, text = line.partition(" ")
    t = float(t) - start
    if first_job is None and re.search(r"\[spark\] job \d+ started", text):
        first_job = t
    if first_task is None and re.search(r"\[spark\] job \d+: task \d+ \(attempt \d+\)", text):
        first_task = (t, text.strip())
    if first_gen is None and "generation 1/1" in text and not text.startswith("["):
        first_gen = (t, text.strip())
if first_task is None:
    sys.exit("no trained candidate in " + sys.argv[2])
print(f"evolve start -> first generation's job submitted (driver read the folder, executors up): {first_job:.1f}s")
print(f"evolve start -> first trained candidate: {first_task[0]:.1f}s   ({first_task[1]})")
if first_gen:
    print(f"evolve start -> first generation committed: {first_gen[0]:.1f}s   ({first_gen[1]})")
PY

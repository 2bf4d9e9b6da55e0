#!/usr/bin/env bash
# Benchmark (not a test): how the state store scales with tasks and versions. Grows a synthetic
# state with the real evolution engine, StoreStateSink and StateStore, but a stand-in runner that
# trains nothing (seeded random qualities, 64-256 byte component files); a task visit is 19
# generations plus its end-of-task commit, so 1,000 tasks make 20,000 versions. At each point
# (a number of tasks) it prints: commit time per version (p50/p99/max), evolve start-up time (open
# the state, take its lock, EvolveRun.resume), fsck time (incremental and full), bytes on disk per
# directory, live component bytes, manifest files and heap; at the end the growth between the last
# two points and the last point against the targets (at 1,000 tasks: commit < 1 s, start-up < 10 s,
# incremental fsck < 10 s, disk within 2x the live components plus the retained versions).
# Usage: deploy/bench/state-scale.sh [--tasks N] [--points a,b,c] [--state DIR] [--keep-last K]
#        [--keep-all] [--seed S] [--max-seconds T]
# Defaults: --tasks 1000 --points 10,30,100,300,1000 --state target/state-scale (deleted first).
# MVN_FLAGS adds Maven options (e.g. MVN_FLAGS=-o offline); JAVA_OPTS replaces -Xmx4g.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} test-compile
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$ROOT/target/test-classpath.txt" >/dev/null
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--Xmx4g} \
  -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$ROOT/target/test-classpath.txt")" \
  org.munet.run.StateScaleBench "$@"

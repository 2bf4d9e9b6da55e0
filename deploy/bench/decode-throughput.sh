#!/usr/bin/env bash
# Benchmark (not a test): image decode throughput on one core (a single thread) with the JDK's
# ImageIO, as the image-folder reader decodes: PNG and JPEG at 28x28 and 224x224 in colour, and
# 28x28 gray PNG (MNIST-like). Prints a table of images/s per format and size; the reader runs
# one such thread per core.
# Usage: deploy/bench/decode-throughput.sh [IMAGES_PER_CASE] [SECONDS_PER_CASE]
# MVN_FLAGS adds Maven options (e.g. MVN_FLAGS=-o offline).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} test-compile
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$ROOT/target/test-classpath.txt" >/dev/null
exec java -Xmx2g -Djava.awt.headless=true \
  -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$ROOT/target/test-classpath.txt")" \
  org.munet.data.DecodeBench "$@"

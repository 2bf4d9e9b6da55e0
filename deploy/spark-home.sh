#!/usr/bin/env bash
# Assembles a SPARK_HOME from the Maven build: no Spark distribution needed (none can be downloaded
# on these machines; see shared/design/platform-notes.md, "A real multi-JVM Spark cluster").
# Usage: deploy/spark-home.sh [DIR]          (default: target/spark-home; prints DIR's absolute path)
#
#   DIR/jars/   a symlink to every jar on the compile classpath (target/classpath.txt): Spark 4.2.0
#               (Scala 2.13) and its dependencies, plus DJL, libtorch's CPU native jar etc.
#   DIR/conf/   empty: Spark daemons use Spark's built-in defaults; jobs get spark-conf/ through
#               deploy/submit.sh (--properties-file, -Dlog4j2.configurationFile).
#   DIR/RELEASE makes Spark's launcher take DIR/jars as the jar directory (executor classpath).
#   DIR/work/   the Worker's default work dir.
# Idempotent: re-running refreshes jars/ (stale links removed) after a dependency change. The build
# (mvn -q -B -DskipTests package) runs first when target/classpath.txt is missing.
# Check: SPARK_HOME=DIR SPARK_SCALA_VERSION=2.13 java -cp "DIR/jars/*" org.apache.spark.deploy.SparkSubmit --version
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$ROOT/target/spark-home}"
CLASSPATH_FILE="$ROOT/target/classpath.txt"

if [[ ! -f "$CLASSPATH_FILE" ]]; then
  echo "spark-home: building the project first (mvn -q -B -DskipTests package)" >&2
  (cd "$ROOT" && mvn -q -B -DskipTests package) >&2
fi

mkdir -p "$DIR/jars" "$DIR/conf" "$DIR/work"
DIR="$(cd "$DIR" && pwd)"

# Refresh jars/: drop our old links (a version bump would otherwise leave both versions), keep
# anything else a user put there.
find "$DIR/jars" -maxdepth 1 -type l -name '*.jar' -delete
spark_core=""
count=0
IFS=":" read -r -a entries < "$CLASSPATH_FILE" || true  # no final newline: read says 1
for jar in "${entries[@]}"; do
  [[ "$jar" == *.jar ]] || continue
  if [[ ! -f "$jar" ]]; then
    echo "spark-home: $jar (listed in $CLASSPATH_FILE) is missing; rebuild with mvn -B -DskipTests package" >&2
    exit 1
  fi
  name="$(basename "$jar")"
  if [[ -e "$DIR/jars/$name" ]]; then
    echo "spark-home: two classpath jars named $name; keeping the first" >&2
    continue
  fi
  ln -s "$jar" "$DIR/jars/$name"
  count=$((count + 1))
  [[ "$name" == spark-core_2.13-*.jar ]] && spark_core="$name"
done
if [[ -z "$spark_core" ]]; then
  echo "spark-home: no spark-core_2.13 jar in $CLASSPATH_FILE" >&2
  exit 1
fi
version="${spark_core#spark-core_2.13-}"
version="${version%.jar}"

echo "Spark $version assembled from Maven artifacts by munet ($count jars linked from $CLASSPATH_FILE)" > "$DIR/RELEASE"
echo "$DIR"

#!/usr/bin/env bash
# Submits a munet command to a Spark cluster with spark-submit (client deploy mode: the driver is
# this JVM, executors run on the cluster's Workers).
# Usage: deploy/submit.sh [--master URL] [SPARK-SUBMIT OPTIONS...] -- <munet args>
#   e.g. deploy/cluster/start.sh 2 \
#        && deploy/submit.sh -- evolve --config /tmp/smoke.yaml --state /tmp/deploy-cluster \
#        && deploy/cluster/stop.sh
#        deploy/submit.sh --master spark://host:7077 --conf spark.executor.memory=4g -- evolve --config F --state hdfs:///munet/s
# --master defaults to spark://127.0.0.1:7077 (deploy/cluster/start.sh); options other than --master
# before "--" go to spark-submit as they are (--conf K=V, --executor-memory, ...).
#
# What it runs: java <Spark's Java 17 module flags, DJL offline/thread flags, log4j2 config>
#   -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit
#   --class org.munet.cli.Main --properties-file spark-conf/spark-defaults.conf target/munet-spark-*-app.jar
# SPARK_HOME: assembled from the Maven jars by deploy/spark-home.sh when not set (no distribution
# needed); the app jar is built when missing. Executors get DJL's flags from
# spark.executor.extraJavaOptions in spark-conf/spark-defaults.conf.
# Addresses: with a master on this machine (local[N], local-cluster[...], spark://127.0.0.1:PORT or
# spark://localhost:PORT, e.g. the loopback cluster of deploy/cluster/start.sh) the driver binds to
# loopback only: SPARK_LOCAL_IP defaults to 127.0.0.1 and spark.driver.host to SPARK_LOCAL_IP (unless
# --conf or the properties file gives one). With any other master nothing is set: Spark finds this
# host's address itself; set SPARK_LOCAL_IP / --conf spark.driver.host=HOST to choose another.
# Environment: MUNET_DRIVER_MEMORY (driver heap, default 2g), SPARK_LOCAL_IP, MUNET_SPARK_CONF
# (default spark-conf/spark-defaults.conf), MUNET_INTRA_OP_THREADS / MUNET_INTER_OP_THREADS (driver
# side). A local (file:) spark.eventLog.dir is created when missing.
set -euo pipefail

# shellcheck source=deploy/java-flags.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/java-flags.sh"
ROOT="$MUNET_ROOT"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

MASTER="spark://127.0.0.1:7077"
SUBMIT_OPTS=()
while (($#)); do
  case "$1" in
    --) shift; break ;;
    --master) (($# >= 2)) || usage; MASTER="$2"; shift 2 ;;
    --master=*) MASTER="${1#--master=}"; shift ;;
    -h|--help) usage ;;
    *) SUBMIT_OPTS+=("$1"); shift ;;
  esac
done
(($#)) || { echo "submit: no munet command after '--'" >&2; usage; }

PROPERTIES="${MUNET_SPARK_CONF:-$ROOT/spark-conf/spark-defaults.conf}"
[[ -f "$PROPERTIES" ]] || { echo "submit: no properties file $PROPERTIES" >&2; exit 1; }

shopt -s nullglob
jars=("$ROOT"/target/munet-spark-*-app.jar)
if ((${#jars[@]} == 0)); then
  echo "submit: building the application jar first (mvn -q -B -DskipTests package)" >&2
  (cd "$ROOT" && mvn -q -B -DskipTests package) >&2
  jars=("$ROOT"/target/munet-spark-*-app.jar)
fi
shopt -u nullglob
((${#jars[@]} == 1)) || { echo "submit: expected one target/munet-spark-*-app.jar, found: ${jars[*]:-none}" >&2; exit 1; }
APP_JAR="${jars[0]}"

if [[ -z "${SPARK_HOME:-}" ]]; then
  SPARK_HOME="$("$ROOT/deploy/spark-home.sh")"
fi
export SPARK_HOME
export SPARK_SCALA_VERSION=2.13

# submit_conf KEY: KEY's value as spark-submit will see it (the last setting wins, as in
# spark-submit: --conf K=V over the properties file); empty if unset.
submit_conf() {
  local key="$1" value opt i
  value="$(spark_property "$PROPERTIES" "$key")"
  for ((i = 0; i < ${#SUBMIT_OPTS[@]}; i++)); do
    opt="${SUBMIT_OPTS[i]}"
    if [[ "$opt" == --conf || "$opt" == -c ]] && ((i + 1 < ${#SUBMIT_OPTS[@]})); then
      opt="${SUBMIT_OPTS[i + 1]}"
    fi
    opt="${opt#--conf=}"
    [[ "$opt" == "$key"=* ]] && value="${opt#"$key"=}"
  done
  printf '%s' "$value"
}

# A master on this machine: every port of the driver on loopback too (spark-defaults.conf sets no
# address, so that it serves a multi-host cluster unchanged; platform-notes).
case "$MASTER" in
  local | local\[* | local-cluster\[* | spark://127.0.0.1:* | spark://localhost:*)
    export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
    if [[ -z "$(submit_conf spark.driver.host)" ]]; then
      SUBMIT_OPTS+=(--conf "spark.driver.host=$SPARK_LOCAL_IP")
    fi
    ;;
esac

# Spark refuses to start when a local event log dir is missing: create it.
event_dir="$(submit_conf spark.eventLog.dir)"
case "$event_dir" in
  file://*) mkdir -p "${event_dir#file://}" ;;
  /*) mkdir -p "$event_dir" ;;
esac

DRIVER_FLAGS=(
  "-Xmx${MUNET_DRIVER_MEMORY:-2g}"
  "${SPARK_MODULE_FLAGS[@]}"
  "${JIT_FLAGS[@]}"
  "${DJL_FLAGS[@]}"
  -Dlog4j2.configurationFile="$ROOT/spark-conf/log4j2.properties"
)
exec java "${DRIVER_FLAGS[@]}" -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit \
  --master "$MASTER" \
  --class org.munet.cli.Main \
  --properties-file "$PROPERTIES" \
  ${SUBMIT_OPTS[@]+"${SUBMIT_OPTS[@]}"} \
  "$APP_JAR" "$@"

#!/usr/bin/env bash
# Starts a Spark standalone cluster on this machine, on loopback only: one Master and N Workers,
# each a background JVM built from the Maven jars (deploy/spark-home.sh), no Spark distribution.
# Usage: deploy/cluster/start.sh [WORKERS=2] [CORES_PER_WORKER=1] [MEMORY=3g]
#   MEMORY is what each Worker hands out to executors as heap (spark.executor.memory, default 1g);
#   leave room beside it on the machine for libtorch's native memory (~1 GB per executor).
# Then: deploy/submit.sh -- evolve --config FILE --state DIR ; stop with deploy/cluster/stop.sh.
# Loopback only: the daemons bind to 127.0.0.1 (SPARK_LOCAL_IP, --host; executors inherit it from
# their Worker), and deploy/submit.sh binds its driver there too for a spark://127.0.0.1 master
# (spark-conf/spark-defaults.conf names no address, so that it serves a multi-host cluster as is).
# Master spark://127.0.0.1:7077, UI http://127.0.0.1:8080, workers' UIs 8081, 8082, ...
# Pid files and logs: target/cluster/ (MUNET_CLUSTER_DIR); more settings in deploy/cluster/common.sh.
# Idempotent: daemons already running are left alone, missing ones are started. Waits (60 s at most)
# until the Master reports exactly WORKERS alive workers, else fails with the logs' tails.
set -euo pipefail

WORKERS="${1:-2}"
CORES="${2:-1}"
MEMORY="${3:-3g}"
for n in "$WORKERS" "$CORES"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [WORKERS=2] [CORES_PER_WORKER=1] [MEMORY=3g]" >&2; exit 2; }
done
[[ "$MEMORY" =~ ^[1-9][0-9]*[mMgG]$ ]] || { echo "start: MEMORY must look like 3g or 2048m, got '$MEMORY'" >&2; exit 2; }

# shellcheck source=deploy/cluster/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
command -v curl > /dev/null || { echo "start: curl is needed to ask the Master for its workers" >&2; exit 1; }

if [[ -z "${SPARK_HOME:-}" ]]; then
  SPARK_HOME="$("$MUNET_ROOT/deploy/spark-home.sh")"
fi
export SPARK_HOME
export SPARK_SCALA_VERSION=2.13
export SPARK_LOCAL_IP=127.0.0.1
mkdir -p "$CLUSTER_DIR" "$SPARK_HOME/work"

# The Master's REST submission server (port 6066, unauthenticated) is not used: keep it closed.
# Workers delete finished applications' dirs (a 124 MB app jar per executor, plus its logs) after
# MUNET_WORKER_APP_TTL seconds (default 3 days: a few nights of executor logs stay readable).
DAEMON_OPTS=(-Xms256m "-Xmx$DAEMON_MEMORY" "${SPARK_MODULE_FLAGS[@]}"
  -Dspark.worker.cleanup.enabled=true -Dspark.worker.cleanup.appDataTtl="${MUNET_WORKER_APP_TTL:-259200}"
  -Dspark.master.rest.enabled=false)
DAEMON_CP="$SPARK_HOME/conf:$SPARK_HOME/jars/*"

# launch NAME CLASS ARGS...: one daemon in the background, its pid in NAME.pid, output in NAME.log.
launch() {
  local name="$1" class="$2"
  shift 2
  if alive "$CLUSTER_DIR/$name.pid" "$class"; then
    echo "start: $name already running (pid $(cat "$CLUSTER_DIR/$name.pid"))"
    return
  fi
  echo "==== $(date '+%F %T') start.sh: starting $class" >> "$CLUSTER_DIR/$name.log"
  nohup java "${DAEMON_OPTS[@]}" -cp "$DAEMON_CP" "$class" "$@" \
    >> "$CLUSTER_DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$CLUSTER_DIR/$name.pid"
  echo "start: $name pid $! (log $CLUSTER_DIR/$name.log)"
}

fail() {
  echo "start: $1" >&2
  for log in "$CLUSTER_DIR"/*.log; do
    [[ -f "$log" ]] || continue
    echo "---- last lines of $log" >&2
    tail -n 20 "$log" >&2
  done
  echo "start: stop what did start with deploy/cluster/stop.sh" >&2
  exit 1
}

started=$SECONDS
launch master org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_WEBUI_PORT"
for ((i = 1; i <= WORKERS; i++)); do
  launch "worker-$i" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores "$CORES" --memory "$MEMORY" \
    --webui-port "$((WORKER_WEBUI_PORT + i - 1))" "$MASTER_URL"
done

json_url="http://127.0.0.1:$MASTER_WEBUI_PORT/json/"
alive_workers=-1
while ((SECONDS - started < 60)); do
  alive "$CLUSTER_DIR/master.pid" org.apache.spark.deploy.master.Master || fail "the Master exited"
  for ((i = 1; i <= WORKERS; i++)); do
    alive "$CLUSTER_DIR/worker-$i.pid" org.apache.spark.deploy.worker.Worker || fail "worker-$i exited"
  done
  if json="$(curl -fsS --max-time 2 "$json_url" 2> /dev/null)"; then
    alive_workers="$(grep -o '"aliveworkers" *: *[0-9]*' <<< "$json" | grep -o '[0-9]*$' || echo 0)"
    if ((alive_workers == WORKERS)); then
      echo "start: $MASTER_URL up with $WORKERS alive workers x $CORES cores x $MEMORY in $((SECONDS - started)) s (UI http://127.0.0.1:$MASTER_WEBUI_PORT)"
      exit 0
    fi
    if ((alive_workers > WORKERS)); then
      fail "the Master reports $alive_workers alive workers, $WORKERS wanted: run deploy/cluster/stop.sh first"
    fi
  fi
  sleep 1
done
fail "after 60 s the Master ($json_url) reports $alive_workers alive workers, $WORKERS wanted"

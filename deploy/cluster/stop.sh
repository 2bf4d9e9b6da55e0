#!/usr/bin/env bash
# Stops the cluster deploy/cluster/start.sh started: the Workers (which end their executors), then
# the Master, each by its pid file in target/cluster/ (MUNET_CLUSTER_DIR). SIGTERM, then SIGKILL
# after 20 s. Safe to run twice: missing pid files and dead pids are skipped.
# Usage: deploy/cluster/stop.sh
set -euo pipefail

# shellcheck source=deploy/cluster/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# stop NAME CLASS
stop() {
  local name="$1" class="$2" pidfile="$CLUSTER_DIR/$1.pid" pid
  if ! alive "$pidfile" "$class"; then
    rm -f "$pidfile"
    return
  fi
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2> /dev/null || true
  for _ in $(seq 1 40); do
    alive "$pidfile" "$class" || break
    sleep 0.5
  done
  if alive "$pidfile" "$class"; then
    echo "stop: $name (pid $pid) ignored SIGTERM for 20 s: SIGKILL" >&2
    kill -KILL "$pid" 2> /dev/null || true
  fi
  rm -f "$pidfile"
  echo "stop: $name (pid $pid) stopped"
}

shopt -s nullglob
for pidfile in "$CLUSTER_DIR"/worker-*.pid; do
  name="$(basename "$pidfile" .pid)"
  stop "$name" org.apache.spark.deploy.worker.Worker
done
stop master org.apache.spark.deploy.master.Master

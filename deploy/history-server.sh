#!/usr/bin/env bash
# Starts a Spark History Server on munet's event logs, in the foreground (Ctrl-C stops it), from the
# Maven jars like deploy/cluster/start.sh (deploy/spark-home.sh; no Spark distribution) plus munet's
# own classes, which rebuild each finished run's µ2Net tab from its event log
# (org.munet.spark.ui.MunetHistoryServerPlugin, found through META-INF/services).
# Usage: deploy/history-server.sh [EVENT_LOG_DIR]
#   EVENT_LOG_DIR        default: spark.eventLog.dir of spark-conf/spark-defaults.conf (or MUNET_SPARK_CONF)
#   MUNET_HISTORY_PORT   the UI's port (default 18080): http://127.0.0.1:18080/, then an application,
#                        then its µ2Net tab (http://127.0.0.1:18080/history/APP_ID/munet/)
#   MUNET_HISTORY_MEMORY the daemon's heap (default 1g)
# Binds to SPARK_LOCAL_IP (default 127.0.0.1): nothing listens beyond loopback by default.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=deploy/java-flags.sh
source "$ROOT/deploy/java-flags.sh"

PROPERTIES="${MUNET_SPARK_CONF:-$ROOT/spark-conf/spark-defaults.conf}"
LOG_DIR="${1:-$(event_log_dir "$PROPERTIES")}"
[[ -n "$LOG_DIR" ]] || { echo "history-server: no EVENT_LOG_DIR given and no spark.eventLog.dir in $PROPERTIES" >&2; exit 1; }
# A bare path is a local folder.
[[ "$LOG_DIR" == *://* || "$LOG_DIR" == *:/* ]] || LOG_DIR="file://$(cd "$LOG_DIR" && pwd)"
if [[ "$LOG_DIR" == file:* ]]; then
  mkdir -p "${LOG_DIR#file:}"
fi

if [[ -z "${SPARK_HOME:-}" ]]; then
  SPARK_HOME="$("$ROOT/deploy/spark-home.sh")"
fi
export SPARK_HOME
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
CLASSES="$ROOT/target/classes"
[[ -d "$CLASSES/org/munet/spark/ui" ]] || (cd "$ROOT" && mvn -q -B -DskipTests compile) >&2

PORT="${MUNET_HISTORY_PORT:-18080}"
echo "history-server: $LOG_DIR on http://$SPARK_LOCAL_IP:$PORT/ (the µ2Net tab: /history/APP_ID/munet/)" >&2
exec java -Xms256m "-Xmx${MUNET_HISTORY_MEMORY:-1g}" "${SPARK_MODULE_FLAGS[@]}" \
  -Dlog4j2.configurationFile="$ROOT/spark-conf/log4j2.properties" \
  -Dspark.history.fs.logDirectory="$LOG_DIR" -Dspark.history.ui.port="$PORT" \
  -cp "$CLASSES:$SPARK_HOME/conf:$SPARK_HOME/jars/*" org.apache.spark.deploy.history.HistoryServer

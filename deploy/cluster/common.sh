# shellcheck shell=bash
# shellcheck disable=SC2034  # sourced: the variables are used by the scripts that source this file
# Shared by deploy/cluster/start.sh and stop.sh (sourced). Settings, all optional:
#   MUNET_CLUSTER_DIR        pid files and logs (default: target/cluster)
#   SPARK_HOME               default: assembled by deploy/spark-home.sh into target/spark-home
#   MUNET_MASTER_PORT        7077      MUNET_MASTER_WEBUI_PORT  8080
#   MUNET_WORKER_WEBUI_PORT  8081 (worker i gets 8081+i-1)
#   MUNET_DAEMON_MEMORY      heap of the Master and Worker daemons themselves (default 1g, as Spark's
#                            SPARK_DAEMON_MEMORY); executors' memory is the Worker's --memory.
#   MUNET_WORKER_APP_TTL     seconds a finished application's work dir is kept (default 259200)
# Every daemon binds to 127.0.0.1 only (SPARK_LOCAL_IP and --host).

# shellcheck source=deploy/java-flags.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/java-flags.sh"

CLUSTER_DIR="${MUNET_CLUSTER_DIR:-$MUNET_ROOT/target/cluster}"
MASTER_PORT="${MUNET_MASTER_PORT:-7077}"
MASTER_WEBUI_PORT="${MUNET_MASTER_WEBUI_PORT:-8080}"
WORKER_WEBUI_PORT="${MUNET_WORKER_WEBUI_PORT:-8081}"
DAEMON_MEMORY="${MUNET_DAEMON_MEMORY:-1g}"
MASTER_URL="spark://127.0.0.1:$MASTER_PORT"

# alive PIDFILE CLASS: true when the pid in PIDFILE is a running JVM of CLASS (not a reused pid).
alive() {
  local pidfile="$1" class="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- " $class " || return 1
}

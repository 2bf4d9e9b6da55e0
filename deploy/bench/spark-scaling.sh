#!/usr/bin/env bash
# Benchmark (not a test): one generation of 8 candidates on the loopback standalone cluster with 1
# worker and with 2 workers (1 core each): the generation's wall time, the speedup, and where the
# 2-worker generation's time goes.
#
# Per round and cluster size it prints:
#   - each generation's wall time (the engine's own figure: the Spark job that trains the 8
#     candidates) and the whole submit's (JVM starts, Spark start-up, executors, warm-up, test pass);
#   - the warm-up line: how long the executors took to register and to start their engines and read
#     the task's data (once per application, before the first generation, not inside it);
#   - the generation's job from the Spark event log: its wall = ideal (the sum of its task times /
#     the slots) + each slot's idle time (mean over the slots) before its first task (executors
#     registering, Spark's scheduling), after its last (waiting for another slot's last candidate:
#     imbalance) and between its tasks (Spark's gaps); each executor's busy time and tasks; the mean
#     task time (with 2 workers the candidates share the machine's 2 cores with the driver, the
#     daemons and the executors' JIT compilers, so each trains somewhat slower than alone); the
#     task threads' CPU-seconds and the seconds they waited for a core (Spark's task metrics);
#   - with PROFILE=1, where the machine's CPU time went during the generation (sampled from /proc
#     every second: the executors' task threads, their JIT compilers, GC, the driver, everything
#     else, idle). The sampler runs on the cores it measures, so a speedup is read from runs
#     without it;
#   - the per-candidate overhead (time in the worker that is not training or validation: reading
#     components, staging outputs) in seconds and as a fraction of the generation's slot time.
# Then the speedup of each generation and of the whole submit; with RUNS=N (default 1) N rounds and
# their min/median (rounds alternate which cluster size runs first, see below).
# GENERATIONS=2 (default 1) trains a second generation (the first one's children) in the same
# application: fresh executor JVMs compile the training code (JIT) during the first generation, which
# a 1-worker run does on the idle second core and a 2-worker run on the cores that train; the second
# generation shows the steady state of a nightly run's later generations.
# Usage: [RUNS=N] [GENERATIONS=1|2] [PROFILE=1] deploy/bench/spark-scaling.sh [STATES_DIR]
# Needs the machine to itself: on a shared one serialise with other benchmarks (e.g. flock).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATES="${1:-$ROOT/state/bench-spark}"
CONFIG="$ROOT/deploy/configs/bench-generation.yaml"
RUNS="${RUNS:-1}"
GENERATIONS="${GENERATIONS:-1}"
PROFILE="${PROFILE:-0}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "spark-scaling: RUNS must be a positive number, got '$RUNS'" >&2; exit 2; }
[[ "$GENERATIONS" =~ ^[12]$ ]] || { echo "spark-scaling: GENERATIONS must be 1 or 2, got '$GENERATIONS'" >&2; exit 2; }
cd "$ROOT"
deploy/fetch-datasets.sh >/dev/null
[[ -f target/classpath.txt && -n "$(ls target/munet-spark-*-app.jar 2>/dev/null)" ]] || mvn -q -B -DskipTests package
rm -rf "$STATES"
mkdir -p "$STATES"
if ((GENERATIONS > 1)); then
  sed "s/^  samples_per_task: 8$/  samples_per_task: $((8 * GENERATIONS))/" "$CONFIG" > "$STATES/bench-generation.yaml"
  grep -q "samples_per_task: $((8 * GENERATIONS))" "$STATES/bench-generation.yaml"
  CONFIG="$STATES/bench-generation.yaml"
fi

# Samples the CPU time of every process (and of the executors' and the driver's threads) every
# second: "epoch_ms key ticks name" lines; "all" lines are /proc/stat's cpu line.
SAMPLER='
import os, sys, time
out = open(sys.argv[1], "w")
names = {}
def stat(path):
    with open(path) as f:
        st = f.read()
    rest = st[st.rindex(")") + 2:].split()
    return st[st.index("(") + 1:st.rindex(")")], int(rest[11]) + int(rest[12])
while True:
    now = int(time.time() * 1000)
    with open("/proc/stat") as f:
        out.write(f"{now} all 0 " + " ".join(f.readline().split()[1:]) + "\n")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            comm, ticks = stat(f"/proc/{pid}/stat")
            if names.get(pid, (None,))[0] != comm:  # new, or another program (submit.sh execs java)
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read().decode(errors="replace")
                names[pid] = (comm, next((k for k in ("CoarseGrainedExecutorBackend", "SparkSubmit") if k in cmd),
                                         comm))
            name = names[pid][1]
            out.write(f"{now} {pid} {ticks} {name}\n")
            if name in ("CoarseGrainedExecutorBackend", "SparkSubmit"):
                for tid in os.listdir(f"/proc/{pid}/task"):
                    try:
                        tname, tticks = stat(f"/proc/{pid}/task/{tid}/stat")
                        out.write(f"{now} {pid}.{tid} {tticks} {name}:{tname}\n")
                    except OSError:
                        pass
        except (OSError, ValueError):
            pass
    out.flush()
    time.sleep(1)
'

run() { # round workers -> prints "workers seconds state-dir"
  local round="$1" workers="$2"
  local dir="$STATES/run-$round/workers-$workers"
  mkdir -p "$dir/events"
  deploy/cluster/stop.sh >/dev/null 2>&1 || true
  deploy/cluster/start.sh "$workers" 1 3g >/dev/null
  local start end
  local sampler=""
  if [[ "$PROFILE" == 1 ]]; then
    python3 -c "$SAMPLER" "$dir/cpu.txt" &
    sampler=$!
  fi
  start=$(date +%s.%N)
  # An uncompressed event log of its own, which the report below reads.
  deploy/submit.sh --conf "spark.eventLog.dir=file://$dir/events" --conf spark.eventLog.compress=false \
    -- evolve --config "$CONFIG" --state "$dir/state" > "$dir/log" 2>&1
  end=$(date +%s.%N)
  [[ -z "$sampler" ]] || kill "$sampler"
  deploy/cluster/stop.sh >/dev/null
  echo "$workers $(python3 -c "print($end - $start)") $dir"
}

rounds=()
# The machine's speed drifts by more than the effect measured (the same 8 candidates took 37.6 and
# 44.7 CPU-seconds on one worker 3 minutes apart), so the rounds alternate which cluster size runs
# first (1, 2, then 2, 1, ...): a drift that slows or speeds the later run of a round then errs both
# ways over the rounds instead of one way in all of them.
for ((r = 1; r <= RUNS; r++)); do
  if ((r % 2)); then
    rounds+=("$(run "$r" 1)" "$(run "$r" 2)")
  else
    rounds+=("$(run "$r" 2)" "$(run "$r" 1)")
  fi
done

python3 - "${rounds[@]}" <<'PY'
import glob, json, os, re, statistics, sys

def generation_jobs(events_dir):
    """Each generation's Spark job from the event log, in order: wall, per-slot idle, busy times."""
    jobs, stage_job, tasks = {}, {}, []
    for f in sorted(glob.glob(events_dir + "/**/events_*", recursive=True)):
        for line in open(f, encoding="utf-8"):
            e = json.loads(line)
            kind = e["Event"]
            if kind == "SparkListenerJobStart":
                desc = (e.get("Properties") or {}).get("spark.job.description", "")
                jobs[e["Job ID"]] = {"desc": desc, "start": e["Submission Time"], "end": None}
                for s in e["Stage IDs"]:
                    stage_job[s] = e["Job ID"]
            elif kind == "SparkListenerJobEnd":
                jobs[e["Job ID"]]["end"] = e["Completion Time"]
            elif kind == "SparkListenerTaskEnd":
                ti, m = e["Task Info"], e.get("Task Metrics") or {}
                tasks.append((stage_job.get(e["Stage ID"]), ti["Launch Time"], ti["Finish Time"], ti["Executor ID"],
                              m.get("Executor Run Time", 0) / 1000, m.get("Executor CPU Time", 0) / 1e9))
    out = []
    for j in sorted(j for j, v in jobs.items() if " generation " in v["desc"] and v["end"]):
        start, end = jobs[j]["start"], jobs[j]["end"]
        mine = [t for t in tasks if t[0] == j]
        busy, count, first, last = {}, {}, {}, {}
        for _, launch, finish, ex, _, _ in mine:
            busy[ex] = busy.get(ex, 0) + (finish - launch) / 1000
            count[ex] = count.get(ex, 0) + 1
            first[ex] = min(first.get(ex, launch), launch)
            last[ex] = max(last.get(ex, 0), finish)
        slots = len(busy)
        # Each slot's idle time in the job's wall, split: before its first task, after its last one,
        # between its tasks; averaged over the slots: wall = ideal + before + after + between, exactly.
        before = sum((first[e] - start) / 1000 for e in busy) / slots
        after = sum((end - last[e]) / 1000 for e in busy) / slots
        ideal = sum(busy.values()) / slots
        wall = (end - start) / 1000
        out.append({"start": start, "end": end, "wall": wall, "ideal": ideal, "before": before, "after": after,
                    "between": wall - ideal - before - after, "busy": busy, "count": count,
                    "mean_task": sum(busy.values()) / len(mine), "slots": slots,
                    # The task threads' own CPU time, and how long they were runnable without a core
                    # (run time minus CPU time): drift-prone, but the same measure on 1 and 2 workers.
                    "task_cpu": sum(t[5] for t in mine), "task_wait": sum(t[4] - t[5] for t in mine)})
    return out

def cpu_breakdown(path, start, end):
    """CPU seconds by consumer between start and end (epoch ms), from the sampler's file."""
    before, after, names, all0, all1 = {}, {}, {}, None, None
    for line in open(path, encoding="utf-8"):
        t, key, ticks, rest = line.split(" ", 3)
        t = int(t)
        if key == "all":
            v = [int(x) for x in rest.split()]
            if t <= start:
                all0 = v
            if t <= end:
                all1 = v
            continue
        names[key] = rest.strip()
        if t <= start:
            before[key] = int(ticks)
        if t <= end:
            after[key] = int(ticks)
    hz = os.sysconf("SC_CLK_TCK")
    groups = {}
    for key, ticks in after.items():
        name = names[key]
        if "." in key:  # a thread of an executor or of the driver
            owner, thread = name.split(":", 1)
            if owner == "SparkSubmit":
                continue  # the driver's process line counts it
            if thread.startswith("Executor task"):
                group = "executors' task threads (training)"
            elif "Compiler" in thread:
                group = "executors' JIT compilers"
            elif thread.startswith(("GC ", "G1 ")):
                group = "executors' GC"
            else:
                group = "executors' other threads"
        elif name == "CoarseGrainedExecutorBackend":
            continue  # its threads count it
        elif name == "SparkSubmit":
            group = "driver"
        else:
            group = "other processes"
        groups[group] = groups.get(group, 0) + (ticks - before.get(key, 0)) / hz
    if all0 and all1:
        groups["idle"] = (all1[3] - all0[3]) / hz
    return groups

rows = []
for arg in sys.argv[1:]:
    workers, total, d = arg.split(" ", 2)
    workers, total = int(workers), float(total)
    log = open(d + "/log", encoding="utf-8").read()
    gens = [tuple(float(x) for x in m) for m in re.findall(
        r"generation \d+/\d+ .*\(generation ([\d.]+)s, per candidate: training ([\d.]+)s, overhead ([\d.]+)s\)", log)]
    warm = re.search(r"^\[spark\] warm-up: (.*)$", log, re.M)
    jobs = generation_jobs(d + "/events")
    rows.append((workers, total, [g[0] for g in gens]))
    print(f"{workers} worker(s): whole submit {total:.1f}s")
    if warm:
        print(f"    warm-up (before the first generation): {warm.group(1)}")
    for i, (gen, train, over) in enumerate(gens):
        print(f"  generation {i + 1} of 8 candidates {gen:.1f}s; per candidate training {train:.2f}s, overhead "
              f"{over:.2f}s = {100 * over * 8 / (gen * workers):.1f}% of the generation's slot time")
        if i < len(jobs):
            b = jobs[i]
            per_exec = ", ".join(f"executor {e}: {b['busy'][e]:.1f}s busy, {b['count'][e]} tasks"
                                 for e in sorted(b["busy"]))
            print(f"    job {b['wall']:.1f}s = ideal {b['ideal']:.1f}s (task time / {b['slots']} slot(s)) + slot idle "
                  f"(mean per slot) before its first task {b['before']:.2f}s, after its last {b['after']:.2f}s, "
                  f"between tasks {b['between']:.2f}s")
            print(f"    {per_exec}; mean task {b['mean_task']:.2f}s; task threads {b['task_cpu']:.1f} CPU-seconds, "
                  f"{b['task_wait']:.2f}s waiting for a core (run time minus CPU time)")
            if os.path.exists(d + "/cpu.txt"):
                g = cpu_breakdown(d + "/cpu.txt", b["start"], b["end"])
                available = os.cpu_count() * b["wall"]
                print(f"    CPU seconds of the machine's {os.cpu_count()} cores during the job ({available:.1f} "
                      f"available): " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(g.items(), key=lambda kv: -kv[1])))
                if g.get("other processes", 0) > 0.05 * available:
                    print(f"    DISTURBED: other processes took {g['other processes']:.1f} CPU seconds during this "
                          f"generation; its time and the speedups computed from it are not this benchmark's")
speedups = {}
submit_speedups = []
for i in range(0, len(rows), 2):
    one, two = sorted(rows[i:i + 2])  # a round's two runs, 1 worker first whichever ran first
    submit_speedups.append(one[1] / two[1])
    parts = []
    for g, (a, b) in enumerate(zip(one[2], two[2])):
        speedups.setdefault(g, []).append(a / b)
        parts.append(f"generation {g + 1} {a / b:.2f}x")
    print(f"round {i // 2 + 1}: speedup 2 workers vs 1: {', '.join(parts)}; whole submit {submit_speedups[-1]:.2f}x")
if len(submit_speedups) > 1:
    for g, values in speedups.items():
        print(f"generation {g + 1} speedup over {len(values)} rounds: min {min(values):.2f}x, "
              f"median {statistics.median(values):.2f}x")
    print(f"whole submit speedup: min {min(submit_speedups):.2f}x, median {statistics.median(submit_speedups):.2f}x")
PY

# shellcheck shell=bash
# shellcheck disable=SC2034  # sourced: the variables are used by the scripts that source this file
# JVM flags shared by every munet launcher script (deploy/munet, deploy/submit.sh, deploy/cluster/*).
# Usage (sourced, never executed):  source "$(dirname "${BASH_SOURCE[0]}")/java-flags.sh"
#
# Defines:
#   SPARK_MODULE_FLAGS  Spark's Java 17 module flags (org.apache.spark.launcher.JavaModuleOptions,
#                       plus the 4.x extras). Every JVM started by hand needs them: driver, Master,
#                       Worker, SparkSubmit. Executors launched by a Worker get them from Spark.
#   DJL_FLAGS           DJL offline mode and libtorch thread counts (MUNET_INTRA_OP_THREADS,
#                       MUNET_INTER_OP_THREADS, default 1 each: one model per core is fastest).
#   JIT_FLAGS           the JIT compiler's tiers (C1 only; MUNET_JIT_FLAGS overrides), for the
#                       driver and a local run.
#   MUNET_ROOT          the checkout this file belongs to.
#   spark_property FILE KEY  prints KEY's value as FILE (a spark-defaults.conf) sets it (empty if unset).
#   event_log_dir FILE  prints spark.eventLog.dir as FILE sets it.
# Exports MKL_CBWR (MKL's reproducible kernels) and GLIBC_TUNABLES (glibc's allocator keeps freed
# memory), each unless already set.
# See shared/design/platform-notes.md, "Spark on Java 17" and "DJL offline".

MUNET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

SPARK_MODULE_FLAGS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
  --enable-native-access=ALL-UNNAMED
)

# With the libtorch native jar on the classpath nothing is downloaded; offline mode turns an
# accidental download attempt into a clear error.
DJL_FLAGS=(
  -Dai.djl.offline=true
  -Dai.djl.pytorch.num_threads="${MUNET_INTRA_OP_THREADS:-1}"
  -Dai.djl.pytorch.num_interop_threads="${MUNET_INTER_OP_THREADS:-1}"
)

# The JVM's optimising compiler (C2) spent 3-4 CPU-seconds per fresh JVM compiling munet's code,
# on the cores that train: on a 2-core machine that was most of what kept a 2-worker generation
# from 1.8x. The Java side of a training step is orchestration (libtorch does the arithmetic), and
# with the quick compiler alone (C1) training is as fast, for 2.3 CPU-seconds less per 300 steps
# (docs/speed.md). Executors get it from spark.executor.extraJavaOptions. MUNET_JIT_FLAGS replaces
# it (MUNET_JIT_FLAGS= brings C2 back, e.g. for a driver that decodes large image folders itself).
# shellcheck disable=SC2206  # flags are words
JIT_FLAGS=(${MUNET_JIT_FLAGS--XX:TieredStopAtLevel=1})
# MKL (inside libtorch) picks kernels at run time unless its Conditional Numerical Reproducibility
# (CNR) is on; without it, the same candidate trained in two processes differs in the last bits, and
# an evolution run on a cluster would not reproduce a local one. CNR's plain mode (AUTO: the best
# code branch for this CPU, fixed) reproduces bits for the same thread count and 64-byte aligned
# operands, and munet's operands are aligned (nn/BatchArrays); its strict mode (AUTO,STRICT) drops
# the alignment condition for 7-10% of training speed (docs/speed.md). Executors get it from
# spark.executorEnv.MKL_CBWR.
export MKL_CBWR="${MKL_CBWR:-AUTO}"
# glibc's allocator gives freed memory back to the kernel as soon as 128 KB lie free at the top of
# a thread's arena (until, in a long run, it raises its thresholds by itself), so each training
# step's activations, freed at the end of the step, fault their pages in again (zeroed by the
# kernel) in the next: over 2,000 page faults a step, and steps 12-16% slower in a fresh JVM.
# Keeping up to 256 MB of free memory per arena, and serving blocks up to 32 MB from the arenas,
# ends that (same bits, docs/speed.md). Executors get it from spark.executorEnv.GLIBC_TUNABLES.
# A GLIBC_TUNABLES of your own replaces it.
export GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=33554432}"

# A key's value in a spark-defaults.conf (Java properties: "key value", "key=value" or "key: value";
# the last line wins, as in Spark).
spark_property() {
  local key="${2//./\\.}"
  sed -n "s/^[[:space:]]*${key}[[:space:]=:]\{1,\}\([^[:space:]]*\).*/\1/p" "$1" | tail -n 1
}

# Spark refuses to start when a local event log folder is missing; launchers create it from this.
event_log_dir() {
  spark_property "$1" spark.eventLog.dir
}

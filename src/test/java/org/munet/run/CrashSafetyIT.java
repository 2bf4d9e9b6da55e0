package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.store.HadoopConf;
import org.munet.store.StateReport;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import org.munet.worker.LocalCandidateRunner;

/**
 * Fault injection: {@code evolve} is killed with SIGKILL over and over, each time right after it
 * enters a phase of a generation (sampling, training, staging, the commit's promotion, the
 * manifest rename, the garbage collection's manifest and component deletions), and started again. After every kill the state verifies (only crash leftovers,
 * no damage) and no committed version was lost; at the end the system is the one an uninterrupted
 * run builds. {@link CrashHarness} does the killing; {@link CrashSafetyHdfsIT} does the same on HDFS.
 */
class CrashSafetyIT {

    /** The phases a kill lands in, in turn; {@link CrashSafetyHdfsIT} kills in each of them too. */
    static final List<String> PHASES = List.of("sampling", "training", "staging", "commit",
            "commit-manifest", "collect", "collect-components");
    private static final int KILLS = 28;

    /**
     * The run both crash tests kill: three tasks, so that every phase comes round again and again, and
     * only the last version kept besides the task ends, so that nearly every commit collects garbage
     * (the "collect" phases: dropped manifests deleted, then the component files only they used).
     */
    static Path config(Path dir) throws java.io.IOException {
        Path config = TinyRuns.config(dir, "crash.yaml",
                List.of("mnist/labels:0-4", "fashion_mnist/labels:0-4", "mnist/labels:5-9"), 4, 2);
        Files.writeString(config, "state:\n  keep_last_versions: 1\n", java.nio.file.StandardOpenOption.APPEND);
        return config;
    }

    /** The system an uninterrupted run builds, in {@code dir}, in this JVM. */
    static String uninterrupted(Path config, Path dir) {
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, dir.toString(), null, null, runner, ProgressListener.NONE);
        }
        return CrashHarness.fingerprint(dir.toString(), HadoopConf.forThisJvm());
    }

    @Test
    void killedAgainAndAgainLosesNothing(@TempDir Path dir) throws Exception {
        long start = System.nanoTime();
        Path config = config(dir);
        Path state = dir.resolve("state");
        Configuration conf = HadoopConf.forThisJvm();
        StateStore store = StateStore.open(state.toString(), conf);
        CrashHarness harness = new CrashHarness(config, state.toString(), store, List.of(),
                Files.createDirectory(dir.resolve("logs")));
        CrashHarness.Kills kills = harness.killAgainAndAgain(PHASES, KILLS, new Random(20261129));
        assertTrue(kills.total() >= 20, "only " + kills.total() + " kills happened before the run ended");
        assertTrue(kills.byPhase().keySet().containsAll(PHASES), kills.byPhase().toString());

        // The last run goes to the end; the result is the uninterrupted run's system.
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, state.toString(), null, null, runner, ProgressListener.NONE);
        }
        StateReport end = StateVerifier.verify(store);
        assertTrue(end.healthy(), end.lines().toString());
        assertEquals(List.of(), end.leftovers(), "a finished run leaves nothing behind");
        assertEquals(uninterrupted(config, dir.resolve("uninterrupted")), CrashHarness.fingerprint(state.toString(),
                conf), "killed runs must build the same system");
        CrashHarness.lap("CrashSafetyIT", start, "total");
    }
}

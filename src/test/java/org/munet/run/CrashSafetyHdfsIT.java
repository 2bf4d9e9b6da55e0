package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.store.StateReport;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import org.munet.testing.HdfsCluster;

/**
 * {@link CrashSafetyIT}'s fault injection with the state on a real HDFS: a MiniDFSCluster in this JVM,
 * which each child {@code evolve} reaches by its {@code hdfs://127.0.0.1:PORT} URI. A SIGKILL there
 * also leaves files open for write under the dead client's lease (the lock, a temporary manifest, a
 * staged component), which the next run must get past. Fewer kills than the local test, two in each
 * of {@link CrashSafetyIT#PHASES}, to keep the build short; then a run to the end, which must build the
 * system an uninterrupted run builds.
 */
class CrashSafetyHdfsIT {

    /**
     * The children's Hadoop keys, as a run is given them (spark.hadoop.*, store/HadoopConf): one
     * replica (the cluster has one DataNode), and closing a file polls the NameNode from 5 ms rather
     * than 400 ms (as HdfsCluster's own client does), which only shortens the wait.
     */
    private static final List<String> CHILD_HADOOP_KEYS = List.of("-Dspark.hadoop.dfs.replication=1",
            "-Dspark.hadoop.dfs.client.block.write.locateFollowingBlock.initial.delay.ms=5");

    @Test
    void killedAgainAndAgainOnHdfsLosesNothing(@TempDir Path dir) throws Exception {
        long start = System.nanoTime();
        Path config = CrashSafetyIT.config(dir);
        int kills = 2 * CrashSafetyIT.PHASES.size();
        try (HdfsCluster hdfs = HdfsCluster.start(Path.of("target", "hdfs",
                "CrashSafetyHdfsIT-" + ProcessHandle.current().pid()))) {
            CrashHarness.lap("CrashSafetyHdfsIT", start, "HDFS up at " + hdfs.uri());
            String state = hdfs.uri("/munet/crash-state");
            Configuration conf = hdfs.fs().getConf();
            StateStore store = StateStore.open(state, conf);
            CrashHarness harness = new CrashHarness(config, state, store, CHILD_HADOOP_KEYS,
                    Files.createDirectory(dir.resolve("logs")));

            CrashHarness.Kills done = harness.killAgainAndAgain(CrashSafetyIT.PHASES, kills, new Random(20261207));
            assertEquals(kills, done.total(), "kills before the run ended: " + done.byPhase());
            assertEquals(CrashSafetyIT.PHASES.stream().sorted().toList(), List.copyOf(done.byPhase().keySet()),
                    "a kill in every phase");
            CrashHarness.lap("CrashSafetyHdfsIT", start, kills + " kills");

            harness.runToEnd(dir.resolve("logs").resolve("final.log"));
            StateReport end = StateVerifier.verify(store);
            assertTrue(end.healthy(), end.lines().toString());
            assertEquals(List.of(), end.leftovers(), "a finished run leaves nothing behind");
            assertFalse(hdfs.fs().exists(store.layout().lock()), "the last run released the lock");
            CrashHarness.lap("CrashSafetyHdfsIT", start, "run to the end");

            assertEquals(CrashSafetyIT.uninterrupted(config, dir.resolve("uninterrupted")),
                    CrashHarness.fingerprint(state, conf), "killed runs on HDFS must build the same system");
        }
        CrashHarness.lap("CrashSafetyHdfsIT", start, "total");
    }
}

package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.store.StateStore;
import org.munet.testing.ChildJvm;
import org.munet.worker.LocalCandidateRunner;

/**
 * kill -9 of {@code evolve} in the middle of a generation, then the same command again: the run
 * continues from the last committed generation and ends in a consistent state.
 */
class ResumeTest {

    @Test
    void killedRunContinuesFromLastCommittedGeneration(@TempDir Path dir) throws Exception {
        Path config = TinyRuns.config(dir, "resume.yaml", List.of("mnist", "fashion_mnist"), 6, 1);
        Path state = dir.resolve("state");
        List<String> cmd = new ArrayList<>(ChildJvm.command("-Xmx1g"));
        cmd.addAll(List.of("org.munet.cli.Main", "evolve", "--config", config.toString(), "--state",
                state.toString(), "--workers", "2"));
        Process evolve = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed-run.log").toFile()).start();
        StateStore store = StateStore.open(state.toString(), new Configuration());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        long killedAt = -1;
        while (System.nanoTime() < deadline && evolve.isAlive()) {
            OptionalLong v = Files.isDirectory(state.resolve("manifest")) ? store.latestVersion() : OptionalLong.empty();
            // version 1 = root; 2 and 3 = two generations of mnist: the third one is now training
            if (v.isPresent() && v.getAsLong() >= 3) {
                Thread.sleep(300);
                killedAt = store.latestVersion().getAsLong();
                evolve.destroyForcibly(); // SIGKILL: no shutdown hook, lock and staging left behind
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(evolve.waitFor(1, TimeUnit.MINUTES));
        assertTrue(killedAt >= 3, "the run was killed mid-way (log: "
                + Files.readString(dir.resolve("killed-run.log")) + ")");
        assertTrue(Files.exists(state.resolve("lock")), "a killed run leaves its lock behind");

        long finalVersionIfUninterrupted = 1 + 2 * (3 + 1); // root + per task: 3 generations + end
        assertTrue(killedAt < finalVersionIfUninterrupted, "killed before the end: version " + killedAt);

        EvolveRun.Outcome outcome;
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            outcome = EvolveRun.run(config, state.toString(), null, null, runner, ProgressListener.NONE);
        }
        assertEquals(2, outcome.progress().loop(), "both task iterations done");
        assertEquals(finalVersionIfUninterrupted, outcome.version(),
                "resumed at the next uncommitted generation: one version per generation and task end");
        StateReader reader = new StateReader(state.toString());
        assertEquals(List.of(), reader.check());
        assertEquals(List.of("mnist", "fashion_mnist"), reader.latest().population().tasks());
        assertTrue(!Files.exists(state.resolve("lock")), "the finished run released its lock");
        for (var p : reader.latest().population().paths()) {
            if (!p.isRoot()) {
                assertTrue(p.metrics().testQuality != null && p.metrics().testQuality > 0.3, p.toString());
            }
        }
    }
}

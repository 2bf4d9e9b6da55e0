package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.store.HadoopConf;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import org.munet.testing.ChildJvm;
import org.munet.worker.LocalCandidateRunner;

/**
 * kill -9 of {@code evolve} in the middle of a generation, then the same command again: the run
 * continues from the last committed generation and ends in a consistent state.
 */
class ResumeIT {

    @Test
    void killedRunContinuesFromLastCommittedGeneration(@TempDir Path dir) throws Exception {
        Path config = TinyRuns.config(dir, "resume.yaml", List.of("mnist", "fashion_mnist"), 6, 1);
        Path state = dir.resolve("state");
        List<String> cmd = new ArrayList<>(ChildJvm.command("-Xmx1g"));
        cmd.addAll(List.of("org.munet.cli.Main", "evolve", "--config", config.toString(), "--state",
                state.toString(), "--workers", "2"));
        Process evolve = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed-run.log").toFile()).start();
        StateStore store = StateStore.open(state.toString(), HadoopConf.forThisJvm());
        Path log = dir.resolve("killed-run.log");
        // The driver logs "[spark] job N started: task mnist · iteration 1 · generation 3/3 · ..."
        // when the third generation's candidates start training; generations 1 and 2 are committed.
        String thirdGenerationStarted = "started: task mnist · iteration 1 · generation 3/3";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline && evolve.isAlive()
                && !Files.readString(log, StandardCharsets.UTF_8).contains(thirdGenerationStarted)) {
            Thread.sleep(50); // poll interval
        }
        evolve.destroyForcibly(); // SIGKILL: no shutdown hook, lock and staging left behind
        assertTrue(evolve.waitFor(1, TimeUnit.MINUTES));
        long killedAt = store.latestVersion().orElse(-1);
        assertTrue(killedAt >= 3, "the run was killed mid-way (log: "
                + Files.readString(log, StandardCharsets.UTF_8) + ")");
        assertTrue(Files.exists(state.resolve("lock")), "a killed run leaves its lock behind");

        long finalVersionIfUninterrupted = 1 + 2 * (3 + 1); // root + per task: 3 generations + end
        assertTrue(killedAt < finalVersionIfUninterrupted, "killed before the end: version " + killedAt);

        EvolveRun.Outcome outcome;
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            outcome = EvolveRun.run(config, state.toString(), null, null, runner, ProgressListener.NONE);
        }
        assertEquals(2, outcome.progress().visitIndex(), "both task iterations done");
        assertEquals(finalVersionIfUninterrupted, outcome.version(),
                "resumed at the next uncommitted generation: one version per generation and task end");
        StateReader reader = new StateReader(state.toString());
        assertEquals(List.of(), StateVerifier.verify(reader.store()).errors());
        assertEquals(List.of("mnist", "fashion_mnist"), reader.latest().population().tasks());
        assertTrue(!Files.exists(state.resolve("lock")), "the finished run released its lock");
        for (var p : reader.latest().population().paths()) {
            if (!p.isRoot()) {
                assertTrue(p.metrics().testQuality() != null && p.metrics().testQuality() > 0.3, p.toString());
            }
        }
    }
}

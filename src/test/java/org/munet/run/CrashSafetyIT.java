package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.store.HadoopConf;
import org.munet.store.StateReport;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import org.munet.system.Component;
import org.munet.system.TaskPath;
import org.munet.testing.ChildJvm;
import org.munet.worker.LocalCandidateRunner;

/**
 * Fault injection: {@code evolve} is killed with SIGKILL over and over, each time right after it
 * enters a phase of a generation (sampling, training, staging, the commit's promotion, the
 * manifest rename), and started again. After every kill the state verifies (only crash leftovers,
 * no damage) and no committed version was lost; at the end the system is the one an uninterrupted
 * run builds.
 */
class CrashSafetyIT {

    private static final List<String> PHASES = List.of("sampling", "training", "staging", "commit",
            "commit-manifest");
    private static final int KILLS = 22;

    @Test
    void killedAgainAndAgainLosesNothing(@TempDir Path dir) throws Exception {
        Path config = TinyRuns.config(dir, "crash.yaml",
                List.of("mnist/labels:0-4", "fashion_mnist/labels:0-4", "mnist/labels:5-9"), 4, 2);
        Path state = dir.resolve("state");
        StateStore store = StateStore.open(state.toString(), HadoopConf.forThisJvm());
        Random random = new Random(20261129);
        Map<String, Integer> killsByPhase = new TreeMap<>();
        long committed = 0;
        int kills = 0;
        for (int attempt = 0; kills < KILLS && attempt < 3 * KILLS; attempt++) {
            String phase = PHASES.get(attempt % PHASES.size());
            boolean killed = runAndKill(config, state, phase, random.nextInt(25), dir.resolve("run-" + attempt + ".log"));
            if (!killed) {
                break; // the run finished before reaching the phase
            }
            kills++;
            killsByPhase.merge(phase, 1, Integer::sum);
            StateReport report = StateVerifier.verify(store);
            assertTrue(report.healthy(), "after a kill in " + phase + ": " + report.lines());
            long now = store.latestVersion().orElse(0);
            assertTrue(now >= committed, "version " + committed + " was committed, now the state is at " + now);
            committed = now;
        }
        System.out.println("crash safety: " + kills + " kills survived, by phase " + killsByPhase
                + ", committed versions lost: 0");
        assertTrue(kills >= 20, "only " + kills + " kills happened before the run ended");
        assertTrue(killsByPhase.keySet().containsAll(PHASES), killsByPhase.toString());

        // The last run goes to the end; the result is the uninterrupted run's system.
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, state.toString(), null, null, runner, ProgressListener.NONE);
        }
        StateReport end = StateVerifier.verify(store);
        assertTrue(end.healthy(), end.lines().toString());
        assertEquals(List.of(), end.leftovers(), "a finished run leaves nothing behind");
        Path reference = dir.resolve("uninterrupted");
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, reference.toString(), null, null, runner, ProgressListener.NONE);
        }
        assertEquals(fingerprint(reference), fingerprint(state), "killed runs must build the same system");
    }

    /** Starts evolve in a child JVM and kills it {@code delayMs} after it first enters {@code phase}. */
    private static boolean runAndKill(Path config, Path state, String phase, int delayMs, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(ChildJvm.command("-Xmx1g", "-Dmunet.trace.phases=true"));
        cmd.addAll(List.of("org.munet.cli.Main", "evolve", "--config", config.toString(), "--state",
                state.toString(), "--runner", "threads", "--workers", "2"));
        Process evolve = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean killed = false;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(evolve.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
                if (line.equals("munet-phase: " + phase)) {
                    Thread.sleep(delayMs); // a random point inside the phase
                    evolve.destroyForcibly(); // SIGKILL
                    killed = true;
                    break;
                }
            }
        } finally {
            evolve.destroyForcibly();
            assertTrue(evolve.waitFor(1, TimeUnit.MINUTES));
            Files.writeString(log, output);
        }
        if (!killed) {
            assertEquals(0, evolve.exitValue(), "evolve failed on its own:\n" + output);
        }
        return killed;
    }

    /** What must not depend on interruptions: live paths, their components' bytes, scores, predictions. */
    static String fingerprint(Path state) {
        var latest = new StateReader(state.toString()).latest();
        StringBuilder s = new StringBuilder();
        for (TaskPath p : latest.population().paths()) {
            s.append(p.id()).append(' ').append(p.task()).append(' ').append(p.metrics().evals()).append(' ')
                    .append(p.metrics().testPredictionsSha256()).append('\n');
            for (Component c : latest.population().componentsOf(p)) {
                s.append("  ").append(c.id()).append(' ').append(c.sha256()).append(' ').append(c.locks()).append('\n');
            }
        }
        return s.toString();
    }
}

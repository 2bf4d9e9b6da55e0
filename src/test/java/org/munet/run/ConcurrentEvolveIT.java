package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.testing.ChildJvm;

/**
 * One writer per state, between real processes: while one {@code evolve} trains, a second one on
 * the same state refuses, naming the first; once the first is killed, the next run takes the stale
 * lock over and proceeds.
 */
class ConcurrentEvolveIT {

    @Test
    void secondEvolveRefusesAndAStaleLockIsTakenOver(@TempDir Path dir) throws Exception {
        Path config = TinyRuns.config(dir, "concurrent.yaml", List.of("mnist/labels:0-4", "fashion_mnist/labels:0-4"),
                6, 2);
        Path state = dir.resolve("state");
        Process first = new ProcessBuilder(evolve(config, state)).redirectErrorStream(true).start();
        BufferedReader firstOut = new BufferedReader(new InputStreamReader(first.getInputStream(),
                StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = firstOut.readLine()) != null && !line.equals("munet-phase: training")) {
                // wait until the first run holds the lock and trains
            }
            assertTrue(first.isAlive(), "the first run is training");

            Process second = new ProcessBuilder(evolve(config, state)).redirectErrorStream(true).start();
            String secondOut = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(second.waitFor(2, TimeUnit.MINUTES));
            assertNotEquals(0, second.exitValue(), secondOut);
            assertTrue(secondOut.contains("is in use by pid " + first.pid() + " on "), secondOut);
            assertTrue(first.isAlive(), "the refused run did not disturb the first");
        } finally {
            first.destroyForcibly(); // SIGKILL: its lock stays behind
            assertTrue(first.waitFor(1, TimeUnit.MINUTES));
        }
        assertTrue(Files.exists(state.resolve("lock")), "a killed run leaves its lock behind");

        List<String> third = new ArrayList<>(evolve(config, state));
        third.addAll(List.of("--max-generations", "1"));
        Process next = new ProcessBuilder(third).redirectErrorStream(true).start();
        String nextOut = new String(next.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(next.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, next.exitValue(), nextOut);
        assertTrue(nextOut.contains("taking over stale lock of pid " + first.pid()), nextOut);
        assertTrue(nextOut.contains("stopped: max generations (1) reached"), nextOut);
        assertTrue(!Files.exists(state.resolve("lock")), "released at the end");
    }

    private static List<String> evolve(Path config, Path state) {
        List<String> cmd = new ArrayList<>(ChildJvm.command("-Xmx1g", "-Dmunet.trace.phases=true"));
        cmd.addAll(List.of("org.munet.cli.Main", "evolve", "--config", config.toString(), "--state",
                state.toString(), "--runner", "threads", "--workers", "1"));
        return cmd;
    }
}

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
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.munet.store.StateReport;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import org.munet.system.Component;
import org.munet.system.TaskPath;
import org.munet.testing.ChildJvm;

/**
 * The fault injection of the crash tests, whatever file system holds the state: {@code evolve} runs in
 * a child JVM that is SIGKILLed right after it enters a phase ({@code munet-phase: <phase>} on its
 * output), then started again; after every kill the state must verify (only crash leftovers, no
 * damage) and no committed version may have been lost.
 *
 * @param config the run's config file
 * @param state the state as the child is given it ({@code --state}): a path or a URI
 * @param store the same state opened in this JVM, with a configuration that reaches it
 * @param childJvmArgs extra JVM arguments of every child (e.g. {@code -Dspark.hadoop.*} keys)
 * @param logs where each child's output is kept
 */
record CrashHarness(Path config, String state, StateStore store, List<String> childJvmArgs, Path logs) {

    /** How many kills happened, by phase. */
    record Kills(int total, Map<String, Integer> byPhase) {}

    /**
     * Kills runs until {@code kills} kills happened or a run finished before reaching its phase; the
     * phases take turns, each kill {@code 0-24 ms} after the phase began (drawn from {@code random}).
     */
    Kills killAgainAndAgain(List<String> phases, int kills, Random random) throws Exception {
        Map<String, Integer> byPhase = new TreeMap<>();
        long committed = 0;
        int done = 0;
        for (int attempt = 0; done < kills && attempt < 3 * kills; attempt++) {
            String phase = phases.get(attempt % phases.size());
            boolean killed = runAndKill(phase, random.nextInt(25), logs.resolve("run-" + attempt + ".log"));
            if (!killed) {
                break; // the run finished before reaching the phase
            }
            done++;
            byPhase.merge(phase, 1, Integer::sum);
            StateReport report = StateVerifier.verify(store);
            assertTrue(report.healthy(), "after a kill in " + phase + ": " + report.lines());
            long now = store.latestVersion().orElse(0);
            assertTrue(now >= committed, "version " + committed + " was committed, now the state is at " + now);
            committed = now;
        }
        System.out.println("crash safety on " + store.uri().getScheme() + ": " + done + " kills survived, by phase "
                + byPhase + ", committed versions lost: 0");
        return new Kills(done, byPhase);
    }

    /** Runs evolve in a child JVM to its end; it must succeed. */
    void runToEnd(Path log) throws Exception {
        assertEquals(false, runAndKill(null, 0, log));
    }

    /**
     * Starts evolve in a child JVM and kills it {@code delayMs} after it first enters {@code phase}
     * (never, when null); returns whether it was killed. A run that ends by itself must succeed.
     */
    boolean runAndKill(String phase, int delayMs, Path log) throws Exception {
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx1g", "-Dmunet.trace.phases=true"));
        jvmArgs.addAll(childJvmArgs);
        List<String> cmd = new ArrayList<>(ChildJvm.command(jvmArgs.toArray(String[]::new)));
        cmd.addAll(List.of("org.munet.cli.Main", "evolve", "--config", config.toString(), "--state", state,
                "--runner", "threads", "--workers", "2"));
        Process evolve = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean killed = false;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(evolve.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
                if (phase != null && line.equals("munet-phase: " + phase)) {
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
    static String fingerprint(String state, Configuration conf) {
        var latest = new StateReader(state, conf).latest();
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

    static void lap(String test, long since, String what) {
        System.out.printf(Locale.ROOT, "[%s] %s: %.1f s%n", test, what, (System.nanoTime() - since) / 1e9);
    }
}

package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.store.StateVerifier;
import org.munet.system.TaskPath;
import org.munet.worker.LocalCandidateRunner;

/**
 * {@code --continue-from}: a new state starts from another system's final state (no new root) and
 * adds its config's tasks, as the paper chained benchmarks; the source state is left untouched.
 */
class ContinueFromTest {

    @Test
    void newStateGrowsFromAnotherSystem(@TempDir Path dir) throws Exception {
        Path first = TinyRuns.config(dir, "first.yaml", List.of("mnist/labels:0-4"), 2, 1);
        Path second = TinyRuns.config(dir, "second.yaml", List.of("fashion_mnist/labels:0-4"), 2, 1);
        // The new state keeps only its last version besides task ends, so it collects garbage on the way:
        // never in the state it was continued from.
        java.nio.file.Files.writeString(second, "state:\n  keep_last_versions: 1\n",
                java.nio.file.StandardOpenOption.APPEND);
        String s1 = dir.resolve("s1").toString();
        String s2 = dir.resolve("s2").toString();
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(first, s1, null, null, runner, ProgressListener.NONE);
            Map<String, String> s1Files = ImmunityTest.componentFiles(Path.of(s1, "components"));
            Map<String, String> s1Everything = TinyRuns.snapshot(Path.of(s1));
            TaskPath a = new StateReader(s1).latest().population().pathsOf("mnist/labels:0-4").get(0);

            EvolveRun.Outcome out = EvolveRun.run(second, s2, s1, null, runner, ProgressListener.NONE);
            assertEquals(List.of("mnist/labels:0-4", "fashion_mnist/labels:0-4"), out.population().tasks());
            assertEquals(1, out.population().roots().size(), "no second root: the system continues");
            TaskPath aAfter = out.population().pathsOf("mnist/labels:0-4").get(0);
            assertEquals(a.id(), aAfter.id());
            assertEquals(a.componentIds(), aAfter.componentIds());
            assertEquals(a.metrics().testPredictionsSha256(), aAfter.metrics().testPredictionsSha256());
            assertEquals(s1Files, ImmunityTest.componentFiles(Path.of(s1, "components")), "source untouched");
            assertEquals(s1Everything, TinyRuns.snapshot(Path.of(s1)), "no file of the source state changed or went");
            Map<String, String> s2Files = ImmunityTest.componentFiles(Path.of(s2, "components"));
            for (Map.Entry<String, String> e : s1Files.entrySet()) {
                if (s2Files.containsKey(e.getKey())) {
                    assertEquals(e.getValue(), s2Files.get(e.getKey()), "copied bit for bit: " + e.getKey());
                }
            }
            assertEquals(List.of(), StateVerifier.verify(new StateReader(s2).store()).errors());
            assertEquals(s1, new StateReader(s2).latest().continuedFrom());

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EvolveRun.run(second, s2, s1, null, runner, ProgressListener.NONE));
            assertTrue(e.getMessage().contains("--continue-from only starts a new state"), e.getMessage());
        }
    }
}

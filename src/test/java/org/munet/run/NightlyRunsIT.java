package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.evolution.RunBudget;
import org.munet.evolution.RunSummary;
import org.munet.evolution.TestResult;
import org.munet.system.TaskPath;
import org.munet.worker.LocalCandidateRunner;

/**
 * The nightly scenario of a catalog-driven system: run 1 introduces A and B; the catalog gains C;
 * run 2 introduces C, then revisits; run 3, with nothing new, only revisits; a run with every task
 * at its visit limit has nothing to do and leaves the state as it was. Through all of it, A's test
 * predictions change only when A's own path improves.
 */
class NightlyRunsIT {

    private static final String A = "mnist/labels:0-4";
    private static final String B = "fashion_mnist/labels:0-4";
    private static final String C = "mnist/rot90/labels:5-9";

    @TempDir
    Path dir;

    /** A's best path and its recorded test predictions after a run. */
    private record Snapshot(long pathId, String predictions, double validation) {}

    @Test
    void tasksArriveOverNightsAndOldTasksNeverForget() throws Exception {
        // One generation per task iteration: samples_per_task = candidates_per_generation = 2.
        Path config = TinyRuns.config(dir, "nightly.yaml", List.of(), 2, 1);
        String state = dir.resolve("state").toString();

        Path catalog = TinyRuns.catalog(dir, "catalog.yaml", List.of(A, B), null);
        RunSummary night1 = night(config, state, catalog, 2);
        assertEquals(List.of(A, B), night1.introduced());
        assertEquals(List.of(), night1.revisited());
        assertEquals(2, night1.generations());
        Snapshot a1 = snapshotOf(state, A);

        catalog = TinyRuns.catalog(dir, "catalog.yaml", List.of(A, B, C), null);
        RunSummary night2 = night(config, state, catalog, 3);
        assertEquals(List.of(C), night2.introduced());
        assertEquals(List.of(A, B), night2.revisited(), "least recently visited first: A, then B");
        Snapshot a2 = snapshotOf(state, A);
        checkImmunity(a1, a2, night2);

        RunSummary night3 = night(config, state, catalog, 2);
        assertEquals(List.of(), night3.introduced());
        assertEquals(List.of(C, A), night3.revisited());
        Snapshot a3 = snapshotOf(state, A);
        checkImmunity(a2, a3, night3);

        // Every task has had at least two visits (A three): with a limit of 2 there is nothing to do.
        catalog = TinyRuns.catalog(dir, "catalog.yaml", List.of(A, B, C), 2);
        Map<String, String> before = TinyRuns.snapshot(Path.of(state));
        RunSummary idle = night(config, state, catalog, 5);
        assertTrue(idle.didNothing(), idle.toString());
        assertEquals(RunSummary.DONE, idle.stopReason());
        assertEquals(before, TinyRuns.snapshot(Path.of(state)), "a run with nothing to do writes nothing");

        // Removing a task from the catalog stops its visits but keeps its path.
        catalog = TinyRuns.catalog(dir, "catalog.yaml", List.of(B), null);
        RunSummary withoutA = night(config, state, catalog, 1);
        assertEquals(List.of(B), withoutA.revisited());
        assertEquals(a3.pathId(), snapshotOf(state, A).pathId());
        assertEquals(a3.predictions(), retest(state, A).predictionsSha256());
    }

    /** A's predictions may change only if A improved in that run; otherwise they are bit-identical. */
    private void checkImmunity(Snapshot before, Snapshot after, RunSummary run) throws Exception {
        if (!run.improved().contains(A)) {
            assertEquals(before.pathId(), after.pathId(), "A's best path changed without A improving");
            assertEquals(before.predictions(), after.predictions());
        } else {
            assertTrue(after.validation() >= before.validation());
        }
    }

    private RunSummary night(Path config, String state, Path catalog, int maxGenerations) throws Exception {
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.Outcome out = EvolveRun.run(config, state, null, null, runner, ProgressListener.NONE,
                    new EvolveRun.Options(catalog.toString(), new RunBudget(null, maxGenerations)));
            PrintWriter stdout = new PrintWriter(System.out, true);
            stdout.println("after " + out.summary());
            org.munet.cli.StatusCommand.print(stdout, new StateReader(state).leaderboard());
            // The test predictions A's live path gives now are the ones recorded when it was made.
            assertEquals(snapshotOf(state, A).predictions(), retest(state, A).predictionsSha256(),
                    "A's committed path must predict exactly as when it was tested");
            return out.summary();
        }
    }

    private static Snapshot snapshotOf(String state, String task) {
        TaskPath best = bestOf(state, task);
        return new Snapshot(best.id(), best.metrics().testPredictionsSha256(), best.metrics().quality());
    }

    private static TaskPath bestOf(String state, String task) {
        List<TaskPath> paths = new StateReader(state).latest().population().pathsOf(task);
        assertEquals(1, paths.size(), "one live path per task between runs: " + task);
        return paths.get(0);
    }

    private static TestResult retest(String state, String task) throws Exception {
        var latest = new StateReader(state).latest();
        TaskPath path = bestOf(state, task);
        var config = org.munet.config.ConfigLoader.load(Path.of(state).getParent().resolve("nightly.yaml")).config();
        var experiment = org.munet.config.Experiment.resolve(config, null, null);
        var engine = new org.munet.evolution.EvolutionEngine(experiment.settings(), null, null,
                Path.of(state).toUri().toString(), ProgressListener.NONE);
        // The task as a run resolves it: where its data is, its classes.
        var spec = EvolveRun.taskInfo(task, org.munet.config.TaskEntry.named(task).source(),
                org.munet.config.Experiment.dataDir(config), new org.apache.hadoop.conf.Configuration());
        try (LocalCandidateRunner runner = new LocalCandidateRunner(1)) {
            return runner.test(new StateReader(state).store().uri().toString(),
                    List.of(engine.testSpec(latest.population(), path, spec))).get(0);
        }
    }
}

package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.evolution.RunBudget;
import org.munet.store.HadoopConf;
import org.munet.store.ManifestKind;
import org.munet.store.StateReport;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import org.munet.store.SystemManifest;
import org.munet.worker.LocalCandidateRunner;

/**
 * A state written by the code before bounded state (munet-state-v1 manifests, every version whole,
 * stopped in the middle of a task visit) is read, verified and continued by this code: it is
 * migrated on the way (its old generations dropped like deltas, their components collected).
 *
 * <p>Two v1 states. The committed fixture ({@code fixtures/state-v1}, written by the old code) shows
 * that what it really wrote reads, verifies, migrates and continues. That a migrated state ends as
 * the very system an uninterrupted run builds is shown on a v1 state written in the test from this
 * code's own first generations ({@link V1StateWriter}): the comparison is bit for bit, and a
 * committed fixture holds the bits of the CPU it was made on (this one, made on the earlier
 * sessions' machine, continues differently on an AMD EPYC with AVX-512), so that comparison runs on
 * bits this machine computed.
 */
class StateMigrationIT {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/state-v1");
    private static final Path FIXTURE_CONFIG = Path.of("src/test/resources/fixtures/state-v1.yaml");

    @Test
    void aV1StateIsReadVerifiedAndContinued(@TempDir Path dir) throws IOException {
        TinyRuns.dataDir(); // the fixture's config reads data/ (relative to the project, as tests run)
        Path state = dir.resolve("state");
        copy(FIXTURE, state);
        Path config = configWithRetention(dir);
        StateStore store = StateStore.open(state.toString(), HadoopConf.forThisJvm());

        // Read and verified as it is, before any writer touched it.
        StateReport before = StateVerifier.verify(store);
        assertTrue(before.healthy(), before.lines().toString());
        assertEquals(8, before.latestVersion());
        assertTrue(store.manifestKinds().values().stream().allMatch(k -> k == ManifestKind.CHECKPOINT));
        Set<Long> taskEnds = new TreeSet<>();
        for (long v : store.manifestVersions()) {
            if (SystemManifest.isTaskEnd(SystemManifest.read(store, v).state())) {
                taskEnds.add(v);
            }
        }
        assertFalse(SystemManifest.isTaskEnd(SystemManifest.read(store, 8).state()), "the fixture stopped mid-visit");
        int filesBefore = store.componentFiles().size();

        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, state.toString(), null, null, runner, ProgressListener.NONE);
        }

        assertTrue(Files.exists(state.resolve("format.json")), "migrated");
        StateReport after = StateVerifier.verify(store);
        assertTrue(after.healthy(), after.lines().toString());
        assertEquals(List.of(), after.leftovers(), "no unreferenced component, nothing left over");
        Set<Long> kept = store.manifestVersions();
        assertTrue(kept.containsAll(taskEnds), "every v1 task end is kept: " + kept + " vs " + taskEnds);
        for (long v = 2; v <= 8; v++) {
            if (!taskEnds.contains(v)) {
                assertFalse(kept.contains(v), "v1 generation " + v + " is dropped like a delta: " + kept);
            }
        }
        for (long v : kept) {
            assertEquals(v, SystemManifest.read(store, v).version()); // old and new versions read alike
        }
        assertTrue(store.manifestKinds().containsValue(ManifestKind.DELTA), "new generations are deltas");
        assertEquals(store.componentFiles().size(), referencedByKept(store),
                "components/ holds exactly what kept versions reference (it held " + filesBefore + ")");

        assertEquals(2, new StateReader(state.toString()).leaderboard().tasks(), "both tasks have a path");
    }

    @Test
    void aMigratedV1StateContinuesAsAnUninterruptedRun(@TempDir Path dir) throws IOException {
        TinyRuns.dataDir();
        Path config = configWithRetention(dir);
        Path state = dir.resolve("state");
        // The fixture's history, every version kept as v1 kept them: five generations, stopped in
        // the middle of the second task's visit.
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(FIXTURE_CONFIG, state.toString(), null, null, runner, ProgressListener.NONE,
                    new EvolveRun.Options(null, new RunBudget(null, 5)));
        }
        V1StateWriter.rewrite(state);
        StateStore store = StateStore.open(state.toString(), HadoopConf.forThisJvm());
        StateReport before = StateVerifier.verify(store);
        assertTrue(before.healthy(), before.lines().toString());
        assertFalse(Files.exists(state.resolve("format.json")));
        assertTrue(store.manifestKinds().values().stream().allMatch(k -> k == ManifestKind.CHECKPOINT));
        long last = before.latestVersion();
        assertFalse(SystemManifest.isTaskEnd(SystemManifest.read(store, last).state()), "stopped mid-visit");

        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, state.toString(), null, null, runner, ProgressListener.NONE);
        }
        assertTrue(Files.exists(state.resolve("format.json")), "migrated");
        Path reference = dir.resolve("uninterrupted");
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, reference.toString(), null, null, runner, ProgressListener.NONE);
        }
        assertEquals(CrashHarness.fingerprint(reference.toString(), HadoopConf.forThisJvm()),
                CrashHarness.fingerprint(state.toString(), HadoopConf.forThisJvm()),
                "the continued v1 state is the system an uninterrupted run builds");
    }

    /**
     * The fixture's config with a retention section added: retention is left out of a config's
     * identity, so a state created without one still accepts it.
     */
    private static Path configWithRetention(Path dir) throws IOException {
        Path config = dir.resolve("state-v1.yaml");
        Files.writeString(config, Files.readString(FIXTURE_CONFIG) + "\nstate:\n  keep_last_versions: 2\n");
        return config;
    }

    private static int referencedByKept(StateStore store) {
        Set<Long> ids = new TreeSet<>();
        for (long v : store.manifestVersions()) {
            SystemManifest.read(store, v).population().components().forEach(c -> ids.add(c.id()));
        }
        return ids.size();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}

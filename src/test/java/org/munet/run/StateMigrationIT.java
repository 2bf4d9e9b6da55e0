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
import org.munet.store.HadoopConf;
import org.munet.store.ManifestKind;
import org.munet.store.StateReport;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import org.munet.store.SystemManifest;
import org.munet.worker.LocalCandidateRunner;

/**
 * A state written by the code before bounded state (committed fixture: {@code fixtures/state-v1},
 * munet-state-v1 manifests, every version whole, stopped in the middle of a task visit) is read,
 * verified and continued by this code: it is migrated on the way (its old generations dropped like
 * deltas, their components collected), and ends as the system an uninterrupted run of this code
 * builds from the same config.
 *
 * <p>That comparison needs the fixture written with this code's kernels. When a kernel change
 * alters bits, regenerate it with the v1 writer and the new kernels: the code of 0ece720 with the
 * change applied, under {@code MKL_CBWR=AUTO}, {@code deploy/munet evolve --config
 * fixtures/state-v1.yaml --state DIR --max-generations 5}, then copy DIR without its {@code .crc}
 * files and its empty {@code staging/}. Last regenerated when the last encoder block began computing
 * the class token only (EncoderBlock.applyToClassToken in 0ece720's PathModel.forward).
 */
class StateMigrationIT {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/state-v1");
    private static final Path FIXTURE_CONFIG = Path.of("src/test/resources/fixtures/state-v1.yaml");

    @Test
    void aV1StateIsReadVerifiedAndContinued(@TempDir Path dir) throws IOException {
        TinyRuns.dataDir(); // the fixture's config reads data/ (relative to the project, as tests run)
        Path state = dir.resolve("state");
        copy(FIXTURE, state);
        Path config = dir.resolve("state-v1.yaml");
        // The fixture's config with a retention section added: retention is left out of a config's
        // identity, so the state, created without one, still accepts it.
        Files.writeString(config, Files.readString(FIXTURE_CONFIG) + "\nstate:\n  keep_last_versions: 2\n");
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

        Path reference = dir.resolve("uninterrupted");
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, reference.toString(), null, null, runner, ProgressListener.NONE);
        }
        assertEquals(CrashHarness.fingerprint(reference.toString(), HadoopConf.forThisJvm()),
                CrashHarness.fingerprint(state.toString(), HadoopConf.forThisJvm()),
                "the continued v1 state is the system an uninterrupted run builds");
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

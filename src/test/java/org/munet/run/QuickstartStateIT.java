package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.store.HadoopConf;
import org.munet.store.StateReport;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import org.munet.store.SystemManifest;
import org.munet.worker.LocalCandidateRunner;

/**
 * The README's quickstart (deploy/configs/quickstart.yaml, the whole run) leaves a bounded state:
 * its component files are exactly those the kept versions reference (every task end, the last
 * {@code keep_last_versions}), where before retention every kept candidate's files stayed forever.
 */
class QuickstartStateIT {

    @Test
    void theQuickstartKeepsOnlyReferencedComponents(@TempDir Path dir) {
        TinyRuns.dataDir();
        Path state = dir.resolve("quickstart");
        EvolveRun.Outcome outcome;
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            outcome = EvolveRun.run(Path.of("deploy/configs/quickstart.yaml"), state.toString(), null, null, runner,
                    ProgressListener.NONE);
        }
        StateStore store = StateStore.open(state.toString(), HadoopConf.forThisJvm());
        StateReport full = StateVerifier.verify(store);
        assertTrue(full.healthy(), full.lines().toString());
        assertEquals(List.of(), full.leftovers(), "nothing unreferenced or left over");

        Set<Long> referenced = new TreeSet<>();
        for (long v : store.manifestVersions()) {
            SystemManifest.read(store, v).population().components().forEach(c -> referenced.add(c.id()));
        }
        Set<Long> files = store.componentFiles();
        assertEquals(referenced, files, "components/ holds exactly the files kept versions reference");
        int live = outcome.population().components().size();
        System.out.println("quickstart state: " + files.size() + " component files, all referenced by the "
                + store.manifestVersions().size() + " kept of " + outcome.version() + " versions; " + live
                + " are live in the final system; " + outcome.population().nextComponentId() + " ids handed out");
        assertTrue(files.size() < outcome.population().nextComponentId(), "dead candidates' files were collected");
    }
}

package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.data.Datasets;
import org.munet.data.StreamedTaskTest;
import org.munet.evolution.ProgressListener;
import org.munet.worker.LocalCandidateRunner;

/**
 * A run whose folder task is larger than {@code training.task_data_cache_mb}: the driver and the
 * workers stream its train split in shards, and the task evolves and learns.
 */
class StreamedFolderRunTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreTheBound() {
        Datasets.limitCache(Datasets.DEFAULT_CACHE_BYTES);
    }

    @Test
    void aTaskLargerThanItsCacheBoundEvolvesFromShards() throws Exception {
        StreamedTaskTest.writeFolder(dir.resolve("squares"), 2000, 200); // about 1.6 MB decoded
        Path config = TinyRuns.config(dir, "streamed.yaml", List.of("{name: squares, path: " + dir.resolve("squares")
                + "}"), 2, 1);
        Files.writeString(config, Files.readString(config).replace("training:\n", "training:\n  task_data_cache_mb: 1\n"));
        String state = dir.resolve("state").toString();
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, state, null, null, runner, ProgressListener.NONE);
        }
        assertTrue(Datasets.cachedBytes() <= 1 << 20, "cache within its bound: " + Datasets.cachedBytes());
        Leaderboard.Row row = new StateReader(state).leaderboard().rows().get(0);
        assertEquals("squares", row.task());
        // A bright or a dark square on noise: trivially separable once trained.
        assertTrue(row.test() > 0.9, "test accuracy " + row.test());
    }
}

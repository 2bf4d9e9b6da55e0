package org.munet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code munet evolve --root}: documented, and a bad checkpoint is a one-line user error that writes nothing. */
class EvolveRootOptionTest {

    @Test
    void helpDocumentsRoot() {
        CliRun run = CliRun.of("evolve", "--help");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("--root"), run.out());
    }

    @Test
    void badCheckpointIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("c.yaml"), "model:\n  num_heads: 2\ntasks: [mnist]\n");
        Path checkpoint = Files.writeString(dir.resolve("resnet.safetensors"), "not a checkpoint at all");
        Path state = dir.resolve("state");
        CliRun run = CliRun.of("evolve", "--config", config.toString(), "--state", state.toString(), "--runner",
                "threads", "--root", checkpoint.toString());
        assertEquals(UserErrorHandler.USER_ERROR, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("resnet.safetensors") && run.err().contains("not a readable safetensors checkpoint"),
                run.err());
        assertFalse(Files.exists(state), "nothing written");
    }
}

package org.munet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code munet train} end to end on the real datasets (fetched by deploy/fetch-datasets.sh into the
 * directory named by the munet.data.dir system property), and its errors on bad input. The full
 * 5000-step trainings are {@link TrainCommandIT}.
 */
class TrainCommandTest {

    private static Path dataDir() {
        String dir = System.getProperty("munet.data.dir");
        assertTrue(dir != null && Files.isDirectory(Path.of(dir, "mnist")),
                "datasets missing: run deploy/fetch-datasets.sh data (munet.data.dir=" + dir + ")");
        return Path.of(dir);
    }

    static JsonNode trainJson(String task, String... extra) throws IOException {
        String[] base = {"train", "--task", task, "--data", dataDir().toString(), "--json"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        System.out.println(task + ": " + json);
        return json;
    }

    @Test
    void derivedTaskTrainsWithItsOwnClassCount() throws IOException {
        JsonNode r = trainJson("mnist/labels:0-2/rot90", "--steps", "60", "--validations", "2");
        // 3 classes: chance is 1/3; 60 steps of a 3-way digit task is well above it
        assertTrue(r.get("validation_accuracy").asDouble() > 0.6, r.toString());
        assertEquals(60, r.get("steps").asInt());
    }

    @Test
    void textOutputReportsEveryValidationAndTheFigures() {
        CliRun run = CliRun.of("train", "--task", "mnist", "--data", dataDir().toString(),
                "--steps", "20", "--validations", "2");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("validation 1/2 at step 10: accuracy "), run.out());
        assertTrue(run.out().contains("validation 2/2 at step 20: accuracy "), run.out());
        assertTrue(run.out().contains("test accuracy "), run.out());
        assertTrue(run.out().contains("trainable parameters 105546"), run.out());
        assertTrue(run.out().contains("samples/s"), run.out());
        assertTrue(run.out().contains("peak RSS "), run.out());
    }

    @Test
    void missingDataDirectoryNamesTheFetchCommand(@TempDir Path empty) {
        CliRun run = CliRun.of("train", "--task", "mnist", "--data", empty.resolve("nope").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("deploy/fetch-datasets.sh"), run.err());
    }

    @Test
    void unknownTaskListsKnownTasks() {
        CliRun run = CliRun.of("train", "--task", "cifar10", "--data", dataDir().toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("unknown task 'cifar10'"), run.err());
        assertTrue(run.err().contains("mnist, fashion_mnist"), run.err());
    }

    @Test
    void truncatedIdxFileIsNamed(@TempDir Path dir) throws IOException {
        Path mnist = Files.createDirectories(dir.resolve("mnist"));
        for (String f : new String[] {"train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            Files.copy(dataDir().resolve("mnist").resolve(f), mnist.resolve(f));
        }
        byte[] images = Files.readAllBytes(dataDir().resolve("mnist/train-images-idx3-ubyte"));
        Files.write(mnist.resolve("train-images-idx3-ubyte"), java.util.Arrays.copyOf(images, 5000));
        CliRun run = CliRun.of("train", "--task", "mnist", "--data", dir.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("train-images-idx3-ubyte"), run.err());
        assertTrue(run.err().contains("truncated"), run.err());
    }

    @Test
    void badOptionValuesAreRejected() {
        CliRun steps = CliRun.of("train", "--task", "mnist", "--steps", "0");
        assertEquals(2, steps.exitCode());
        assertTrue(steps.err().contains("--steps must be positive"), steps.err());
        CliRun schedule = CliRun.of("train", "--task", "mnist", "--data", dataDir().toString(),
                "--schedule", "linear");
        assertEquals(2, schedule.exitCode());
        assertTrue(schedule.err().contains("unknown opt_lr_schedule 'linear'"), schedule.err());
        CliRun unknown = CliRun.of("train", "--task", "mnist", "--bogus");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("Unknown option: '--bogus'"), unknown.err());
    }
}

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
import org.munet.store.HadoopConf;
import org.munet.store.RunLock;
import org.munet.store.StateStore;

/** {@code munet evolve / status / check} end to end on a tiny real run, and their errors. */
class EvolveCommandIT {

    private static Path tinyConfig(Path dir, String name, String extra) throws IOException {
        String data = System.getProperty("munet.data.dir");
        assertTrue(data != null && Files.isDirectory(Path.of(data, "mnist")),
                "datasets missing: run deploy/fetch-datasets.sh data");
        Path file = dir.resolve(name);
        Files.writeString(file, "seed: 1\ndata_dir: " + data + "\n"
                + "evolution:\n  candidates_per_generation: 2\n  samples_per_task: 2\n  task_iterations: 1\n"
                + "training:\n  batch_size: 32\n  validations: 1\n  max_train_examples_between_validations: 320\n"
                + "  max_validation_examples: 128\n"
                + "hparams:\n  opt_lr: 0.05\n  ds_crop: false\n  ds_flip_left_right: false\n" + extra
                + "tasks: [mnist/labels:0-4, fashion_mnist/labels:5-9]\n");
        return file;
    }

    @Test
    void evolvePrintsProgressAndLeaderboardThenStatusAndCheckAgree(@TempDir Path dir) throws IOException {
        Path config = tinyConfig(dir, "tiny.yaml", "");
        String state = dir.resolve("state").toString();
        CliRun run = CliRun.of("evolve", "--config", config.toString(), "--state", state, "--workers", "2");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("mnist/labels:0-4  iteration 1  generation 1/1  candidates 2  kept 2"), run.out());
        assertTrue(run.out().contains("val acc"), "leaderboard printed: " + run.out());
        assertTrue(run.out().contains("system: 2 tasks"), run.out());

        CliRun status = CliRun.of("status", "--state", state, "--json");
        assertEquals(0, status.exitCode(), status.err());
        JsonNode table = new ObjectMapper().readTree(status.out());
        assertEquals(2, table.get("rows").size());
        JsonNode row = table.get("rows").get(0);
        assertEquals("mnist/labels:0-4", row.get("task").asText());
        assertEquals(row.get("activatedParams").asLong(),
                row.get("newParams").asLong() + row.get("sharedParams").asLong());
        assertTrue(row.get("test").asDouble() > 0.2, row.toString());

        CliRun check = CliRun.of("check", "--state", state);
        assertEquals(0, check.exitCode(), check.err());
        assertTrue(check.out().contains("is consistent"), check.out());

        assertTrue(run.out().contains("run: introduced 2 [mnist/labels:0-4, fashion_mnist/labels:5-9], revisited 0"),
                run.out());
        assertTrue(run.out().contains("stopped: every task has had all its visits"), run.out());

        // Re-running a finished state does no work, says so and still prints the leaderboard.
        CliRun again = CliRun.of("evolve", "--config", config.toString(), "--state", state);
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(!again.out().contains("generation 1/1"), again.out());
        assertTrue(again.out().contains("run: nothing to do: every task has had all its visits"), again.out());

        // A different config on the same state is refused, naming the way out.
        Path other = tinyConfig(dir, "other.yaml", "  opt_momentum: 0.95\n");
        CliRun refused = CliRun.of("evolve", "--config", other.toString(), "--state", state);
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("was created from another config"), refused.err());
        assertTrue(refused.err().contains("--continue-from"), refused.err());
    }

    @Test
    void catalogRunStopsAtItsBudgetAndSaysWhatItDid(@TempDir Path dir) throws IOException {
        Path config = tinyConfig(dir, "tiny.yaml", "");
        Files.writeString(config, Files.readString(config).replaceAll("tasks: .*\n", ""));
        Path catalog = dir.resolve("catalog.yaml");
        Files.writeString(catalog, "tasks:\n  - mnist/labels:0-4\n  - fashion_mnist/labels:5-9\n");
        String state = dir.resolve("state").toString();
        CliRun run = CliRun.of("evolve", "--config", config.toString(), "--catalog", catalog.toString(), "--state",
                state, "--max-generations", "3", "--time-budget", "2h", "--runner", "threads");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("run: introduced 2 [mnist/labels:0-4, fashion_mnist/labels:5-9], revisited 1"
                + " [mnist/labels:0-4]"), run.out());
        assertTrue(run.out().contains("run: 3 generations, 3 task iterations finished"), run.out());
        assertTrue(run.out().contains("stopped: max generations (3) reached"), run.out());

        CliRun unbounded = CliRun.of("evolve", "--config", config.toString(), "--catalog", catalog.toString(),
                "--state", state, "--runner", "threads");
        assertEquals(2, unbounded.exitCode());
        assertTrue(unbounded.err().contains("give --time-budget or --max-generations"), unbounded.err());
        CliRun badBudget = CliRun.of("evolve", "--config", config.toString(), "--catalog", catalog.toString(),
                "--state", state, "--time-budget", "six hours");
        assertEquals(2, badBudget.exitCode());
        assertTrue(badBudget.err().contains("cannot read the duration 'six hours'"), badBudget.err());
    }

    @Test
    void aSecondConcurrentRunIsRefused(@TempDir Path dir) throws IOException {
        Path config = tinyConfig(dir, "tiny.yaml", "");
        String state = dir.resolve("state").toString();
        try (RunLock held = RunLock.acquire(StateStore.open(state, HadoopConf.forThisJvm()), "another evolve")) {
            CliRun run = CliRun.of("evolve", "--config", config.toString(), "--state", state);
            assertEquals(2, run.exitCode());
            assertTrue(run.err().contains("is in use by pid " + ProcessHandle.current().pid()), run.err());
        }
    }

    @Test
    void badInputGetsClearErrors(@TempDir Path dir) throws IOException {
        CliRun empty = CliRun.of("status", "--state", dir.resolve("nothing").toString());
        assertEquals(2, empty.exitCode());
        assertTrue(empty.err().contains("holds no committed system"), empty.err());

        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "tasks: [mnist]\nevolution:\n  candidates: 2\n");
        CliRun bad = CliRun.of("evolve", "--config", typo.toString(), "--state", dir.resolve("s").toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("unknown key 'candidates'"), bad.err());
        assertTrue(!Files.exists(dir.resolve("s/manifest")), "nothing written for a bad config");

        // Refused while the input is checked, before the default runner starts Spark.
        Path schedule = tinyConfig(dir, "schedule.yaml", "  opt_lr_schedule: linear\n");
        CliRun badSchedule = CliRun.of("evolve", "--config", schedule.toString(), "--state",
                dir.resolve("s").toString());
        assertEquals(2, badSchedule.exitCode());
        assertTrue(badSchedule.err().contains("hparams.opt_lr_schedule must be one of constant, cosine, restarts,"
                + " got 'linear'"), badSchedule.err());
        assertTrue(!Files.exists(dir.resolve("s")), "nothing written for a bad hyperparameter");

        CliRun missing = CliRun.of("evolve", "--config", dir.resolve("absent.yaml").toString(),
                "--state", dir.resolve("s").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("cannot read config"), missing.err());
    }
}

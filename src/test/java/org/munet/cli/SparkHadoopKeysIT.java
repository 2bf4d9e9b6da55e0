package org.munet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.evolution.RunBudget;
import org.munet.run.EvolveRun;
import org.munet.spark.SparkCandidateRunner;
import org.munet.spark.SparkContexts;
import org.munet.store.HadoopConf;
import org.munet.store.SparkProperties;
import org.munet.testing.RecordingFileSystem;
import org.munet.testing.RecordingFileSystem.Opened;

/**
 * A {@code spark.hadoop.} key given to a run reaches every FileSystem it opens: the executors'
 * (which get the run's configuration with each Spark job) and those of commands without Spark. The
 * state lives on a scheme only these keys define, so a FileSystem opened without them fails outright.
 */
class SparkHadoopKeysIT {

    @Test
    void sparkHadoopKeysReachTheExecutorsFileSystemAndCommandsWithoutSpark(@TempDir Path dir) throws IOException {
        String marker = UUID.randomUUID().toString();
        Map<String, String> keys = Map.of(
                "spark.hadoop.fs." + RecordingFileSystem.SCHEME + ".impl", RecordingFileSystem.class.getName(),
                // Every open builds a new instance from the configuration it is given, not a cached one.
                "spark.hadoop.fs." + RecordingFileSystem.SCHEME + ".impl.disable.cache", "true",
                "spark.hadoop." + RecordingFileSystem.MARKER, marker);
        String state = RecordingFileSystem.SCHEME + ":" + dir.resolve("state");

        // Wired as EvolveCommand wires a run, but with the keys in the run's properties only, not in
        // this JVM's system properties, which local-mode executors (threads of this JVM) could read.
        Map<String, String> sparkProperties = new TreeMap<>(SparkProperties.load());
        sparkProperties.putAll(keys);
        Configuration hadoop = HadoopConf.of(sparkProperties);
        EvolveRun.Prepared input = EvolveRun.prepare(config(dir), null,
                new EvolveRun.Options(null, new RunBudget(null, 1)), hadoop);
        RecordingFileSystem.OPENED.clear();
        try (SparkCandidateRunner runner = new SparkCandidateRunner(
                SparkContexts.create("munet spark.hadoop test", 2, sparkProperties), hadoop, true)) {
            EvolveRun.run(input, state, null, runner, ProgressListener.NONE);
        }
        List<Opened> executors = RecordingFileSystem.OPENED.stream()
                .filter(o -> o.thread().startsWith("Executor task launch worker")).toList();
        assertFalse(executors.isEmpty(), "no executor opened the state: " + RecordingFileSystem.OPENED);
        executors.forEach(o -> assertEquals(marker, o.marker(), "executor-side configuration: " + o));

        // Commands without Spark take the keys from where spark-submit and JAVA_OPTS=-D... put them.
        keys.forEach(System::setProperty);
        try {
            RecordingFileSystem.OPENED.clear();
            CliRun status = CliRun.of("status", "--state", state);
            assertEquals(0, status.exitCode(), status.err());
            CliRun fsck = CliRun.of("fsck", "--state", state);
            assertEquals(0, fsck.exitCode(), fsck.out() + fsck.err());
            assertFalse(RecordingFileSystem.OPENED.isEmpty(), "status and fsck open the state");
            RecordingFileSystem.OPENED.forEach(o -> assertEquals(marker, o.marker(), "without Spark: " + o));
        } finally {
            keys.keySet().forEach(System::clearProperty);
        }
    }

    private static Path config(Path dir) throws IOException {
        String data = System.getProperty("munet.data.dir");
        assertTrue(data != null && Files.isDirectory(Path.of(data, "mnist")),
                "datasets missing: run deploy/fetch-datasets.sh data");
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, "seed: 1\ndata_dir: " + data + "\n"
                + "evolution:\n  candidates_per_generation: 2\n  samples_per_task: 2\n  task_iterations: 1\n"
                + "training:\n  batch_size: 32\n  validations: 1\n  max_train_examples_between_validations: 320\n"
                + "  max_validation_examples: 128\n"
                + "hparams:\n  opt_lr: 0.05\n  ds_crop: false\n  ds_flip_left_right: false\n"
                + "tasks: [mnist/labels:0-4]\n");
        return file;
    }
}

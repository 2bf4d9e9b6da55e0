package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Configs for real but tiny evolution runs (seconds per task on one core). */
public final class TinyRuns {

    private TinyRuns() {}

    public static String dataDir() {
        String dir = System.getProperty("munet.data.dir");
        assertTrue(dir != null && Files.isDirectory(Path.of(dir, "mnist")),
                "datasets missing: run deploy/fetch-datasets.sh data (munet.data.dir=" + dir + ")");
        return dir;
    }

    /** A tiny config; with no tasks it is a config for catalog runs. */
    public static Path config(Path dir, String name, List<String> tasks, int samplesPerTask, int iterations)
            throws IOException {
        StringBuilder yaml = new StringBuilder();
        yaml.append("seed: 3\n")
                .append("data_dir: ").append(dataDir()).append('\n')
                .append("evolution:\n")
                .append("  candidates_per_generation: 2\n")
                .append("  samples_per_task: ").append(samplesPerTask).append('\n')
                .append("  task_iterations: ").append(iterations).append('\n')
                .append("training:\n")
                .append("  batch_size: 32\n")
                .append("  validations: 2\n")
                .append("  max_train_examples_between_validations: 640\n")
                .append("  max_validation_examples: 256\n")
                .append("hparams:\n")
                .append("  opt_lr: 0.05\n")
                .append("  ds_crop: false\n")
                .append("  ds_flip_left_right: false\n");
        if (!tasks.isEmpty()) {
            yaml.append("tasks:\n");
        }
        for (String t : tasks) {
            yaml.append("  - ").append(t).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, yaml.toString());
        return file;
    }

    /** A task catalog file. */
    public static Path catalog(Path dir, String name, List<String> tasks, Integer maxVisits) throws IOException {
        StringBuilder yaml = new StringBuilder("tasks:\n");
        for (String t : tasks) {
            yaml.append("  - \"").append(t).append("\"\n");
        }
        if (tasks.isEmpty()) {
            yaml = new StringBuilder("tasks: []\n");
        }
        if (maxVisits != null) {
            yaml.append("max_visits_per_task: ").append(maxVisits).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, yaml.toString());
        return file;
    }

    /** Every file under a state directory with its SHA-256, by relative path: to prove "untouched". */
    public static java.util.Map<String, String> snapshot(Path state) throws IOException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (var files = Files.walk(state)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.put(state.relativize(f).toString(), org.munet.config.ConfigLoader.sha256(Files.readAllBytes(f)));
            }
        }
        return out;
    }
}

package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Configs for real but tiny evolution runs (seconds per task on one core). */
final class TinyRuns {

    private TinyRuns() {}

    static String dataDir() {
        String dir = System.getProperty("munet.data.dir");
        assertTrue(dir != null && Files.isDirectory(Path.of(dir, "mnist")),
                "datasets missing: run deploy/fetch-datasets.sh data (munet.data.dir=" + dir + ")");
        return dir;
    }

    static Path config(Path dir, String name, List<String> tasks, int samplesPerTask, int iterations)
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
                .append("  ds_flip_left_right: false\n")
                .append("tasks:\n");
        for (String t : tasks) {
            yaml.append("  - ").append(t).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, yaml.toString());
        return file;
    }
}

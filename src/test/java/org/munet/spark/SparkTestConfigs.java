package org.munet.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.munet.run.StateReader;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/** A tiny real evolution and the parts of a final system that must not depend on the runner. */
public final class SparkTestConfigs {

    private SparkTestConfigs() {}

    static Path tiny(Path dir) throws IOException {
        String data = System.getProperty("munet.data.dir");
        assertTrue(data != null && Files.isDirectory(Path.of(data, "mnist")),
                "datasets missing: run deploy/fetch-datasets.sh data");
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, "seed: 5\ndata_dir: " + data + "\n"
                + "evolution:\n  candidates_per_generation: 2\n  samples_per_task: 4\n  task_iterations: 1\n"
                + "training:\n  batch_size: 32\n  validations: 2\n  max_train_examples_between_validations: 640\n"
                + "  max_validation_examples: 256\n"
                + "hparams:\n  opt_lr: 0.05\n  ds_crop: false\n  ds_flip_left_right: false\n"
                + "tasks: [mnist/labels:0-4, fashion_mnist/labels:5-9]\n");
        return file;
    }

    /**
     * Everything that defines the system (ids, structure, hyperparameters, locks, checksums,
     * accuracies, test predictions), without wall times, which differ from run to run.
     */
    public static List<String> essence(String state) {
        Population p = new StateReader(state).latest().population();
        List<String> out = new ArrayList<>();
        for (Component c : p.components()) {
            out.add("component " + c.id() + " " + c.name() + " " + c.sha256() + " " + c.locks());
        }
        for (TaskPath t : p.paths()) {
            out.add("path " + t.id() + " " + t.task() + " parent " + t.parentId() + " " + t.componentIds() + " "
                    + t.hparams() + " quality " + t.metrics().quality() + " evals " + t.metrics().evals() + " test "
                    + t.metrics().testQuality() + " " + t.metrics().testPredictionsSha256() + " offspring "
                    + t.metrics().offspringsPerTask());
        }
        return out;
    }
}

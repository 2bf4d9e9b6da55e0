package org.munet.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.munet.data.DataHparams;
import org.munet.data.Datasets;
import org.munet.data.TaskData;
import org.munet.data.TestPass;
import org.munet.data.TrainStream;
import org.munet.data.ValidationSubset;
import org.munet.nn.CandidateTrainer;
import org.munet.nn.ComponentFactory;
import org.munet.nn.Evaluator;
import org.munet.nn.FreshPath;
import org.munet.nn.LrSchedule;
import org.munet.nn.OptimizerHparams;
import org.munet.nn.PathModel;
import org.munet.nn.ProcessMemory;
import org.munet.nn.TrainingBudget;
import org.munet.nn.TrainingResult;
import org.munet.nn.VitConfig;
import org.munet.system.ModelDims;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code munet train}: trains one path from a freshly initialised root with every component
 * trainable ("finetune all"), validating V times and keeping the best snapshot, then reports test
 * accuracy. The building block the evolution runs for every candidate.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one ViT path from scratch on a task and report its accuracy.")
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--task", required = true,
            description = "Task name, e.g. mnist, fashion_mnist, mnist/rot90, mnist/labels:0-4.")
    String task;

    @Option(names = "--data", defaultValue = "data",
            description = "Data directory: a local path or a Hadoop URI (default: ${DEFAULT-VALUE}).")
    String dataDir;

    @Option(names = "--steps", defaultValue = "5000", description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--validations", defaultValue = "5",
            description = "Validations V; the steps are split into V equal rounds (default: ${DEFAULT-VALUE}).")
    int validations;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-validation-examples", defaultValue = "5120",
            description = "Size cap of the fixed validation subset (default: ${DEFAULT-VALUE}).")
    int maxValidationExamples;

    @Option(names = "--lr", defaultValue = "0.1", description = "Peak learning rate opt_lr (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--schedule", defaultValue = "cosine",
            description = "opt_lr_schedule: constant, cosine or restarts (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warmup-ratio", defaultValue = "0.05", description = "opt_lr_warmup_ratio (default: ${DEFAULT-VALUE}).")
    double warmupRatio;

    @Option(names = "--momentum", defaultValue = "0.9", description = "opt_momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--nesterov", description = "Use Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--augment",
            description = "Train with the reference's default augmentation (random crop of >= 5%% area,"
                    + " aspect 0.75-1.33, horizontal flip); off by default for digits and clothes.")
    boolean augment;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for init and data order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--image-size", defaultValue = "28", description = "Input side in pixels (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--channels", defaultValue = "1",
            description = "Input channels: 1 (native grayscale) or 3 (tiled) (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--patch-size", defaultValue = "7", description = "Patch side (default: ${DEFAULT-VALUE}).")
    int patchSize;

    @Option(names = "--width", defaultValue = "64", description = "Hidden size D (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--mlp-dim", defaultValue = "128", description = "MLP width (default: ${DEFAULT-VALUE}).")
    int mlpDim;

    @Option(names = "--layers", defaultValue = "3", description = "Encoder blocks (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        requirePositive("--steps", steps);
        requirePositive("--validations", validations);
        requirePositive("--batch-size", batchSize);
        requirePositive("--threads", threads);
        long start = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        VitConfig config = new VitConfig(new ModelDims(patchSize, channels, width, mlpDim, heads), imageSize, layers);
        OptimizerHparams opt = new OptimizerHparams(lr, LrSchedule.fromKey(schedule), warmupRatio,
                momentum, nesterov);
        TaskData data = Datasets.load(task, dataDir, org.munet.store.HadoopConf.forThisJvm());
        DataHparams dataHparams = augment ? DataHparams.defaults(imageSize) : DataHparams.none(imageSize);
        TrainingBudget budget = new TrainingBudget(validations, (steps + validations - 1) / validations);

        TrainStream train = TrainStream.of(data, batchSize, dataHparams, channels, seed);
        ValidationSubset validation = new ValidationSubset(data.validation(), maxValidationExamples,
                batchSize, DataHparams.none(imageSize), channels);
        if (!json) {
            out.printf(Locale.ROOT, "task %s: %d train / %d validation (%d used) / %d test examples, %d classes%n",
                    data.name(), data.trainSize(), data.validation().size(),
                    validation.sizing().examples(), data.test().size(), data.numClasses());
            out.printf(Locale.ROOT, "training %d steps of batch %d, %d validations%n",
                    budget.totalSteps(), batchSize, validations);
            out.flush();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            PathModel model = FreshPath.model(manager,
                    new ComponentFactory(config, data.numClasses(), 0), seed);
            CandidateTrainer trainer = new CandidateTrainer(manager, threads);
            TrainingResult result = trainer.train(model, opt, budget, train, validation.batches(),
                    data.numClasses(), Double.NEGATIVE_INFINITY, q -> q,
                    (i, step, accuracy, score, snapshot) -> {
                        if (!json) {
                            out.printf(Locale.ROOT, "validation %d/%d at step %d: accuracy %.4f%s%n",
                                    i + 1, validations, step, accuracy, snapshot ? " (kept)" : "");
                            out.flush();
                        }
                    });
            double test = new Evaluator(manager).accuracy(model,
                    new TestPass(data.test(), 500, DataHparams.none(imageSize), channels));
            report(out, result, test, model.trainableParameterCount(), (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }

    private void report(PrintWriter out, TrainingResult r, double test, long trainable, double wall)
            throws Exception {
        double peakRssMb = ProcessMemory.peakResidentBytes() / (1024.0 * 1024.0);
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("task", task);
            o.put("steps", r.steps());
            o.put("batch_size", batchSize);
            o.put("validation_accuracies", r.evals());
            o.put("validation_accuracy", r.quality());
            o.put("test_accuracy", test);
            o.put("trainable_params", trainable);
            o.put("samples_per_second", r.samplesPerSecond());
            o.put("train_seconds", r.trainSeconds());
            o.put("wall_seconds", wall);
            o.put("peak_rss_mb", peakRssMb);
            out.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o));
        } else {
            out.printf(Locale.ROOT, "test accuracy %.4f (best validation %.4f)%n", test, r.quality());
            out.printf(Locale.ROOT, "trainable parameters %d%n", trainable);
            out.printf(Locale.ROOT, "throughput %.0f samples/s (%d samples in %.1f s of training)%n",
                    r.samplesPerSecond(), r.samples(), r.trainSeconds());
            out.printf(Locale.ROOT, "peak RSS %.0f MB, wall time %.1f s%n", peakRssMb, wall);
        }
        out.flush();
    }

    private void requirePositive(String option, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be positive, got " + value);
        }
    }

}

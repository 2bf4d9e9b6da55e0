package org.munet.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.munet.data.DecodedImage;
import org.munet.data.ImageSet;
import org.munet.data.Datasets;
import org.munet.nn.ComponentFactory;
import org.munet.nn.FreshPath;
import org.munet.nn.PathModel;
import org.munet.nn.VitConfig;
import org.munet.serve.ModelInput;
import org.munet.serve.Prediction;
import org.munet.serve.Predictor;
import org.munet.serve.StateModels;
import org.munet.serve.TaskModel;
import org.munet.serve.TaskModelInfo;
import org.munet.store.HadoopConf;
import org.munet.store.StateStore;
import org.munet.store.SystemManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code munet bench-predict}: inference throughput of one task's path on real MNIST test images,
 * on this JVM's intra-op threads (one under deploy/munet): the forward pass alone over
 * preprocessed batches (what the PyTorch peer's eval mode measures), and the whole prediction
 * (preprocessing from the stored bytes, forward, top-k). A benchmark, not a test: it prints.
 */
@Command(name = "bench-predict", mixinStandardHelpOptions = true,
        description = "Measure inference throughput (images/s) of a task's path, or of the default tiny ViT.")
public final class PredictBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    String dataDir;

    @Option(names = "--state", description = "A state whose path to measure (default: a fresh tiny ViT, the"
            + " quickstart's architecture).")
    String state;

    @Option(names = "--task", defaultValue = "mnist", description = "The task whose best path runs (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--batch-size", defaultValue = "256", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batches", defaultValue = "200", description = "Timed batches (default: ${DEFAULT-VALUE}).")
    int batches;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ImageSet test = Datasets.load("mnist", dataDir, HadoopConf.forThisJvm()).test();
        try (NDManager manager = NDManager.newBaseManager(); TaskModel model = model(manager)) {
            TaskModelInfo info = model.info();
            out.printf(Locale.ROOT, "model: %s path %d, %s, %d parameters; batch %d, %d timed batches%n",
                    info.task(), info.pathId(), info.vit(), model.path().parameterCount(), batchSize, batches);
            ModelInput input = new ModelInput(info);
            Predictor predictor = new Predictor(model, manager);
            float[][] prepared = new float[test.size() / batchSize][];
            for (int b = 0; b < prepared.length; b++) {
                prepared[b] = new float[batchSize * input.size()];
                for (int i = 0; i < batchSize; i++) {
                    input.fill(image(test, b * batchSize + i), prepared[b], i * input.size());
                }
            }
            // Warm-up: native library, allocator, kernels (the first batches of a JVM run slower).
            for (int b = 0; b < Math.max(50, batches / 4); b++) {
                predictor.logits(prepared[b % prepared.length], batchSize);
            }
            long t0 = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                predictor.logits(prepared[b % prepared.length], batchSize);
            }
            double forward = rate(t0);
            float[] scratch = new float[batchSize * input.size()];
            t0 = System.nanoTime();
            long checksum = 0;
            for (int b = 0; b < batches; b++) {
                int first = (b % prepared.length) * batchSize;
                for (int i = 0; i < batchSize; i++) {
                    input.fill(image(test, first + i), scratch, i * input.size());
                }
                float[] logits = predictor.logits(scratch, batchSize);
                for (int i = 0; i < batchSize; i++) {
                    checksum += Prediction.of(logits, i * info.numClasses(), info.classNames(), 5).label();
                }
            }
            double whole = rate(t0);
            out.printf(Locale.ROOT, "MUNET forward %.0f images/s%n", forward);
            out.printf(Locale.ROOT, "MUNET predict %.0f images/s (preprocessing from bytes, forward, top-5; checksum %d)%n",
                    whole, checksum);
        }
        return 0;
    }

    private double rate(long t0) {
        return (double) batches * batchSize / ((System.nanoTime() - t0) / 1e9);
    }

    private TaskModel model(NDManager manager) {
        if (state != null) {
            StateStore store = StateStore.open(state, HadoopConf.forThisJvm());
            SystemManifest.Loaded system = StateModels.manifest(store, StateModels.version(store, null));
            return StateModels.load(store, system, StateModels.bestPath(system, task), StateModels.owned(manager));
        }
        VitConfig tiny = VitConfig.tiny();
        PathModel path = FreshPath.model(manager, new ComponentFactory(tiny, 10, 16), 0);
        TaskModelInfo info = new TaskModelInfo("tiny ViT (random init)", "none", -1, 0, tiny, List.of(), 16,
                java.util.stream.IntStream.range(0, 10).mapToObj(Integer::toString).toList(), null, null);
        return new TaskModel(info, path, blocks -> blocks.forEach(org.munet.nn.ComponentBlock::close));
    }

    private static DecodedImage image(ImageSet set, int i) {
        int plane = set.channels() * set.height() * set.width();
        return new DecodedImage(set.channels(), set.height(), set.width(),
                java.util.Arrays.copyOfRange(set.pixels(), i * plane, (i + 1) * plane));
    }
}

package org.munet.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.munet.data.Batch;
import org.munet.data.DataHparams;
import org.munet.data.Datasets;
import org.munet.data.TaskData;
import org.munet.data.TestPass;
import org.munet.data.TrainStream;
import org.munet.data.ValidationSubset;
import org.munet.nn.CandidateTrainer;
import org.munet.nn.ComponentBlock;
import org.munet.nn.ComponentFactory;
import org.munet.nn.Evaluator;
import org.munet.nn.FreshPath;
import org.munet.nn.OptimizerHparams;
import org.munet.nn.PathModel;
import org.munet.nn.PrefixCache;
import org.munet.nn.ProcessMemory;
import org.munet.nn.TrainingBudget;
import org.munet.nn.TrainingResult;
import org.munet.nn.VitConfig;
import org.munet.store.HadoopConf;
import org.munet.system.ComponentNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code munet bench}: the speed of the default tiny ViT on real MNIST in the modes of the PyTorch
 * peer ({@code ../shared/bench/pytorch_peer.py}), one line per mode, {@code MUNET <mode>
 * <samples/s> ...}, so that {@code deploy/bench/vs-pytorch.sh} can set them side by side.
 *
 * <ul>
 *   <li>{@code train}: every component trains (finetune-all), batch 128.
 *   <li>{@code frozen:K}: embedding, class token, position embedding and the bottom K blocks frozen,
 *       the rest trained: a typical µ2Net candidate. Measured as one generation of
 *       {@code --generation} such candidates, one after another on one thread, each with its own
 *       trainable copies, on the same batches (as a generation's candidates are): the first
 *       computes the frozen prefix, the others reuse it ({@link PrefixCache}). Prints the
 *       generation's samples/s per candidate, and the first candidate's alone.
 *   <li>{@code eval}: inference, no gradients, batch 500, over the test set.
 *   <li>{@code threads:N}: N finetune-all candidates on N threads (one intra-op thread each).
 * </ul>
 * A benchmark, not a test: it prints.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training and evaluation throughput (samples/s) in the PyTorch peer's modes.")
public final class BenchCommand implements Callable<Integer> {

    private static final int WARMUP_STEPS = 30;
    private static final int EVAL_BATCH = 500;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "data",
            description = "Data directory: a local path or a Hadoop URI (default: ${DEFAULT-VALUE}).")
    String dataDir;

    @Option(names = "--mode", defaultValue = "train",
            description = "train, frozen:K, eval or threads:N (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--steps", defaultValue = "300",
            description = "Timed steps (batches) per candidate (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch-size", defaultValue = "128", description = "Training batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--generation", defaultValue = "4",
            description = "Candidates sharing a frozen prefix in frozen:K mode (default: ${DEFAULT-VALUE}).")
    int generation;

    @Option(names = "--prefix-cache-mb", defaultValue = "512",
            description = "Bound of the frozen-prefix cache; 0 computes every prefix (default: ${DEFAULT-VALUE}).")
    long prefixCacheMb;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TaskData data = Datasets.load("mnist", dataDir, HadoopConf.forThisJvm());
        VitConfig config = VitConfig.tiny();
        try (NDManager manager = NDManager.newBaseManager();
                PrefixCache prefixes = new PrefixCache(manager, prefixCacheMb << 20)) {
            if (mode.equals("train")) {
                double rate = trainAlone(manager, data, config, -1, null);
                out.printf(Locale.ROOT, "MUNET train %.0f samples/s%n", rate);
            } else if (mode.startsWith("frozen:")) {
                frozen(out, manager, prefixes, data, config, count(mode));
            } else if (mode.equals("eval")) {
                out.printf(Locale.ROOT, "MUNET eval %.0f samples/s (batch %d)%n", eval(manager, data, config), EVAL_BATCH);
            } else if (mode.startsWith("threads:")) {
                threads(out, manager, data, config, count(mode));
            } else {
                throw new ParameterException(spec.commandLine(), "unknown --mode " + mode
                        + "; use train, frozen:K, eval or threads:N");
            }
        }
        out.printf(Locale.ROOT, "peak RSS %.0f MB%n", ProcessMemory.peakResidentBytes() / 1048576.0);
        return 0;
    }

    /** One candidate training alone: its samples/s after a warm-up. */
    private double trainAlone(NDManager manager, TaskData data, VitConfig config, int frozenBlocks,
            PrefixCache prefixes) {
        PathModel model = model(manager, config, frozenBlocks);
        train(manager, model, data, WARMUP_STEPS, 1, prefixes);
        return train(manager, model, data, steps, 2, prefixes).samplesPerSecond();
    }

    private void frozen(PrintWriter out, NDManager manager, PrefixCache prefixes, TaskData data, VitConfig config,
            int k) {
        double alone = trainAlone(manager, data, config, k, null);
        PathModel shared = model(manager, config, k);
        List<TrainingResult> results = new ArrayList<>();
        for (int c = 0; c < generation; c++) {
            // Each candidate its own trainable copies over the same frozen instances.
            List<ComponentBlock> blocks = new ArrayList<>();
            for (ComponentBlock b : shared.components()) {
                blocks.add(b.isTrainable() ? b.copyTo(manager) : b);
            }
            results.add(train(manager, new PathModel(blocks), data, steps, 3, prefixes));
        }
        double seconds = results.stream().mapToDouble(TrainingResult::trainSeconds).sum();
        PrefixCache.Stats stats = prefixes.stats();
        out.printf(Locale.ROOT, "MUNET frozen:%d %.0f samples/s per candidate in a generation of %d sharing the"
                        + " prefix (first %.0f, alone without the cache %.0f; cache %d hits, %d misses, %.0f MB)%n",
                k, generation * (double) steps * batchSize / seconds, generation, results.get(0).samplesPerSecond(),
                alone, stats.hits(), stats.misses(), stats.heldBytes() / 1048576.0);
    }

    private void threads(PrintWriter out, NDManager manager, TaskData data, VitConfig config, int n)
            throws Exception {
        double one = trainAlone(manager, data, config, -1, null);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Double>> futures = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                futures.add(pool.submit(() -> trainAlone(manager, data, config, -1, null)));
            }
            double total = 0;
            StringBuilder each = new StringBuilder();
            for (Future<Double> f : futures) {
                double rate = f.get();
                total += rate;
                each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", rate));
            }
            out.printf(Locale.ROOT, "MUNET threads:%d %.0f samples/s in total (%s per candidate; one alone %.0f:"
                    + " %.2fx)%n", n, total, each, one, total / one);
        } finally {
            pool.shutdown();
        }
    }

    private double eval(NDManager manager, TaskData data, VitConfig config) {
        PathModel model = model(manager, config, -1);
        Evaluator evaluator = new Evaluator(manager);
        TestPass pass = new TestPass(data.test(), EVAL_BATCH, DataHparams.none(config.imageSize()), config.channels());
        List<Batch> batches = new ArrayList<>();
        pass.forEach(batches::add);
        for (int b = 0; b < 5; b++) {
            evaluator.predictions(model, batches.get(b));
        }
        long t0 = System.nanoTime();
        long samples = 0;
        for (int b = 0; b < steps; b++) {
            Batch batch = batches.get(b % batches.size());
            evaluator.predictions(model, batch);
            samples += batch.size();
        }
        return samples / ((System.nanoTime() - t0) / 1e9);
    }

    /** Trains {@code timedSteps} steps from a stream of seed {@code seed}; one validation batch. */
    private TrainingResult train(NDManager manager, PathModel model, TaskData data, int timedSteps, long seed,
            PrefixCache prefixes) {
        ValidationSubset validation = new ValidationSubset(data.validation(), batchSize, batchSize,
                DataHparams.none(28), 1);
        return new CandidateTrainer(manager, 1, prefixes).train(model, OptimizerHparams.defaults(),
                new TrainingBudget(1, timedSteps), new TrainStream(data.train(), batchSize, DataHparams.none(28), 1, seed),
                validation.batches(), 10, Double.NEGATIVE_INFINITY, q -> q, null);
    }

    /**
     * A fresh tiny ViT; with {@code frozenBlocks >= 0}, the peer's {@code frozen:K}: embedding,
     * class token, position embedding and the bottom K blocks frozen.
     */
    private static PathModel model(NDManager manager, VitConfig config, int frozenBlocks) {
        PathModel model = FreshPath.model(manager, new ComponentFactory(config, 10, 0), 0);
        if (frozenBlocks >= 0) {
            for (ComponentBlock c : model.components()) {
                String name = c.componentName();
                boolean frozen = name.equals(ComponentNames.EMBEDDING) || name.equals(ComponentNames.CLS)
                        || name.equals(ComponentNames.POSEMBED);
                for (int i = 0; i < frozenBlocks; i++) {
                    frozen |= name.equals(ComponentNames.encoderBlock(i));
                }
                c.setTrainable(!frozen);
            }
        }
        return model;
    }

    private int count(String m) {
        try {
            int n = Integer.parseInt(m.substring(m.indexOf(':') + 1));
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the mode the user gave
        }
        throw new ParameterException(spec.commandLine(), "--mode " + m + ": the count after ':' must be a"
                + " non-negative integer");
    }
}

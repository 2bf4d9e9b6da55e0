package org.munet.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.munet.data.DataHparams;
import org.munet.data.Datasets;
import org.munet.data.TaskData;
import org.munet.data.TrainStream;
import org.munet.data.ValidationSubset;
import org.munet.nn.CandidateTrainer;
import org.munet.nn.ComponentFactory;
import org.munet.nn.FreshPath;
import org.munet.nn.OptimizerHparams;
import org.munet.nn.PathModel;
import org.munet.nn.ProcessMemory;
import org.munet.nn.TrainingBudget;
import org.munet.nn.TrainingResult;
import org.munet.nn.VitConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code munet bench}: training throughput of the default tiny ViT on real MNIST, for one
 * candidate and for several candidates training concurrently on their own threads (one intra-op
 * thread each), the way a generation runs on one machine. A benchmark, not a test: it prints.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training throughput (samples/s) of concurrent candidates.")
public final class BenchCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "data",
            description = "Data directory: a local path or a Hadoop URI (default: ${DEFAULT-VALUE}).")
    String dataDir;

    @Option(names = "--steps", defaultValue = "300", description = "Timed steps per candidate (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--candidates", split = ",", defaultValue = "1,2",
            description = "Concurrent candidate counts to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> candidateCounts;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TaskData data = Datasets.load("mnist", dataDir, org.munet.store.HadoopConf.forThisJvm());
        VitConfig config = VitConfig.tiny();
        out.printf(Locale.ROOT, "model: tiny ViT %s, batch %d, %d timed steps per candidate%n",
                config, batchSize, steps);
        // Warm up once (native library load, allocator) so the first measurement is not penalised.
        measure(data, config, 1, Math.min(steps, 30));
        double single = 0;
        for (int n : candidateCounts) {
            double[] perCandidate = measure(data, config, n, steps);
            double total = 0;
            for (double v : perCandidate) {
                total += v;
            }
            if (n == 1) {
                single = total;
            }
            out.printf(Locale.ROOT, "%d candidate(s) on %d thread(s): %.0f samples/s in total (%s per candidate)%s%n",
                    n, n, total, format(perCandidate),
                    single > 0 && n > 1 ? String.format(Locale.ROOT, ", %.2fx one candidate", total / single) : "");
            out.flush();
        }
        out.printf(Locale.ROOT, "peak RSS %.0f MB%n", ProcessMemory.peakResidentBytes() / 1048576.0);
        return 0;
    }

    private double[] measure(TaskData data, VitConfig config, int candidates, int timedSteps)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(candidates);
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Future<TrainingResult>> futures = new ArrayList<>();
            ValidationSubset validation = new ValidationSubset(data.validation(), batchSize, batchSize,
                    DataHparams.none(28), 1);
            validation.batches();
            for (int c = 0; c < candidates; c++) {
                long seed = c;
                futures.add(pool.submit(() -> {
                    PathModel model = FreshPath.model(manager, new ComponentFactory(config, 10, 0), seed);
                    return new CandidateTrainer(manager, 1).train(model, OptimizerHparams.defaults(),
                            new TrainingBudget(1, timedSteps),
                            new TrainStream(data.train(), batchSize, DataHparams.none(28), 1, seed),
                            validation.batches(), 10, Double.NEGATIVE_INFINITY, q -> q, null);
                }));
            }
            double[] rates = new double[candidates];
            for (int c = 0; c < candidates; c++) {
                rates[c] = futures.get(c).get().samplesPerSecond();
            }
            return rates;
        } finally {
            pool.shutdown();
        }
    }

    private static String format(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", v));
        }
        return b.toString();
    }
}

package org.munet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.munet.evolution.CandidateRunner;
import org.munet.evolution.GenerationReport;
import org.munet.evolution.ProgressListener;
import org.munet.evolution.RunBudget;
import org.munet.evolution.RunSummary;
import org.munet.evolution.VisitSchedule;
import org.munet.run.EvolveRun;
import org.munet.report.Report;
import org.munet.report.ReportData;
import org.munet.report.ReportPage;
import org.munet.run.StateReader;
import org.munet.spark.SparkCandidateRunner;
import org.munet.spark.SparkContexts;
import org.munet.store.HadoopConf;
import org.munet.store.SparkProperties;
import org.munet.worker.LocalCandidateRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code munet evolve}: grows the system in a state directory with the tasks of a config, training
 * each generation's candidates on local threads. Re-running it on the same state continues from the
 * last committed generation.
 */
@Command(name = "evolve", mixinStandardHelpOptions = true,
        description = "Run the µ2Net evolution on a state directory (continues an interrupted run).")
public final class EvolveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "Experiment YAML (see deploy/configs/reference.yaml).")
    Path config;

    @Option(names = "--state", required = true,
            description = "State directory or URI (file://, hdfs://, s3a://, ...); created if empty.")
    String state;

    @Option(names = "--continue-from",
            description = "Start this new state from another system's final state (chain benchmarks).")
    String continueFrom;

    @Option(names = "--baseline",
            description = "Run a baseline instead: finetune_all, freeze_bottom:N, adapters:D, size_scale:N.")
    String baseline;

    @Option(names = "--workers",
            description = "Local task slots: candidates trained at once when no cluster is given (default: one per core).")
    Integer workers;

    @Option(names = "--runner", defaultValue = "spark",
            description = "spark: a Spark job per generation (local mode unless spark-submit gives a master);"
                    + " threads: plain local threads, no Spark (default: ${DEFAULT-VALUE}).")
    String runnerName;

    @Option(names = "--catalog",
            description = "Task catalog (YAML on any Hadoop file system) instead of the config's tasks: each run"
                    + " introduces the tasks the system has not seen, then revisits the others.")
    String catalog;

    @Option(names = "--time-budget",
            description = "Stop at the last generation boundary that fits, e.g. 6h, 45m, 1h30m (default: none).")
    String timeBudget;

    @Option(names = "--max-generations", description = "Stop after this many generations (default: none).")
    Integer maxGenerations;

    @Option(names = "--report",
            description = "Write the state's report (index.html) into this directory (or URI) at the end of the run.")
    String report;

    @Option(names = "--root",
            description = "Pretrained ViT checkpoint (.safetensors in timm or Hugging Face naming, or a vit_jax/"
                    + "big_vision .npz; any Hadoop URI) to start a new state's root from; overrides the config's"
                    + " root section. A continued state keeps the root it was created with.")
    String root;

    private CandidateRunner runner(int slots, Map<String, String> sparkProperties, Configuration hadoop) {
        switch (runnerName) {
            case "spark":
                return new SparkCandidateRunner(SparkContexts.create("munet evolve " + state, slots, sparkProperties),
                        hadoop, true);
            case "threads":
                return new LocalCandidateRunner(slots, hadoop);
            default:
                throw new IllegalArgumentException("unknown --runner '" + runnerName + "'; known: spark, threads");
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int slots = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        if (slots < 1) {
            throw new IllegalArgumentException("--workers must be positive, got " + slots);
        }
        ProgressListener progress = new ProgressListener() {
            @Override
            public void onGeneration(GenerationReport r) {
                out.printf(Locale.ROOT, "%s  iteration %d  generation %d/%d  candidates %d  kept %d  best score %.4f"
                        + "  elapsed %.0fs  (generation %.1fs, per candidate: training %.1fs, overhead %.2fs)%n",
                        r.task(), r.iteration(), r.generation(), r.generations(), r.candidates(), r.kept(),
                        r.bestScore(), r.elapsedSeconds(), r.wallSeconds(), r.meanTrainSeconds(),
                        r.meanOverheadSeconds());
                for (String rejection : r.rejections()) {
                    out.println("  rejected candidate " + rejection);
                }
                out.flush();
            }

            @Override
            public void onTaskEnd(String task, int iteration, double validation, double test, double elapsed) {
                out.printf(Locale.ROOT, "%s  iteration %d  done: validation %.4f  test %.4f  elapsed %.0fs%n",
                        task, iteration, validation, test, elapsed);
                out.flush();
            }
        };
        RunBudget budget = new RunBudget(timeBudget == null ? null : RunBudget.parseDuration(timeBudget),
                maxGenerations);
        // One set of spark.* keys and one Hadoop configuration built from them serve the whole run:
        // config and catalog, the state on the driver, the Spark context, and the workers.
        Map<String, String> sparkProperties = SparkProperties.load();
        Configuration hadoop = HadoopConf.of(sparkProperties);
        // Bad input is refused before Spark starts.
        EvolveRun.Prepared input = EvolveRun.prepare(config, baseline, new EvolveRun.Options(catalog, budget, root),
                hadoop);
        RunSummary summary;
        try (CandidateRunner runner = runner(slots, sparkProperties, hadoop)) {
            // Under Spark the engine also tells the µ2Net tab of the Spark UI (and the event log).
            ProgressListener listener = runner instanceof SparkCandidateRunner spark
                    ? ProgressListener.all(progress, spark.uiEvents()) : progress;
            EvolveRun.Outcome outcome = EvolveRun.run(input, state, continueFrom, runner, listener);
            summary = outcome.summary();
            out.printf(Locale.ROOT, "committed version %d of %s%n%n", outcome.version(), state);
        }
        StatusCommand.print(out, new StateReader(state, hadoop).leaderboard());
        out.println();
        printSummary(out, summary);
        if (report != null) {
            out.println("report: " + Report.write(ReportData.read(state, null, hadoop),
                    new ReportPage.Prices(0.05, "USD"), report, hadoop));
            out.flush();
        }
        for (VisitSchedule.Skipped s : summary.skipped()) {
            spec.commandLine().getErr().println("munet: skipped task " + s.task() + ": " + s.reason());
        }
        // A scheduler must see a night in which no task could be read (the state is unchanged).
        if (summary.allSkipped()) {
            spec.commandLine().getErr().println("munet evolve: " + EvolveRun.allSkipped(summary.skipped()));
            return UserErrorHandler.USER_ERROR;
        }
        return 0;
    }

    /** The morning report's first lines: what this run did and why it stopped. */
    static void printSummary(PrintWriter out, RunSummary s) {
        if (s.didNothing()) {
            out.println("run: nothing to do: " + s.stopReason());
        }
        out.printf(Locale.ROOT, "run: introduced %d %s, revisited %d %s, improved %d %s%n",
                s.introduced().size(), s.introduced(), s.revisited().size(), s.revisited(), s.improved().size(),
                s.improved());
        out.printf(Locale.ROOT, "run: %d generation%s, %d task iteration%s finished, %.0f core-seconds of training,"
                + " %.0fs wall; stopped: %s%n", s.generations(), s.generations() == 1 ? "" : "s", s.completedVisits(),
                s.completedVisits() == 1 ? "" : "s", s.computeSeconds(), s.wallSeconds(), s.stopReason());
        for (VisitSchedule.Skipped k : s.skipped()) {
            out.println("run: skipped " + k.task() + ": " + k.reason());
        }
        out.flush();
    }
}

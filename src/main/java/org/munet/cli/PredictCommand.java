package org.munet.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.munet.serve.TaskModelInfo;
import org.munet.spark.PredictJob;
import org.munet.spark.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code munet predict}: one task's best path over images, as a Spark job. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict with one task's best path (or an exported model) over images in any layout and"
                + " location the training side reads; writes Parquet or CSV. Runs as a Spark job: local mode by"
                + " default, any cluster under spark-submit.")
public final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--state", description = "State directory or URI whose path predicts.")
    String state;

    @Option(names = "--model", description = "An exported model directory (munet export) instead of a state.")
    String model;

    @Option(names = "--task", description = "The task whose best path predicts (with --state).")
    String task;

    @Option(names = "--version", description = "The state version to use (default: the latest when the job starts).")
    Long version;

    @Option(names = "--input", required = true,
            description = "Images: an IDX directory or file, an image folder (searched recursively), or a Parquet table.")
    String input;

    @Option(names = "--format", description = "idx, image_folder or parquet (default: detected).")
    String format;

    @Option(names = "--split", defaultValue = "test", description = "For an IDX directory: test or train (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--image-column", defaultValue = "image", description = "Parquet: the image column (default: ${DEFAULT-VALUE}).")
    String imageColumn;

    @Option(names = "--id-column", description = "Parquet: a column identifying each row (default: the row's position).")
    String idColumn;

    @Option(names = "--label-column", defaultValue = "label", description = "Parquet: an integer label column, kept when present (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--output", required = true, description = "Where to write the predictions (a new path or URI).")
    String output;

    @Option(names = "--output-format", description = "parquet or csv (default: csv when --output ends in .csv, else parquet).")
    String outputFormat;

    @Option(names = "--top-k", defaultValue = "5", description = "Classes listed per row with their probabilities (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--batch-size", defaultValue = "256", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--workers", defaultValue = "2", description = "Task slots in local mode, without a master (default: ${DEFAULT-VALUE}).")
    int workers;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // Under spark-submit or in a test, a session may exist already: use it, and leave it running.
        boolean ownSession = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkContexts.session("munet predict", workers);
        try {
            PredictJob.Summary s = PredictJob.run(spark, new PredictJob.Request(state, version, model, task, input,
                    format, split, imageColumn, idColumn, labelColumn, output, outputFormat, topK, batchSize));
            print(out, s);
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
        return 0;
    }

    static void print(PrintWriter out, PredictJob.Summary s) {
        TaskModelInfo m = s.model();
        out.printf(Locale.ROOT, "predict: task %s, path %d from %s%s%n", m.task(), m.pathId(), m.source(),
                m.version() >= 0 ? " version " + m.version() : "");
        out.printf(Locale.ROOT, "predict: %d rows written to %s, %d without a prediction (see its error column)%n",
                s.rows(), s.output(), s.failed());
        if (s.accuracy() != null) {
            out.printf(Locale.ROOT, "predict: accuracy %.4f on %d labelled rows%n", s.accuracy(), s.labelled());
        }
        if (s.predictionsSha256() != null) {
            out.printf(Locale.ROOT, "predict: predictions sha256 %s (one byte per row, in id order)%n",
                    s.predictionsSha256());
        }
        if (m.testAccuracy() != null) {
            out.printf(Locale.ROOT, "predict: the state's test pass of this path: accuracy %.4f, predictions sha256 %s%n",
                    m.testAccuracy(), m.testPredictionsSha256());
        }
        out.flush();
    }
}

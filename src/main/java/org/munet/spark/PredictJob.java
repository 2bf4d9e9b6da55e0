package org.munet.spark;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.munet.data.DataSources;
import org.munet.serve.ModelRef;
import org.munet.serve.TaskModelInfo;
import org.munet.serve.TaskModels;
import org.munet.store.StateStore;
import org.munet.serve.StateModels;

/**
 * {@code munet predict} as a Spark job: the input's images through one task's path
 * ({@link MunetClassifier}), written as Parquet or CSV with the input's id, its label where known,
 * the predicted label and class, the top-k classes with probabilities, and the error of a row that
 * could not be predicted.
 */
public final class PredictJob {

    /** What to predict, where from and where to. */
    public record Request(String stateUri, Long version, String modelUri, String task, String input,
            String format, String split, String imageColumn, String idColumn, String labelColumn, String output,
            String outputFormat, int topK, int batchSize) {}

    /**
     * What the job did. {@code predictionsSha256} is over the predicted labels in id order, one byte
     * each (the state's test-pass digest), and null when some row has no prediction.
     */
    public record Summary(TaskModelInfo model, String output, long rows, long failed, long labelled, long correct,
            String predictionsSha256) {

        public Double accuracy() {
            return labelled == 0 ? null : correct / (double) labelled;
        }
    }

    private PredictJob() {}

    public static Summary run(SparkSession spark, Request r) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        ModelRef ref = pin(r, hadoop);
        String task = r.task() != null ? r.task() : TaskModels.jvm().exportedTask(ref, hadoop);
        TaskModelInfo info = TaskModels.jvm().info(ref, task, hadoop);
        String outputFormat = outputFormat(r);
        Path out = new Path(r.output());
        FileSystem fs = DataSources.fileSystem(out, hadoop);
        String outUri = fs.makeQualified(out).toString();
        try {
            if (fs.exists(out)) {
                throw new IllegalArgumentException("--output " + outUri + " exists already; predictions are never"
                        + " written over other files: choose a new path or remove it");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--output " + outUri + ": cannot reach it (" + e.getMessage() + ")", e);
        }

        Dataset<Row> images = PredictInput.read(spark, hadoop, r.input(),
                r.format() == null ? null : PredictInput.Format.parse(r.format()), r.split(), r.imageColumn(),
                r.idColumn(), r.labelColumn(), info.classNames());
        MunetClassifier classifier = new MunetClassifier().setTask(task).setInputCol(PredictInput.IMAGE)
                .setBatchSize(r.batchSize()).setTopK(r.topK());
        if (ref.isExport()) {
            classifier.setModelUri(ref.exportUri());
        } else {
            classifier.setStateUri(ref.stateUri()).setVersion(ref.version());
        }
        spark.sparkContext().setJobDescription("munet predict " + task + " (" + ref + ") over " + r.input());
        Dataset<Row> predicted = classifier.transform(images)
                .select(columns(images, "csv".equals(outputFormat)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            var writer = predicted.write().mode("errorifexists");
            if ("csv".equals(outputFormat)) {
                writer.option("header", "true").csv(outUri);
            } else {
                writer.parquet(outUri);
            }
            return summary(predicted, info, outUri);
        } finally {
            predicted.unpersist();
        }
    }

    private static ModelRef pin(Request r, Configuration hadoop) {
        if ((r.stateUri() == null) == (r.modelUri() == null)) {
            throw new IllegalArgumentException("give --state DIR (with --task) or --model EXPORT_DIR");
        }
        if (r.modelUri() != null) {
            Path p = new Path(r.modelUri());
            return ModelRef.export(DataSources.fileSystem(p, hadoop).makeQualified(p).toString());
        }
        if (r.task() == null) {
            throw new IllegalArgumentException("--state needs --task: which task's path predicts");
        }
        StateStore store = StateStore.open(r.stateUri(), hadoop);
        return ModelRef.state(store.uri().toString(), StateModels.version(store, r.version()));
    }

    private static String outputFormat(Request r) {
        String f = r.outputFormat() != null ? r.outputFormat()
                : r.output().toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "parquet";
        if (!f.equals("csv") && !f.equals("parquet")) {
            throw new IllegalArgumentException("--output-format " + f + " is not one of parquet, csv");
        }
        return f;
    }

    /** The output's columns; CSV cannot hold arrays, so there the top-k list is a JSON string. */
    private static Column[] columns(Dataset<Row> images, boolean csv) {
        List<Column> c = new ArrayList<>();
        c.add(functions.col(PredictInput.ID));
        if (List.of(images.columns()).contains(PredictInput.LABEL)) {
            c.add(functions.col(PredictInput.LABEL));
        }
        c.add(functions.col("prediction"));
        c.add(functions.col("predicted_class"));
        c.add(csv ? functions.to_json(functions.col("top_k")).as("top_k") : functions.col("top_k"));
        c.add(functions.col("error"));
        return c.toArray(new Column[0]);
    }

    private static Summary summary(Dataset<Row> predicted, TaskModelInfo info, String out) {
        boolean labelled = List.of(predicted.columns()).contains(PredictInput.LABEL);
        Row counts = predicted.agg(functions.count(functions.lit(1)),
                functions.count(functions.col("error")),
                labelled ? functions.count(functions.when(functions.col(PredictInput.LABEL).isNotNull()
                        .and(functions.col("prediction").isNotNull()), 1)) : functions.lit(0L),
                labelled ? functions.count(functions.when(functions.col(PredictInput.LABEL)
                        .equalTo(functions.col("prediction")), 1)) : functions.lit(0L)).first();
        long rows = counts.getLong(0);
        long failed = counts.getLong(1);
        String sha = failed > 0 ? null : digest(predicted.select("prediction").orderBy(PredictInput.ID)
                .toLocalIterator());
        return new Summary(info, out, rows, failed, counts.getLong(2), counts.getLong(3), sha);
    }

    private static String digest(Iterator<Row> predictions) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        while (predictions.hasNext()) {
            d.update((byte) predictions.next().getInt(0));
        }
        return HexFormat.of().formatHex(d.digest());
    }
}

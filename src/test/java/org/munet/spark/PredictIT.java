package org.munet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.cli.Main;
import org.munet.data.Datasets;
import org.munet.data.ImageSet;
import org.munet.evolution.ProgressListener;
import org.munet.run.EvolveRun;
import org.munet.run.TinyRuns;
import org.munet.store.HadoopConf;
import org.munet.store.StateStore;
import org.munet.store.SystemManifest;
import org.munet.system.TaskPath;
import org.munet.worker.LocalCandidateRunner;

/**
 * Prediction through the public interfaces, on a real evolved system of three tasks: the
 * {@code predict} command and the {@link MunetClassifier} reproduce the state's own test passes
 * exactly, route the rows of a mixed DataFrame each to its own task's path, give an early task the
 * same predictions before and after later tasks joined, and turn unreadable rows into errors.
 */
class PredictIT {

    private static final List<String> TASKS = List.of("mnist", "fashion_mnist", "mnist/rot90");

    @TempDir
    static Path dir;

    private static String state;
    private static SparkSession spark;
    private static SystemManifest.Loaded latest;
    /** The first version in which mnist's task iteration had ended (before the other tasks). */
    private static long afterMnist;

    @BeforeAll
    static void evolveThreeTasks() throws Exception {
        Path config = TinyRuns.config(dir, "three.yaml", TASKS, 2, 1);
        state = dir.resolve("state").toString();
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, state, null, null, runner, ProgressListener.NONE);
        }
        StateStore store = StateStore.open(state, HadoopConf.forThisJvm());
        latest = SystemManifest.read(store, store.latestVersion().getAsLong());
        afterMnist = -1;
        for (long v : new java.util.TreeSet<>(store.manifestVersions())) {
            SystemManifest.Loaded m = SystemManifest.read(store, v);
            if (!m.population().pathsOf("mnist").isEmpty()
                    && m.population().pathsOf("mnist").get(0).metrics().testQuality() != null) {
                afterMnist = v;
                break;
            }
        }
        assertTrue(afterMnist > 0 && afterMnist < latest.version(), "mnist ended before the other tasks");
        spark = SparkContexts.session("PredictIT", 2);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static TaskPath best(String task) {
        List<TaskPath> paths = latest.population().pathsOf(task);
        assertEquals(1, paths.size(), task + ": one live path after its iteration");
        return paths.get(0);
    }

    @Test
    void predictCommandReproducesTheRecordedTestPass() throws Exception {
        String out = dir.resolve("mnist-predictions.parquet").toString();
        StringWriter printed = new StringWriter();
        int rc = Main.run(new PrintWriter(printed), new PrintWriter(new StringWriter()), "predict", "--state", state,
                "--task", "mnist", "--input", TinyRuns.dataDir() + "/mnist", "--output", out, "--top-k", "3");
        assertEquals(0, rc, printed.toString());
        TaskPath mnist = best("mnist");
        Dataset<Row> written = spark.read().parquet(out);
        assertEquals(List.of("id", "label", "prediction", "predicted_class", "top_k", "error"),
                List.of(written.columns()));
        List<Row> rows = written.orderBy("id").collectAsList();
        assertEquals(10_000, rows.size());
        long correct = 0;
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (Row r : rows) {
            d.update((byte) r.getInt(2));
            correct += r.getInt(1) == r.getInt(2) ? 1 : 0;
            assertEquals(String.valueOf(r.getInt(2)), r.getString(3), "MNIST's classes are its digits");
            List<Row> top = r.getList(4);
            assertEquals(3, top.size());
            assertEquals(r.getInt(2), top.get(0).getInt(0), "the most probable class is the prediction");
            assertTrue(top.get(0).getDouble(2) >= top.get(1).getDouble(2));
            assertNull(r.get(5));
        }
        assertEquals(mnist.metrics().testPredictionsSha256(), HexFormat.of().formatHex(d.digest()));
        assertEquals(mnist.metrics().testQuality(), correct / 10_000.0);
        assertTrue(printed.toString().contains("predictions sha256 " + mnist.metrics().testPredictionsSha256()),
                printed.toString());
    }

    @Test
    void anExportPredictsWithoutTheStateExactlyAsTheStateDid() throws Exception {
        String export = dir.resolve("export-rot90").toString();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "export", "--state", state,
                "--task", "mnist/rot90", "--out", export), err.toString());
        ImageSet test = Datasets.load("mnist/rot90", TinyRuns.dataDir(), HadoopConf.forThisJvm()).test();
        Dataset<Row> images = spark.createDataFrame(imageRows("mnist/rot90", test, test.size()),
                DataTypes.createStructType(List.of(
                        DataTypes.createStructField("id", DataTypes.LongType, false),
                        DataTypes.createStructField("task", DataTypes.StringType, false),
                        DataTypes.createStructField("image", PredictInput.imageSchema(), false))));
        // The export alone (no state): the export's task comes from its config, or a task column.
        List<Row> fromExport = new MunetClassifier().setModelUri(export).setTaskCol("task").transform(images)
                .orderBy("id").select("prediction").collectAsList();
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        fromExport.forEach(r -> d.update((byte) r.getInt(0)));
        assertEquals(best("mnist/rot90").metrics().testPredictionsSha256(), HexFormat.of().formatHex(d.digest()));

        // The command with --model, over a Parquet table of the same images.
        String table = dir.resolve("rot90.parquet").toString();
        images.withColumn("label", functions.lit(0)).drop("task").write().parquet(table);
        String out = dir.resolve("rot90-from-export.parquet").toString();
        StringWriter printed = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(printed), new PrintWriter(err), "predict", "--model", export,
                "--input", table, "--id-column", "id", "--output", out), err.toString());
        assertTrue(printed.toString().contains("predictions sha256 "
                + best("mnist/rot90").metrics().testPredictionsSha256()), printed.toString());
        // A row routed to a task the export does not hold is that row's error.
        Row other = new MunetClassifier().setModelUri(export).setTaskCol("task")
                .transform(images.limit(1).withColumn("task", functions.lit("mnist"))).first();
        assertNull(other.get(other.fieldIndex("prediction")));
        assertTrue(other.getString(other.fieldIndex("error")).contains("holds task 'mnist/rot90' only"),
                other.toString());
    }

    @Test
    void mixedDataFrameRoutesEachRowToItsTasksPath() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String task : TASKS) {
            ImageSet test = Datasets.load(task, TinyRuns.dataDir(), HadoopConf.forThisJvm()).test();
            rows.addAll(imageRows(task, test, test.size()));
        }
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("task", DataTypes.StringType, false),
                DataTypes.createStructField("image", PredictInput.imageSchema(), false)));
        // Shuffled, so that every batch mixes the three tasks.
        Dataset<Row> mixed = spark.createDataFrame(rows, schema).orderBy(functions.rand(7)).repartition(3);
        Dataset<Row> out = new MunetClassifier().setStateUri(state).setTaskCol("task").setBatchSize(100)
                .transform(mixed);
        for (String task : TASKS) {
            List<Row> own = out.filter(out.col("task").equalTo(task)).orderBy("id").select("prediction", "error")
                    .collectAsList();
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (Row r : own) {
                assertNull(r.get(1));
                d.update((byte) r.getInt(0));
            }
            assertEquals(best(task).metrics().testPredictionsSha256(), HexFormat.of().formatHex(d.digest()),
                    task + ": the mixed frame's predictions are the state's own test pass of " + task);
        }
        // The same rows through one fixed task give the same predictions as routed.
        Dataset<Row> onlyRot = spark.createDataFrame(rows, schema).filter("task = 'mnist/rot90'");
        List<Row> alone = new MunetClassifier().setStateUri(state).setTask("mnist/rot90").transform(onlyRot)
                .orderBy("id").select("prediction").collectAsList();
        List<Row> routed = out.filter(out.col("task").equalTo("mnist/rot90")).orderBy("id").select("prediction")
                .collectAsList();
        assertEquals(alone, routed);
    }

    @Test
    void anEarlyTasksPredictionsAreTheSameBeforeAndAfterLaterTasks() {
        ImageSet test = Datasets.load("mnist", TinyRuns.dataDir(), HadoopConf.forThisJvm()).test();
        Dataset<Row> images = spark.createDataFrame(imageRows("mnist", test, 2000), DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("task", DataTypes.StringType, false),
                DataTypes.createStructField("image", PredictInput.imageSchema(), false))));
        MunetClassifier classifier = new MunetClassifier().setStateUri(state).setTask("mnist")
                .setRawPredictionCol("logits");
        List<Row> before = classifier.copy(new org.apache.spark.ml.param.ParamMap()).setVersion(afterMnist)
                .transform(images).orderBy("id").select("prediction", "logits").collectAsList();
        List<Row> now = classifier.transform(images).orderBy("id").select("prediction", "logits").collectAsList();
        assertEquals(2000, before.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).getInt(0), now.get(i).getInt(0));
            List<Float> a = before.get(i).getList(1);
            List<Float> b = now.get(i).getList(1);
            for (int k = 0; k < a.size(); k++) {
                assertEquals(Float.floatToRawIntBits(a.get(k)), Float.floatToRawIntBits(b.get(k)),
                        "logit " + k + " of image " + i + " changed after later tasks joined");
            }
        }
    }

    @Test
    void preprocessedFloatArraysGiveTheSamePredictionsAsImages() {
        ImageSet test = Datasets.load("fashion_mnist", TinyRuns.dataDir(), HadoopConf.forThisJvm()).test();
        List<Row> structs = imageRows("fashion_mnist", test, 300);
        org.munet.serve.ModelInput input = new org.munet.serve.ModelInput(
                org.munet.serve.TaskModels.jvm().info(org.munet.serve.ModelRef.state(
                        StateStore.open(state, HadoopConf.forThisJvm()).uri().toString(), latest.version()),
                        "fashion_mnist", HadoopConf.forThisJvm()));
        List<Row> floats = new ArrayList<>();
        int plane = test.height() * test.width();
        for (int i = 0; i < structs.size(); i++) {
            float[] x = new float[input.size()];
            input.fill(new org.munet.data.DecodedImage(1, test.height(), test.width(),
                    java.util.Arrays.copyOfRange(test.pixels(), i * plane, (i + 1) * plane)), x, 0);
            List<Float> boxed = new ArrayList<>();
            for (float v : x) {
                boxed.add(v);
            }
            floats.add(RowFactory.create((long) i, scala.jdk.javaapi.CollectionConverters.asScala(boxed).toSeq()));
        }
        StructType structSchema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("task", DataTypes.StringType, false),
                DataTypes.createStructField("image", PredictInput.imageSchema(), false)));
        StructType floatSchema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("x", DataTypes.createArrayType(DataTypes.FloatType, false), false)));
        List<Row> a = new MunetClassifier().setStateUri(state).setTask("fashion_mnist")
                .transform(spark.createDataFrame(structs, structSchema)).orderBy("id")
                .select("prediction", "predicted_class").collectAsList();
        List<Row> b = new MunetClassifier().setStateUri(state).setTask("fashion_mnist").setInputCol("x")
                .transform(spark.createDataFrame(floats, floatSchema)).orderBy("id")
                .select("prediction", "predicted_class").collectAsList();
        assertEquals(a, b);
        assertTrue(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                "Ankle boot").contains(a.get(0).getString(1)), "Fashion-MNIST's recorded class names");
        // A float array of the wrong size is that row's error.
        Row wrong = new MunetClassifier().setStateUri(state).setTask("fashion_mnist").setInputCol("x")
                .transform(spark.createDataFrame(List.of(RowFactory.create(0L,
                        scala.jdk.javaapi.CollectionConverters.asScala(List.of(0f, 1f)).toSeq())), floatSchema))
                .first();
        assertNull(wrong.get(wrong.fieldIndex("prediction")));
        assertTrue(wrong.getString(wrong.fieldIndex("error")).contains("takes 784"), wrong.toString());
    }

    @Test
    void unreadableRowsGetTheirReasonAndTheOthersArePredicted() throws Exception {
        ImageSet test = Datasets.load("mnist", TinyRuns.dataDir(), HadoopConf.forThisJvm()).test();
        byte[] png = png(test, 0);
        List<Row> rows = List.of(
                RowFactory.create(0L, "mnist", png),
                RowFactory.create(1L, "mnist", java.util.Arrays.copyOf(png, png.length / 2)),
                RowFactory.create(2L, "mnist", new byte[] {1, 2, 3}),
                RowFactory.create(3L, "mnist", null),
                RowFactory.create(4L, "cifar10", png));
        Dataset<Row> df = spark.createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("task", DataTypes.StringType, false),
                DataTypes.createStructField("bytes", DataTypes.BinaryType, true))));
        MunetClassifier classifier = new MunetClassifier().setStateUri(state).setTaskCol("task").setInputCol("bytes");
        // In a Pipeline, as users compose it.
        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {classifier}).fit(df);
        String saved = dir.resolve("pipeline").toString();
        pipeline.write().save(saved);
        List<Row> out = PipelineModel.load(saved).transform(df).orderBy("id").collectAsList();
        assertEquals(pipeline.transform(df).orderBy("id").collectAsList(), out, "a saved pipeline predicts the same");
        int prediction = out.get(0).fieldIndex("prediction");
        int error = out.get(0).fieldIndex("error");
        assertNotNull(out.get(0).get(prediction), String.valueOf(out.get(0).get(error)));
        for (int i = 1; i < 5; i++) {
            assertNull(out.get(i).get(prediction), "row " + i);
            assertNotNull(out.get(i).get(error), "row " + i);
        }
        assertTrue(out.get(4).getString(error).contains("unknown task 'cifar10'"), out.get(4).getString(error));
        assertTrue(out.get(4).getString(error).contains("mnist/rot90"), "the error lists the system's tasks");
        assertTrue(out.get(3).getString(error).contains("null"), out.get(3).getString(error));

        // Mistakes in the job itself fail before any executor works.
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MunetClassifier().setStateUri(state)
                .setTask("mnist").setInputCol("bytes").setVersion(latest.version() + 5).transform(df))
                .getMessage().contains("has no version " + (latest.version() + 5)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MunetClassifier().setStateUri(state)
                .setTask("svhn").setInputCol("bytes").transform(df)).getMessage().contains("unknown task 'svhn'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MunetClassifier().setStateUri(state)
                .setTask("mnist").transform(df)).getMessage().contains("input column 'image' is not in the data"));
    }

    @Test
    void theSameImagesInThreeLayoutsGetTheSamePredictions() throws Exception {
        ImageSet test = Datasets.load("mnist", TinyRuns.dataDir(), HadoopConf.forThisJvm()).test();
        int n = 200;
        Path folder = dir.resolve("folder");
        List<Row> table = new ArrayList<>();
        Map<String, Integer> indexOfFile = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Path f = folder.resolve(String.valueOf(test.labels()[i])).resolve(String.format("%04d.png", i));
            Files.createDirectories(f.getParent());
            byte[] png = png(test, i);
            Files.write(f, png);
            indexOfFile.put(f.getFileName().toString(), i);
            table.add(RowFactory.create((long) i, png, test.labels()[i]));
        }
        Files.writeString(folder.resolve("README.txt"), "not an image");
        String parquetIn = dir.resolve("table.parquet").toString();
        spark.createDataFrame(table, DataTypes.createStructType(List.of(
                DataTypes.createStructField("key", DataTypes.LongType, false),
                DataTypes.createStructField("png", DataTypes.BinaryType, false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false)))).write().parquet(parquetIn);

        int[] expected = new int[n];
        List<Row> idx = predict("idx", "--input", TinyRuns.dataDir() + "/mnist").stream()
                .filter(r -> r.getLong(0) < n).toList();
        for (Row r : idx) {
            expected[(int) r.getLong(0)] = r.getInt(2);
        }
        List<Row> fromFolder = predict("folder", "--input", folder.toString(), "--format", "image_folder");
        assertEquals(n, fromFolder.size(), "README.txt is not an image");
        for (Row r : fromFolder) {
            int i = indexOfFile.get(Path.of(new java.net.URI(r.getString(0))).getFileName().toString());
            assertEquals(test.labels()[i], r.getInt(1), "the parent folder names the class");
            assertEquals(expected[i], r.getInt(2), "image " + i + " from a PNG file");
        }
        List<Row> fromTable = predict("table", "--input", parquetIn, "--image-column", "png", "--id-column", "key");
        assertEquals(n, fromTable.size());
        for (Row r : fromTable) {
            assertEquals(expected[(int) r.getLong(0)], r.getInt(2), "image " + r.getLong(0) + " from Parquet");
        }
        // CSV output, top-k as JSON.
        String csv = dir.resolve("table.csv").toString();
        assertEquals(0, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "predict",
                "--state", state, "--task", "mnist", "--input", parquetIn, "--image-column", "png", "--output", csv));
        Row first = spark.read().option("header", "true").csv(csv).first();
        assertTrue(first.getString(first.fieldIndex("top_k")).startsWith("[{\"label\":"), first.toString());
        // An existing output is never written over.
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "predict", "--state",
                state, "--task", "mnist", "--input", parquetIn, "--image-column", "png", "--output", csv));
        assertTrue(err.toString().contains("exists already"), err.toString());
        assertNotEquals(0, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "predict", "--state",
                state, "--task", "mnist", "--input", dir.resolve("nowhere").toString(), "--output",
                dir.resolve("x.parquet").toString()));
        assertTrue(err.toString().contains("nothing there"), err.toString());
    }

    private List<Row> predict(String name, String... args) {
        String out = dir.resolve(name + "-out.parquet").toString();
        List<String> all = new ArrayList<>(List.of("predict", "--state", state, "--task", "mnist", "--output", out));
        all.addAll(List.of(args));
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), all.toArray(new String[0])),
                err.toString());
        return spark.read().parquet(out).collectAsList();
    }

    /** Test images as rows of (id, task, Spark image struct). */
    static List<Row> imageRows(String task, ImageSet set, int count) {
        List<Row> rows = new ArrayList<>();
        int plane = set.channels() * set.height() * set.width();
        for (int i = 0; i < count; i++) {
            byte[] px = java.util.Arrays.copyOfRange(set.pixels(), i * plane, (i + 1) * plane);
            rows.add(RowFactory.create((long) i, task,
                    RowFactory.create(task + "#" + i, set.height(), set.width(), 1, 0, px)));
        }
        return rows;
    }

    static byte[] png(ImageSet set, int i) throws Exception {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(set.width(), set.height(),
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        int plane = set.height() * set.width();
        img.getRaster().setDataElements(0, 0, set.width(), set.height(),
                java.util.Arrays.copyOfRange(set.pixels(), i * plane, (i + 1) * plane));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}

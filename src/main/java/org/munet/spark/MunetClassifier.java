package org.munet.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.munet.serve.ModelRef;
import org.munet.serve.StateModels;
import org.munet.serve.TaskModels;
import org.munet.store.StateStore;

/**
 * A Spark ML Transformer that predicts with the evolved system: each row's image goes through its
 * task's best path. With {@link #setTask} every row belongs to one task; with {@link #setTaskCol}
 * each row names its own task and is routed to that task's path, which is what a multitask system
 * is for. Usable in a {@code Pipeline}:
 *
 * <pre>{@code
 * Dataset<Row> out = new MunetClassifier()
 *         .setStateUri("hdfs:///munet/state").setTaskCol("task")
 *         .setInputCol("image").setOutputCol("prediction").setBatchSize(256)
 *         .transform(images);
 * }</pre>
 *
 * <p>Inputs ({@link #setInputCol}): Spark's image struct ({@code spark.read.format("image")}, 1, 3
 * or 4 channels), encoded image bytes (PNG, JPEG, BMP, GIF; e.g. {@code format("binaryFile")}'s
 * {@code content}), or a float array already preprocessed to the path's C-H-W geometry in
 * [-1, 1]. Outputs: the predicted label ({@link #setOutputCol}), its class name, the top-k classes
 * with their probabilities, optionally the logits, and an error column: a row whose image cannot
 * be decoded, or whose task the system does not have, gets null predictions and the reason there,
 * and the job goes on.
 *
 * <p>A state is read at one version, pinned when {@link #transform} is called ({@link #setVersion},
 * default the latest then), so a nightly commit during the job cannot change its results. An
 * exported model ({@link #setModelUri}) serves without the state. Executors load each path once
 * per JVM with its frozen components shared by checksum ({@link TaskModels}), predict in batches
 * of {@link #setBatchSize} on the task's GPU when Spark assigned one, else on the CPU.
 *
 * <p>Saved and loaded like any Spark ML stage ({@code write().save(path)}, {@link #load}, inside a
 * saved {@code PipelineModel}): its params, not the weights, which stay in the state or export.
 *
 * <p>The conventions are those of DJL's Spark extension (which is built for Spark 3.5 and Scala
 * 2.12 only): a model loader per executor JVM, {@code mapPartitions}, batches per partition.
 */
public final class MunetClassifier extends Transformer implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> stateUri;
    private final Param<String> modelUri;
    private final LongParam version;
    private final Param<String> task;
    private final Param<String> taskCol;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> predictedClassCol;
    private final Param<String> topKCol;
    private final IntParam topK;
    private final Param<String> rawPredictionCol;
    private final Param<String> errorCol;
    private final IntParam batchSize;

    public MunetClassifier() {
        this(Identifiable$.MODULE$.randomUID("munet"));
    }

    public MunetClassifier(String uid) {
        this.uid = uid;
        stateUri = new Param<>(uid, "stateUri", "the state directory (any Hadoop URI) whose best paths predict");
        modelUri = new Param<>(uid, "modelUri", "an exported model directory (munet export) to predict with instead of a state");
        version = new LongParam(uid, "version", "the state version to predict with; -1 for the latest when transform starts");
        task = new Param<>(uid, "task", "the task of every row (or use taskCol)");
        taskCol = new Param<>(uid, "taskCol", "a string column naming each row's task; empty for none");
        inputCol = new Param<>(uid, "inputCol", "image column: Spark's image struct, encoded image bytes, or a preprocessed float array");
        outputCol = new Param<>(uid, "outputCol", "predicted label column (int)");
        predictedClassCol = new Param<>(uid, "predictedClassCol", "predicted class name column; empty for none");
        topKCol = new Param<>(uid, "topKCol", "column of the top-k classes with probabilities; empty for none");
        topK = new IntParam(uid, "topK", "how many classes topKCol lists (at least 1)");
        rawPredictionCol = new Param<>(uid, "rawPredictionCol", "logits column (array<float>); empty for none");
        errorCol = new Param<>(uid, "errorCol", "column with the reason a row has no prediction (null when it has one)");
        batchSize = new IntParam(uid, "batchSize", "rows per forward pass (at least 1)");
        setDefault(version, (Object) (-1L));
        setDefault(taskCol, "");
        setDefault(task, "");
        setDefault(stateUri, "");
        setDefault(modelUri, "");
        setDefault(inputCol, "image");
        setDefault(outputCol, "prediction");
        setDefault(predictedClassCol, "predicted_class");
        setDefault(topKCol, "top_k");
        setDefault(topK, (Object) 5);
        setDefault(rawPredictionCol, "");
        setDefault(errorCol, "error");
        setDefault(batchSize, (Object) 256);
    }

    @Override
    public String uid() {
        return uid;
    }

    /**
     * Reads a saved classifier (its params; a saved {@code PipelineModel} finds it here too). Saving
     * keeps the state or export URI and the pinned version if one was set, never the weights.
     */
    public static MLReader<MunetClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static MunetClassifier load(String path) {
        return read().load(path);
    }

    // Params as methods: Spark ML finds a stage's params through its public no-argument methods
    // that return a Param.
    public Param<String> stateUri() { return stateUri; }
    public Param<String> modelUri() { return modelUri; }
    public LongParam version() { return version; }
    public Param<String> task() { return task; }
    public Param<String> taskCol() { return taskCol; }
    public Param<String> inputCol() { return inputCol; }
    public Param<String> outputCol() { return outputCol; }
    public Param<String> predictedClassCol() { return predictedClassCol; }
    public Param<String> topKCol() { return topKCol; }
    public IntParam topK() { return topK; }
    public Param<String> rawPredictionCol() { return rawPredictionCol; }
    public Param<String> errorCol() { return errorCol; }
    public IntParam batchSize() { return batchSize; }

    public MunetClassifier setStateUri(String v) { set(stateUri, v); return this; }
    public MunetClassifier setModelUri(String v) { set(modelUri, v); return this; }
    public MunetClassifier setVersion(long v) { set(version, (Object) v); return this; }
    public MunetClassifier setTask(String v) { set(task, v); return this; }
    public MunetClassifier setTaskCol(String v) { set(taskCol, v); return this; }
    public MunetClassifier setInputCol(String v) { set(inputCol, v); return this; }
    public MunetClassifier setOutputCol(String v) { set(outputCol, v); return this; }
    public MunetClassifier setPredictedClassCol(String v) { set(predictedClassCol, v); return this; }
    public MunetClassifier setTopKCol(String v) { set(topKCol, v); return this; }
    public MunetClassifier setTopK(int v) { set(topK, (Object) v); return this; }
    public MunetClassifier setRawPredictionCol(String v) { set(rawPredictionCol, v); return this; }
    public MunetClassifier setErrorCol(String v) { set(errorCol, v); return this; }
    public MunetClassifier setBatchSize(int v) { set(batchSize, (Object) v); return this; }

    private String str(Param<String> p) {
        return getOrDefault(p);
    }

    private int intValue(IntParam p) {
        return (Integer) getOrDefault(p);
    }

    @Override
    public MunetClassifier copy(ParamMap extra) {
        return (MunetClassifier) defaultCopy(extra);
    }

    /** The element type of the top-k column. */
    static final StructType SCORED = new StructType(new StructField[] {
            DataTypes.createStructField("label", DataTypes.IntegerType, false),
            DataTypes.createStructField("class", DataTypes.StringType, false),
            DataTypes.createStructField("probability", DataTypes.DoubleType, false)});

    @Override
    public StructType transformSchema(StructType schema) {
        checkParams();
        String in = str(inputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new IllegalArgumentException("input column '" + in + "' is not in the data (columns: "
                    + String.join(", ", schema.fieldNames()) + "); set it with setInputCol");
        }
        InputKind.of(schema.apply(in).dataType(), in);
        if (!str(taskCol).isEmpty()) {
            if (!Arrays.asList(schema.fieldNames()).contains(str(taskCol))) {
                throw new IllegalArgumentException("task column '" + str(taskCol) + "' is not in the data (columns: "
                        + String.join(", ", schema.fieldNames()) + ")");
            }
            if (!(schema.apply(str(taskCol)).dataType() instanceof StringType)) {
                throw new IllegalArgumentException("task column '" + str(taskCol) + "' must be a string, it is "
                        + schema.apply(str(taskCol)).dataType().simpleString());
            }
        }
        StructType out = schema;
        for (StructField f : outputFields()) {
            if (Arrays.asList(schema.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException("output column '" + f.name() + "' already exists in the data;"
                        + " choose another name with its setter (setOutputCol, setPredictedClassCol, setTopKCol,"
                        + " setErrorCol, setRawPredictionCol)");
            }
            out = out.add(f);
        }
        return out;
    }

    private List<StructField> outputFields() {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField(str(outputCol), DataTypes.IntegerType, true));
        if (!str(predictedClassCol).isEmpty()) {
            f.add(DataTypes.createStructField(str(predictedClassCol), DataTypes.StringType, true));
        }
        if (!str(topKCol).isEmpty()) {
            f.add(DataTypes.createStructField(str(topKCol), DataTypes.createArrayType(SCORED, false), true));
        }
        if (!str(rawPredictionCol).isEmpty()) {
            f.add(DataTypes.createStructField(str(rawPredictionCol),
                    DataTypes.createArrayType(DataTypes.FloatType, false), true));
        }
        f.add(DataTypes.createStructField(str(errorCol), DataTypes.StringType, true));
        return f;
    }

    private void checkParams() {
        boolean state = !str(stateUri).isEmpty();
        boolean export = !str(modelUri).isEmpty();
        if (state == export) {
            throw new IllegalArgumentException("set exactly one of stateUri (a munet state) and modelUri (an"
                    + " exported model)");
        }
        if (str(task).isEmpty() == str(taskCol).isEmpty() && !(export && str(taskCol).isEmpty())) {
            throw new IllegalArgumentException("set exactly one of task (every row's task) and taskCol (a column"
                    + " naming each row's task)");
        }
        if (intValue(batchSize) < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + intValue(batchSize));
        }
        if (intValue(topK) < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + intValue(topK));
        }
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType outSchema = transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        ModelRef ref = pin(hadoop);
        // A fixed task is checked once here, so a typo fails before any executor starts.
        String fixedTask = str(task);
        if (fixedTask.isEmpty() && str(taskCol).isEmpty()) {
            fixedTask = TaskModels.jvm().exportedTask(ref, hadoop);
        }
        if (!fixedTask.isEmpty()) {
            TaskModels.jvm().info(ref, fixedTask, hadoop);
        }
        StructType inSchema = dataset.schema();
        int taskIndex = str(taskCol).isEmpty() ? -1 : inSchema.fieldIndex(str(taskCol));
        PartitionPredictor fn = new PartitionPredictor(ref, new SerializableConfiguration(hadoop), fixedTask,
                taskIndex, inSchema.fieldIndex(str(inputCol)), InputKind.of(inSchema.apply(str(inputCol)).dataType(),
                        str(inputCol)), intValue(batchSize), intValue(topK),
                !str(predictedClassCol).isEmpty(), !str(topKCol).isEmpty(), !str(rawPredictionCol).isEmpty());
        return dataset.toDF().mapPartitions(fn, Encoders.row(outSchema));
    }

    /** The models the job will use, pinned now: the state's version, or the export. */
    private ModelRef pin(Configuration hadoop) {
        if (!str(modelUri).isEmpty()) {
            // Qualified here, so that every executor reads the same directory.
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(str(modelUri));
            return ModelRef.export(org.munet.data.DataSources.fileSystem(p, hadoop).makeQualified(p).toString());
        }
        StateStore store = StateStore.open(str(stateUri), hadoop);
        long v = (Long) getOrDefault(version);
        return ModelRef.state(store.uri().toString(), StateModels.version(store, v < 0 ? null : v));
    }

    /** How the input column holds an image. */
    enum InputKind {
        SPARK_IMAGE, ENCODED, FLOATS;

        static InputKind of(DataType type, String column) {
            if (type instanceof BinaryType) {
                return ENCODED;
            }
            if (type instanceof ArrayType a
                    && (a.elementType() instanceof FloatType || a.elementType() instanceof DoubleType)) {
                return FLOATS;
            }
            if (type instanceof StructType s && Arrays.asList(s.fieldNames()).containsAll(
                    List.of("height", "width", "nChannels", "mode", "data"))) {
                return SPARK_IMAGE;
            }
            throw new IllegalArgumentException("input column '" + column + "' is " + type.simpleString()
                    + "; munet predicts from Spark's image struct (spark.read.format(\"image\")), encoded image"
                    + " bytes (binary: PNG, JPEG, BMP, GIF) or a preprocessed float array");
        }
    }

    /** What one partition does: rows in, rows with predictions out, in batches, in order. */
    static final class PartitionPredictor implements MapPartitionsFunction<Row, Row> {

        private static final long serialVersionUID = 1L;

        final ModelRef ref;
        final SerializableConfiguration hadoop;
        final String fixedTask;
        final int taskIndex;
        final int inputIndex;
        final InputKind kind;
        final int batchSize;
        final int topK;
        final boolean withClass;
        final boolean withTopK;
        final boolean withLogits;

        PartitionPredictor(ModelRef ref, SerializableConfiguration hadoop, String fixedTask, int taskIndex,
                int inputIndex, InputKind kind, int batchSize, int topK, boolean withClass, boolean withTopK,
                boolean withLogits) {
            this.ref = ref;
            this.hadoop = hadoop;
            this.fixedTask = fixedTask;
            this.taskIndex = taskIndex;
            this.inputIndex = inputIndex;
            this.kind = kind;
            this.batchSize = batchSize;
            this.topK = topK;
            this.withClass = withClass;
            this.withTopK = withTopK;
            this.withLogits = withLogits;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            RowBatcher batcher = new RowBatcher(this, TaskResources.current(1).device());
            return new Iterator<>() {
                private Iterator<Row> ready = java.util.Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (!ready.hasNext() && rows.hasNext()) {
                        List<Row> chunk = new ArrayList<>(batchSize);
                        while (chunk.size() < batchSize && rows.hasNext()) {
                            chunk.add(rows.next());
                        }
                        ready = batcher.predict(chunk).iterator();
                    }
                    return ready.hasNext();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return ready.next();
                }
            };
        }

        /** The output values a row gets without a prediction. */
        Object[] failed(String reason) {
            return outputs(null, null, null, null, reason);
        }

        Object[] outputs(Integer label, String className, List<Row> top, float[] logits, String error) {
            List<Object> out = new ArrayList<>();
            out.add(label);
            if (withClass) {
                out.add(className);
            }
            if (withTopK) {
                out.add(top == null ? null : scala.jdk.javaapi.CollectionConverters.asScala(top).toSeq());
            }
            if (withLogits) {
                out.add(logits);
            }
            out.add(error);
            return out.toArray();
        }

        static Row append(Row row, Object[] extra) {
            Object[] values = new Object[row.length() + extra.length];
            for (int i = 0; i < row.length(); i++) {
                values[i] = row.get(i);
            }
            System.arraycopy(extra, 0, values, row.length(), extra.length);
            return RowFactory.create(values);
        }

        /** Group of row positions per task, in first-seen order. */
        Map<String, List<Integer>> byTask(List<Row> chunk) {
            Map<String, List<Integer>> out = new LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                String t = taskIndex < 0 ? fixedTask : chunk.get(i).getString(taskIndex);
                out.computeIfAbsent(t, k -> new ArrayList<>()).add(i);
            }
            return out;
        }
    }
}

package org.munet.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.munet.data.DataSources;
import org.munet.data.DatasetException;
import org.munet.data.IdxFormat;
import org.munet.data.IdxReader;
import org.munet.data.ImageFolderReader;

/**
 * The images of a {@code munet predict} job as a DataFrame with an {@code id}, an {@code image}
 * column the {@link MunetClassifier} reads, and a {@code label} column when the input knows each
 * image's class. The three layouts the training side reads:
 *
 * <ul>
 *   <li>{@code idx}: a directory of MNIST-layout files (the split's images and, if present, its
 *       labels) or one images file; id = the image's index in the file;</li>
 *   <li>{@code image_folder}: every image file under a directory, recursively, read by Spark's
 *       {@code binaryFile} source on the executors; id = the file's URI; label = the index of the
 *       parent folder's name among the task's classes, when it is one;</li>
 *   <li>{@code parquet}: a table (file or directory) with an image column (Spark's image struct or
 *       encoded bytes); id = the id column if given, else the row's position; label = the label
 *       column if it exists and holds integers.</li>
 * </ul>
 */
final class PredictInput {

    /** An input layout. */
    enum Format {
        IDX, IMAGE_FOLDER, PARQUET;

        static Format parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--format " + s + " is not one of idx, image_folder, parquet");
            }
        }
    }

    static final String ID = "id";
    static final String IMAGE = "image";
    static final String LABEL = "label";

    private PredictInput() {}

    /**
     * @param split for an IDX directory: {@code test} (the t10k files) or {@code train}
     * @param classNames the task's classes, to label image folders by their parent folder
     */
    static Dataset<Row> read(SparkSession spark, Configuration hadoop, String uri, Format format, String split,
            String imageColumn, String idColumn, String labelColumn, List<String> classNames) {
        Path path = new Path(uri);
        FileSystem fs = DataSources.fileSystem(path, hadoop);
        FileStatus status;
        try {
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new DatasetException("--input " + fs.makeQualified(path) + ": nothing there; check the path"
                    + " (a local path, or a URI such as hdfs://namenode:8020/images)", e);
        } catch (IOException e) {
            throw new DatasetException("--input " + uri + ": cannot reach it (" + e.getMessage() + "); check the URI"
                    + " and the spark.hadoop.* settings of its file system", e);
        }
        String qualified = fs.makeQualified(path).toString();
        Format f = format != null ? format : detect(fs, status);
        return switch (f) {
            case IDX -> idx(spark, fs, status, split);
            case IMAGE_FOLDER -> folder(spark, qualified, classNames);
            case PARQUET -> parquet(spark, qualified, imageColumn, idColumn, labelColumn);
        };
    }

    private static Format detect(FileSystem fs, FileStatus status) {
        if (status.isFile()) {
            String name = status.getPath().getName();
            if (name.endsWith(".parquet")) {
                return Format.PARQUET;
            }
            if (name.contains("-idx3-ubyte")) {
                return Format.IDX;
            }
            throw new DatasetException("--input " + status.getPath() + " is a file munet cannot detect the layout of;"
                    + " give --format idx|image_folder|parquet");
        }
        try {
            for (FileStatus child : fs.listStatus(status.getPath())) {
                String n = child.getPath().getName();
                if (n.startsWith(IdxFormat.TEST_IMAGES) || n.startsWith(IdxFormat.TRAIN_IMAGES)) {
                    return Format.IDX;
                }
                if (n.endsWith(".parquet")) {
                    return Format.PARQUET;
                }
            }
        } catch (IOException e) {
            throw new DatasetException("--input " + status.getPath() + ": cannot list it (" + e.getMessage() + ")", e);
        }
        return Format.IMAGE_FOLDER;
    }

    // ------------------------------------------------------------------------------------ IDX

    private static Dataset<Row> idx(SparkSession spark, FileSystem fs, FileStatus status, String split) {
        Path images;
        Path labels = null;
        if (status.isFile()) {
            images = status.getPath();
        } else {
            boolean test = split == null || split.equals("test");
            if (!test && !split.equals("train")) {
                throw new IllegalArgumentException("--split " + split + ": an IDX directory has the splits test"
                        + " (t10k files) and train");
            }
            images = existing(fs, status.getPath(), test ? IdxFormat.TEST_IMAGES : IdxFormat.TRAIN_IMAGES, true);
            labels = existing(fs, status.getPath(), test ? IdxFormat.TEST_LABELS : IdxFormat.TRAIN_LABELS, false);
        }
        IdxReader.Images im = IdxReader.readImages(contents(fs, images), images.toString());
        int[] y = labels == null ? null : IdxReader.readLabels(contents(fs, labels), labels.toString());
        if (y != null && y.length != im.count()) {
            throw new DatasetException(labels + " holds " + y.length + " labels for " + im.count() + " images in "
                    + images + "; they do not belong together");
        }
        int plane = im.height() * im.width();
        List<Row> rows = new ArrayList<>(im.count());
        for (int i = 0; i < im.count(); i++) {
            byte[] pixels = Arrays.copyOfRange(im.pixels(), i * plane, (i + 1) * plane);
            Row image = RowFactory.create(images + "#" + i, im.height(), im.width(), 1, 0, pixels);
            rows.add(y == null ? RowFactory.create((long) i, image) : RowFactory.create((long) i, image, y[i]));
        }
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField(ID, DataTypes.LongType, false),
                DataTypes.createStructField(IMAGE, imageSchema(), false)));
        if (y != null) {
            fields.add(DataTypes.createStructField(LABEL, DataTypes.IntegerType, false));
        }
        // Sliced on the driver, so each task carries only its slice of the images.
        int slices = Math.max(1, spark.sparkContext().defaultParallelism());
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, slices),
                DataTypes.createStructType(fields));
    }

    /** Spark's image data source schema. */
    static StructType imageSchema() {
        return DataTypes.createStructType(List.of(
                DataTypes.createStructField("origin", DataTypes.StringType, true),
                DataTypes.createStructField("height", DataTypes.IntegerType, false),
                DataTypes.createStructField("width", DataTypes.IntegerType, false),
                DataTypes.createStructField("nChannels", DataTypes.IntegerType, false),
                DataTypes.createStructField("mode", DataTypes.IntegerType, false),
                DataTypes.createStructField("data", DataTypes.BinaryType, false)));
    }

    private static Path existing(FileSystem fs, Path dir, String name, boolean required) {
        for (String candidate : List.of(name, name + ".gz")) {
            Path p = new Path(dir, candidate);
            try {
                if (fs.exists(p)) {
                    return p;
                }
            } catch (IOException e) {
                throw new DatasetException(p + ": cannot read (" + e.getMessage() + ")", e);
            }
        }
        if (required) {
            throw new DatasetException("--input " + dir + " has no " + name + "[.gz]: an IDX directory holds the"
                    + " split's images file (or give the images file itself)");
        }
        return null;
    }

    private static byte[] contents(FileSystem fs, Path file) {
        try (InputStream in = fs.open(file)) {
            return IdxReader.contents(in, file.toString());
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    // ------------------------------------------------------------------------------------ folders

    private static Dataset<Row> folder(SparkSession spark, String uri, List<String> classNames) {
        String glob = "*.{" + String.join(",", ImageFolderReader.EXTENSIONS.stream()
                .flatMap(e -> java.util.stream.Stream.of(e.substring(1), e.substring(1).toUpperCase(Locale.ROOT)))
                .toList()) + "}";
        Dataset<Row> files = spark.read().format("binaryFile")
                .option("recursiveFileLookup", "true")
                .option("pathGlobFilter", glob)
                .load(uri);
        // The parent folder's name, as a class: its index among the task's classes, else null.
        var parent = functions.element_at(functions.split(files.col("path"), "/"), -2);
        var label = functions.lit(null).cast(DataTypes.IntegerType);
        for (int i = classNames.size() - 1; i >= 0; i--) {
            label = functions.when(parent.equalTo(classNames.get(i)), i).otherwise(label);
        }
        return files.select(files.col("path").as(ID), files.col("content").as(IMAGE), label.as(LABEL));
    }

    // ------------------------------------------------------------------------------------ Parquet

    private static Dataset<Row> parquet(SparkSession spark, String uri, String imageColumn, String idColumn,
            String labelColumn) {
        Dataset<Row> table = spark.read().parquet(uri);
        List<String> columns = Arrays.asList(table.columns());
        if (!columns.contains(imageColumn)) {
            throw new DatasetException("--input " + uri + " has no image column '" + imageColumn + "' (columns: "
                    + String.join(", ", columns) + "); name it with --image-column");
        }
        if (idColumn != null && !columns.contains(idColumn)) {
            throw new DatasetException("--input " + uri + " has no id column '" + idColumn + "' (columns: "
                    + String.join(", ", columns) + ")");
        }
        var id = idColumn != null ? table.col(idColumn) : functions.monotonically_increasing_id();
        boolean labelled = columns.contains(labelColumn) && table.schema().apply(labelColumn).dataType()
                instanceof org.apache.spark.sql.types.IntegralType;
        var label = labelled ? table.col(labelColumn).cast(DataTypes.IntegerType)
                : functions.lit(null).cast(DataTypes.IntegerType);
        return table.select(id.as(ID), table.col(imageColumn).as(IMAGE), label.as(LABEL));
    }
}

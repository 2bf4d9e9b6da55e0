package org.munet.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.system.TaskSource;

/**
 * Parquet tables as Spark writes them (its own Parquet writer, its image data source) read back
 * with {@link ParquetReader}, which uses parquet-hadoop alone.
 */
class ParquetReaderTest {

    private static final int H = 4;
    private static final int W = 5;

    @TempDir
    static Path tmp;

    private static SparkSession spark;
    private final Configuration hadoop = new Configuration();

    @BeforeAll
    static void startSpark() {
        // Interpreted expressions, no adaptive plans: tiny jobs run faster without compiling code.
        spark = SparkSession.builder().master("local[1]").appName("ParquetReaderTest")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.adaptive.enabled", "false").config("spark.sql.codegen.wholeStage", "false")
                .config("spark.sql.codegen.factoryMode", "NO_CODEGEN").getOrCreate();
        writeCases();
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    // ------------------------------------------------------------ images and expected pixels

    /** A gray image with distinct pixels per image, or an RGB / ARGB one. */
    private static BufferedImage image(int type, int seed) {
        BufferedImage img = new BufferedImage(W, H, type);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int v = (seed * 37 + y * 50 + x * 11) & 0xff;
                if (type == BufferedImage.TYPE_BYTE_GRAY) {
                    img.getRaster().setSample(x, y, 0, v);
                } else {
                    int a = type == BufferedImage.TYPE_INT_ARGB ? 100 + seed : 255;
                    img.setRGB(x, y, a << 24 | v << 16 | ((v + 85) & 0xff) << 8 | ((v * 3 + 7) & 0xff));
                }
            }
        }
        return img;
    }

    /** The C-H-W pixels munet must give: gray as is (tiled when the set is RGB), colour as R, G, B planes. */
    private static byte[] expected(BufferedImage img, int channels) {
        int plane = H * W;
        byte[] out = new byte[channels * plane];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = y * W + x;
                if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                    for (int c = 0; c < channels; c++) {
                        out[c * plane + i] = (byte) img.getRaster().getSample(x, y, 0);
                    }
                } else {
                    int argb = img.getRGB(x, y);
                    out[i] = (byte) (argb >> 16);
                    out[plane + i] = (byte) (argb >> 8);
                    out[2 * plane + i] = (byte) argb;
                }
            }
        }
        return out;
    }

    private static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            assertTrue(ImageIO.write(img, "png", out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An image file to be, with where it goes and what it must read back as. */
    private record Picture(String relative, BufferedImage image, int label) {}

    private static void writePngs(Path root, List<Picture> pictures) throws IOException {
        for (Picture p : pictures) {
            Path file = root.resolve(p.relative());
            Files.createDirectories(file.getParent());
            Files.write(file, png(p.image()));
        }
    }

    /** Each split's images and labels in the order of their relative paths (the table's row order). */
    private static void assertSplit(ImageSet set, List<Picture> pictures, String split, int channels) {
        List<Picture> mine = pictures.stream().filter(p -> p.relative().contains(split + "/"))
                .sorted((a, b) -> a.relative().compareTo(b.relative())).toList();
        assertEquals(mine.size(), set.size(), split + " size");
        assertEquals(channels, set.channels(), split + " channels");
        assertEquals(H, set.height());
        assertEquals(W, set.width());
        int per = channels * H * W;
        for (int i = 0; i < mine.size(); i++) {
            assertEquals(mine.get(i).label(), set.labels()[i], split + " label " + i + " " + mine.get(i).relative());
            assertArrayEquals(expected(mine.get(i).image(), channels),
                    Arrays.copyOfRange(set.pixels(), i * per, (i + 1) * per),
                    split + " pixels of " + mine.get(i).relative());
        }
    }

    private static TaskSource source(String location, String splitColumn, Map<String, String> splits,
            Integer numClasses, List<String> classes, boolean drop) {
        return new TaskSource("ds", location, TaskSource.Format.PARQUET, null, null, splitColumn, splits, numClasses,
                classes, drop);
    }

    private static List<Path> partFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
    }

    // ------------------------------------------------------------ Spark's image data source

    @Test
    void sparkImageStructGrayGivesThePngsPixels() throws IOException {
        List<Picture> pictures = new ArrayList<>();
        int seed = 0;
        for (String split : List.of("train", "validation", "test")) {
            int n = split.equals("train") ? 6 : 3;
            for (int i = 0; i < n; i++) {
                int label = i % 3;
                pictures.add(new Picture("split=" + split + "/label=" + label + "/img" + i + ".png",
                        image(BufferedImage.TYPE_BYTE_GRAY, seed++), label));
            }
        }
        Path pngs = tmp.resolve("gray-pngs");
        writePngs(pngs, pictures);
        // Partition discovery gives the split (string) and label (int) columns from the directories.
        Dataset<org.apache.spark.sql.Row> df = spark.read().format("image").load(pngs.toString());
        assertEquals("struct<origin:string,height:int,width:int,nChannels:int,mode:int,data:binary>",
                df.schema().apply("image").dataType().simpleString());
        assertEquals(DataTypes.IntegerType, df.schema().apply("label").dataType());
        Path table = tmp.resolve("gray-table");
        // Two part files, rows in origin order: the reader's file-then-row order is the origin order.
        df.repartitionByRange(2, col("image.origin")).sortWithinPartitions(col("image.origin"))
                .write().parquet(table.toString());
        assertEquals(2, partFiles(table).size(), "two part files");
        assertTrue(Files.exists(table.resolve("_SUCCESS")));

        SourceData data = new ParquetReader().read(source(table.toUri().toString(), "split", Map.of(), null,
                List.of(), false), hadoop);
        assertEquals(List.of("0", "1", "2"), data.classNames());
        assertEquals("ds/train", data.train().name());
        assertSplit(data.train(), pictures, "train", 1);
        assertSplit(data.validation(), pictures, "validation", 1);
        assertSplit(data.test(), pictures, "test", 1);
    }

    @Test
    void sparkImageStructColourIsRgbAndGrayIsTiled() throws IOException {
        List<Picture> pictures = new ArrayList<>();
        int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY};
        int seed = 100;
        for (String split : List.of("train", "test")) {
            for (int i = 0; i < 6; i++) {
                pictures.add(new Picture(split + "/c" + (i % 2) + "/img" + i + ".png", image(types[i % 3], seed++),
                        i % 2 == 0 ? 0 : 4));
            }
        }
        Path pngs = tmp.resolve("colour-pngs");
        writePngs(pngs, pictures);
        Dataset<org.apache.spark.sql.Row> df = spark.read().format("image").option("recursiveFileLookup", "true")
                .load(pngs.toString());
        List<Integer> channels = new ArrayList<>(df.select("image.nChannels").as(
                org.apache.spark.sql.Encoders.INT()).collectAsList());
        channels.sort(null);
        assertEquals(List.of(1, 1, 1, 1, 3, 3, 3, 3, 4, 4, 4, 4), channels, "Spark stores gray, BGR and BGRA");
        // Split and a long label from the path; the colour/gray mix of the task makes every split RGB.
        Path table = tmp.resolve("colour-table.parquet");
        df.withColumn("part", regexp_extract(col("image.origin"), "/(train|test)/", 1))
                .withColumn("cls", regexp_extract(col("image.origin"), "/c(\\d)/", 1).cast("long")
                        .multiply(4))
                .select("image", "cls", "part").orderBy("image.origin").coalesce(1)
                .write().parquet(table.toString());
        Path file = partFiles(table).get(0);
        TaskSource s = new TaskSource("ds", file.toUri().toString(), TaskSource.Format.PARQUET, "image", "cls",
                "part", Map.of(), null, List.of(), false);
        SourceData data = new ParquetReader().read(s, hadoop);
        assertEquals(List.of("0", "1", "2", "3", "4"), data.classNames(), "max label + 1 classes");
        assertNull(data.validation(), "no validation rows: the caller takes 5 % of train");
        assertEquals("ds/official_train", data.train().name());
        assertSplit(data.train(), pictures, "train", 3);
        assertSplit(data.test(), pictures, "test", 3);

        TaskSource declared = new TaskSource("ds", file.toUri().toString(), TaskSource.Format.PARQUET, "image", "cls",
                "part", Map.of(), null, List.of("a", "b", "c", "d", "e"), false);
        assertEquals(List.of("a", "b", "c", "d", "e"), new ParquetReader().read(declared, hadoop).classNames());
        TaskSource tooFew = new TaskSource("ds", file.toUri().toString(), TaskSource.Format.PARQUET, "image", "cls",
                "part", Map.of(), 3, List.of(), false);
        DatasetException e = assertThrows(DatasetException.class, () -> new ParquetReader().read(tooFew, hadoop));
        assertTrue(e.getMessage().contains("label 4") && e.getMessage().contains("3 declared classes")
                && e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains(" row "),
                e.getMessage());
    }

    @Test
    void sparkInvalidImageRowsFailOrAreDropped() throws IOException {
        Path pngs = tmp.resolve("invalid-pngs");
        writePngs(pngs, List.of(new Picture("a.png", image(BufferedImage.TYPE_BYTE_GRAY, 1), 0),
                new Picture("c.png", image(BufferedImage.TYPE_BYTE_GRAY, 2), 0)));
        Files.write(pngs.resolve("b.png"), "not a png".getBytes(StandardCharsets.UTF_8));
        Path table = tmp.resolve("invalid-table");
        spark.read().format("image").load(pngs.toString())
                .withColumn("label", org.apache.spark.sql.functions.lit(0))
                .withColumn("split", org.apache.spark.sql.functions.lit("train"))
                .orderBy("image.origin").coalesce(1).write().parquet(table.toString());
        Path testTable = tmp.resolve("invalid-test");
        writeBinary(testTable, List.of(RowFactory.create(png(image(BufferedImage.TYPE_BYTE_GRAY, 3)), 0L)));
        Map<String, String> splits = Map.of("train", table.toUri().toString(), "test", testTable.toUri().toString());

        DatasetException e = assertThrows(DatasetException.class,
                () -> new ParquetReader().read(source(null, null, splits, null, List.of(), false), hadoop));
        assertTrue(e.getMessage().contains(partFiles(table).get(0).getFileName() + " row 1")
                && e.getMessage().contains("corrupt_images: drop"), e.getMessage());

        SourceData data = new ParquetReader().read(source(null, null, splits, null, List.of(), true), hadoop);
        assertEquals(2, data.train().size(), "the invalid row is dropped");
        assertEquals(1, data.test().size());
    }

    // ------------------------------------------------------------ binary columns of encoded bytes

    private static final StructType WITH_SPLIT = new StructType().add("image", DataTypes.BinaryType)
            .add("label", DataTypes.StringType).add("split", DataTypes.StringType);

    private static final StructType BINARY_LONG = new StructType().add("image", DataTypes.BinaryType)
            .add("label", DataTypes.LongType);

    private static Path writeTable(Path dir, List<org.apache.spark.sql.Row> rows, StructType schema) {
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
        return dir;
    }

    private static Path writeBinary(Path dir, List<org.apache.spark.sql.Row> rows) {
        return writeTable(dir, rows, BINARY_LONG);
    }

    /** Rows of PNG bytes and string labels; the pictures record what each must read back as. */
    private static List<org.apache.spark.sql.Row> pngRows(String split, String[] labels, int seed,
            List<Picture> pictures, List<String> classes) {
        List<org.apache.spark.sql.Row> rows = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            BufferedImage img = image(BufferedImage.TYPE_INT_RGB, seed + i);
            rows.add(RowFactory.create(png(img), labels[i], split));
            pictures.add(new Picture(split + "/" + (char) ('a' + i), img, classes.indexOf(labels[i])));
        }
        return rows;
    }

    @Test
    void binaryPngColumnWithStringLabelsAndALocationPerSplit() throws IOException {
        List<String> sorted = List.of("bird", "cat", "dog");
        List<Picture> pictures = new ArrayList<>();
        List<org.apache.spark.sql.Row> rows = new ArrayList<>();
        rows.addAll(pngRows("train", new String[] {"cat", "dog", "bird", "dog", "cat"}, 0, pictures, sorted));
        rows.addAll(pngRows("validation", new String[] {"dog", "bird"}, 20, pictures, sorted));
        rows.addAll(pngRows("test", new String[] {"bird", "cat", "cat"}, 40, pictures, sorted));
        // One directory per split (Spark's partitioned layout), each given as the split's location.
        Path bin = tmp.resolve("bin");
        spark.createDataFrame(rows, WITH_SPLIT).coalesce(1).write().partitionBy("split").parquet(bin.toString());
        Path train = bin.resolve("split=train");
        Path validation = bin.resolve("split=validation");
        // A single part file is a location too.
        Path test = partFiles(bin.resolve("split=test")).get(0);

        SourceData data = new ParquetReader().read(source(null, null, Map.of("train", train.toUri().toString(),
                "test", test.toUri().toString()), null, List.of(), false), hadoop);
        assertEquals(sorted, data.classNames(), "sorted distinct names");
        assertNull(data.validation());
        assertSplit(data.train(), pictures, "train", 3);
        assertSplit(data.test(), pictures, "test", 3);

        SourceData three = new ParquetReader().read(source(null, null, Map.of("train", train.toString(),
                "validation", validation.toString(), "test", test.toString()), 3, List.of(), false), hadoop);
        assertSplit(three.validation(), pictures, "validation", 3);
        assertEquals("ds/train", three.train().name());

        // Declared classes fix the label order.
        List<String> declared = List.of("dog", "cat", "bird");
        SourceData named = new ParquetReader().read(source(null, null, Map.of("train", train.toString(),
                "test", test.toString()), null, declared, false), hadoop);
        assertEquals(declared, named.classNames());
        assertArrayEquals(new int[] {1, 0, 2, 0, 1}, named.train().labels());
        assertArrayEquals(new int[] {2, 1, 1}, named.test().labels());
    }

    // ------------------------------------------------------------ errors

    private static DatasetException fails(TaskSource source) {
        return assertThrows(DatasetException.class, () -> new ParquetReader().read(source, new Configuration()));
    }

    private static void assertMentions(DatasetException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void missingColumnsListTheColumnsFoundAndTheKeyToSet() {
        StructType schema = new StructType().add("picture", DataTypes.BinaryType).add("label", DataTypes.IntegerType)
                .add("part", DataTypes.StringType);
        String t = writeTable(tmp.resolve("columns"), List.of(RowFactory.create(
                png(image(BufferedImage.TYPE_BYTE_GRAY, 0)), 0, "train")), schema).toString();
        assertMentions(fails(source(t, "part", Map.of(), null, List.of(), false)),
                "no column 'image'", "[picture, label, part]", "image_column");
        assertMentions(fails(new TaskSource("ds", t, TaskSource.Format.PARQUET, "picture", "Label", "part", Map.of(),
                null, List.of(), false)), "no column 'Label'", "'label'?", "label_column");
        assertMentions(fails(new TaskSource("ds", t, TaskSource.Format.PARQUET, "picture", null, "split", Map.of(),
                null, List.of(), false)), "no column 'split'", "split_column");
    }

    @Test
    void wrongColumnTypesNameTheTypeFoundAndThoseAccepted() {
        StructType schema = new StructType().add("image", DataTypes.BinaryType).add("label", DataTypes.DoubleType)
                .add("split", DataTypes.IntegerType).add("text", DataTypes.StringType);
        String t = writeTable(tmp.resolve("types"), List.of(RowFactory.create(
                png(image(BufferedImage.TYPE_BYTE_GRAY, 0)), 1.0, 0, "x")), schema).toString();
        assertMentions(fails(source(t, "text", Map.of(), null, List.of(), false)),
                "label column 'label'", "DOUBLE", "INT32 or INT64", "STRING");
        assertMentions(fails(new TaskSource("ds", t, TaskSource.Format.PARQUET, "text", null, "text", Map.of(),
                null, List.of(), false)), "image column 'text'", "BINARY (STRING)", "Spark's image struct");
        assertMentions(fails(new TaskSource("ds", t, TaskSource.Format.PARQUET, null, "split", "split", Map.of(),
                null, List.of(), false)), "split column 'split'", "INT32", "train, validation or test");
    }

    private static org.apache.spark.sql.Row row(String table, int seed, String label, String split) {
        return RowFactory.create(png(image(BufferedImage.TYPE_BYTE_GRAY, seed)), label, split, table);
    }

    /**
     * The error cases' tables of image, label and split columns, in one Spark job: {@code cases/table=<name>}
     * (the table column is the partition directory, not a column of the files).
     */
    private static void writeCases() {
        byte[] png = png(image(BufferedImage.TYPE_BYTE_GRAY, 0));
        List<org.apache.spark.sql.Row> rows = List.of(
                row("undeclared", 0, "cat", "train"), row("undeclared", 1, "dog", "test"),
                row("undeclared", 2, "bird", "train"),
                row("disagree", 0, "cat", "train"), row("disagree", 1, "dog", "train"), row("disagree", 2, "bird", "test"),
                row("dev", 0, "cat", "train"), row("dev", 1, "cat", "dev"),
                row("corrupt", 0, "cat", "train"),
                RowFactory.create(Arrays.copyOf(png, png.length / 2), "cat", "train", "corrupt"),
                RowFactory.create("garbage".getBytes(StandardCharsets.UTF_8), "dog", "train", "corrupt"),
                row("corrupt", 3, "dog", "train"), row("corrupt", 4, "cat", "test"),
                row("nosplit", 0, "cat", "train"));
        spark.createDataFrame(rows, WITH_SPLIT.add("table", DataTypes.StringType)).coalesce(1).write()
                .partitionBy("table").parquet(tmp.resolve("cases").toString());
    }

    private static Path table(String name) {
        return tmp.resolve("cases").resolve("table=" + name);
    }

    @Test
    void stringLabelNotAmongTheDeclaredClasses() throws IOException {
        Path t = table("undeclared");
        assertMentions(fails(source(t.toString(), "split", Map.of(), null, List.of("cat", "dog"), false)),
                "label 'bird'", partFiles(t).get(0).getFileName() + " row 2", "[cat, dog]");
    }

    @Test
    void splitsThatDisagreeOnTheClassList() {
        String t = table("disagree").toString();
        assertMentions(fails(source(t, "split", Map.of(), null, List.of(), false)),
                "the splits disagree on the class list", "test holds [bird]", "train: [cat, dog]");
    }

    @Test
    void unknownSplitValue() throws IOException {
        Path t = table("dev");
        assertMentions(fails(source(t.toString(), "split", Map.of(), null, List.of(), false)),
                "'dev'", partFiles(t).get(0).getFileName() + " row 1", "[train, validation, test]");
    }

    @Test
    void corruptBytesFailNamingFileAndRowUnlessDropped() throws IOException {
        Path t = table("corrupt");
        String file = partFiles(t).get(0).getFileName().toString();
        assertMentions(fails(source(t.toString(), "split", Map.of(), null, List.of(), false)),
                file + " row 1", "corrupt_images: drop");

        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        SourceData data;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            data = new ParquetReader().read(source(t.toString(), "split", Map.of(), null, List.of(), true), hadoop);
        } finally {
            System.setErr(err);
        }
        assertEquals(2, data.train().size());
        assertArrayEquals(new int[] {0, 1}, data.train().labels());
        assertArrayEquals(expected(image(BufferedImage.TYPE_BYTE_GRAY, 3), 1),
                Arrays.copyOfRange(data.train().pixels(), H * W, 2 * H * W), "row 3 follows row 0");
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("dropped 2 of 4"), captured.toString());
    }

    @Test
    void noSplitColumnAndNoSplitLocations() {
        String t = table("nosplit").toString();
        assertMentions(fails(source(t, null, Map.of(), null, List.of(), false)),
                "split_column", "one location per split");
        assertMentions(fails(source(null, null, Map.of("train", t), null, List.of(), false)),
                "no location for the test split");
    }

    @Test
    void directoryWithoutParquetFilesAndMissingLocations() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("no-parquet"));
        Files.writeString(empty.resolve("_SUCCESS"), "");
        Files.writeString(empty.resolve(".hidden.parquet"), "");
        Files.writeString(empty.resolve("notes.txt"), "");
        Files.createDirectories(empty.resolve("split=train"));
        assertMentions(fails(source(empty.toString(), "split", Map.of(), null, List.of(), false)),
                "holds no Parquet files", "[notes.txt, split=train/]", "partitioned subdirectories");

        String missing = tmp.resolve("nowhere").toUri().toString();
        assertMentions(fails(source(missing, "split", Map.of(), null, List.of(), false)), missing,
                "no such file or directory");

        // Nothing listens on port 1: the namenode is unreachable, at once (no retries).
        Configuration noRetries = new Configuration();
        noRetries.setInt("ipc.client.connect.max.retries", 0);
        noRetries.setInt("ipc.client.connect.max.retries.on.timeouts", 0);
        String unreachable = "hdfs://127.0.0.1:1/data/pets";
        assertMentions(assertThrows(DatasetException.class, () -> new ParquetReader().read(source(unreachable,
                "split", Map.of(), null, List.of(), false), noRetries)), "cannot reach " + unreachable);

        Path notParquet = Files.createDirectories(tmp.resolve("bad-file")).resolve("part-0.parquet");
        Files.writeString(notParquet, "this is not parquet");
        assertMentions(fails(source(notParquet.toString(), "split", Map.of(), null, List.of(), false)),
                "part-0.parquet", "Parquet file");
    }
}

package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.data.ImageSet;
import org.munet.data.LocalData;
import org.munet.data.TaskData;
import org.munet.data.TestFiles;
import org.munet.evolution.ProgressListener;
import org.munet.spark.SparkTestConfigs;
import org.munet.worker.LocalCandidateRunner;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_extract;

/**
 * One small task in the three layouts munet reads: MNIST's IDX files, a folder of PNG files, and a
 * Parquet table written by Spark's own image data source from that folder. The pixels and labels
 * are the same, so the three evolve the same system: the same paths, accuracies, test predictions
 * and bit-identical component files.
 */
class SameTaskThreeFormatsIT {

    private static final int TRAIN = 1200;
    private static final int TEST = 300;

    @TempDir
    Path dir;

    @Test
    void idxImageFolderAndSparkImageParquetEvolveTheSameSystem() throws Exception {
        TaskData mnist = LocalData.load("mnist", Path.of(TinyRuns.dataDir()));
        // Sorted by class (stably): the order an image folder lists its files in.
        int[] train = byLabel(mnist.validation(), TRAIN);
        int[] test = byLabel(mnist.test(), TEST);
        Path folder = dir.resolve("folder/digits");
        writePngs(folder.resolve("train"), mnist.validation().select(train));
        writePngs(folder.resolve("test"), mnist.test().select(test));
        Path parquet = writeSparkImageParquet(folder);
        // IDX files hold their examples in the order they are split in (MNIST's files come shuffled);
        // an image folder's files are put in a fixed pseudo-random order first. The IDX copy is
        // written in that order: the same pixels, labels and splits.
        TaskData decoded = LocalData.load("digits", folder.getParent());
        ImageSet officialTrain = concat(decoded.validation(), decoded.train());
        Path idx = writeIdx(officialTrain, decoded.test());

        List<String> fromIdx = evolve("idx", "{name: digits, path: " + idx + "}");
        List<String> fromFolder = evolve("folder", "{name: digits, path: " + folder + ", format: image_folder}");
        List<String> fromParquet = evolve("parquet", "{name: digits, path: " + parquet + ", format: parquet,"
                + " image_column: image, label_column: label, split_column: split}");
        assertTrue(fromIdx.stream().anyMatch(l -> l.startsWith("path ") && l.contains(" digits ")), fromIdx.toString());
        assertEquals(fromIdx, fromFolder, "the PNG folder must evolve the system the IDX files evolve");
        assertEquals(fromIdx, fromParquet, "Spark's image Parquet must evolve the system the IDX files evolve");
    }

    private static ImageSet concat(ImageSet a, ImageSet b) {
        byte[] pixels = java.util.Arrays.copyOf(a.pixels(), a.pixels().length + b.pixels().length);
        System.arraycopy(b.pixels(), 0, pixels, a.pixels().length, b.pixels().length);
        int[] labels = java.util.Arrays.copyOf(a.labels(), a.size() + b.size());
        System.arraycopy(b.labels(), 0, labels, a.size(), b.size());
        return new ImageSet("official_train", 1, 28, 28, pixels, labels, a.numClasses());
    }

    /** The first {@code n} indices of a split, reordered by label, ties in index order. */
    private static int[] byLabel(ImageSet set, int n) {
        int[] labels = set.labels();
        return IntStream.range(0, n).boxed().sorted(Comparator.comparingInt(i -> labels[i])).mapToInt(i -> i).toArray();
    }

    private Path writeIdx(ImageSet train, ImageSet test) throws IOException {
        Path d = Files.createDirectories(dir.resolve("idx/digits"));
        for (var split : List.of(new Object[] {"train", train}, new Object[] {"t10k", test})) {
            ImageSet s = (ImageSet) split[1];
            Files.write(d.resolve(split[0] + "-images-idx3-ubyte"), TestFiles.idx(new int[] {s.size(), 28, 28},
                    s.pixels()));
            byte[] labels = new byte[s.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (byte) s.labels()[i];
            }
            Files.write(d.resolve(split[0] + "-labels-idx1-ubyte"), TestFiles.idx(new int[] {s.size()}, labels));
        }
        // The class count the other layouts take from their folder names.
        Files.writeString(d.resolve("num_classes"), "10\n");
        return d;
    }

    /** {@code <split>/<label>/<index>.png}, 8-bit gray; zero-padded names keep the order. */
    private static void writePngs(Path splitDir, ImageSet set) throws IOException {
        for (int c = 0; c < 10; c++) {
            Files.createDirectories(splitDir.resolve(Integer.toString(c)));
        }
        for (int i = 0; i < set.size(); i++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            byte[] raster = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            System.arraycopy(set.pixels(), i * 784, raster, 0, 784);
            ImageIO.write(image, "png", splitDir.resolve(set.labels()[i] + "/" + String.format("%05d.png", i)).toFile());
        }
    }

    /**
     * Spark's image data source over the folder, with the split and the label taken from each
     * file's path, written as one Parquet table in the folder's file order.
     */
    private Path writeSparkImageParquet(Path folder) {
        Path out = dir.resolve("parquet/digits");
        SparkSession spark = SparkSession.builder().master("local[1]").appName("SameTaskThreeFormatsIT")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "1")
                .getOrCreate();
        try {
            Dataset<Row> images = spark.read().format("image").load(folder + "/*/*/*.png");
            images.withColumn("split", regexp_extract(col("image.origin"), "/(train|test)/", 1))
                    .withColumn("label", regexp_extract(col("image.origin"), "/(train|test)/(\\d+)/", 2).cast("int"))
                    .orderBy(col("image.origin")).coalesce(1).write().parquet(out.toString());
            assertEquals(TRAIN + TEST, spark.read().parquet(out.toString()).count());
        } finally {
            spark.stop();
        }
        return out;
    }

    private List<String> evolve(String name, String task) throws Exception {
        Path config = TinyRuns.config(dir, name + ".yaml", List.of(task), 2, 1);
        String state = dir.resolve("state-" + name).toString();
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, state, null, null, runner, ProgressListener.NONE);
        }
        List<String> essence = new ArrayList<>(SparkTestConfigs.essence(state));
        essence.add("classes " + new StateReader(state).latest().state().classNames());
        return essence;
    }
}

package org.munet.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.munet.system.TaskSource;

/**
 * The MNIST layout on any file system: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte} in one directory, each plain or
 * gzipped. The class count is the declared one ({@code num_classes} of the task, or a
 * {@code num_classes} file in the directory), else the largest label plus one.
 */
public final class IdxFormat implements FormatReader {

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /**
     * Optional file in a dataset's directory holding its class count: labels at or above it
     * are then errors instead of silently widening the head.
     */
    static final String NUM_CLASSES_FILE = "num_classes";

    @Override
    public SourceData read(TaskSource source, Configuration hadoop) {
        Path dir = new Path(source.location());
        FileSystem fs = DataSources.fileSystem(dir, hadoop);
        String display = DataSources.displayName(source.dataset());
        byte[] trainImages = contents(fs, dir, TRAIN_IMAGES, display);
        byte[] trainLabels = contents(fs, dir, TRAIN_LABELS, display);
        byte[] testImages = contents(fs, dir, TEST_IMAGES, display);
        byte[] testLabels = contents(fs, dir, TEST_LABELS, display);
        int[] train = IdxReader.readLabels(trainLabels, new Path(dir, TRAIN_LABELS).toString());
        int[] test = IdxReader.readLabels(testLabels, new Path(dir, TEST_LABELS).toString());
        List<String> names = classNames(source, fs, dir, train, test);
        int classes = names.size();
        return new SourceData(set(source.dataset() + "/official_train", dir, TRAIN_IMAGES, trainImages, train, classes),
                null, set(source.dataset() + "/test", dir, TEST_IMAGES, testImages, test, classes), names);
    }

    private static List<String> classNames(TaskSource source, FileSystem fs, Path dir, int[] train, int[] test) {
        var builtIn = DataSources.builtInClasses(source);
        if (builtIn.isPresent() && source.numClasses() == null && source.classes().isEmpty()) {
            return builtIn.get();
        }
        Integer declared = source.numClasses();
        Path file = new Path(dir, NUM_CLASSES_FILE);
        if (declared == null && source.classes().isEmpty() && exists(fs, file)) {
            declared = declaredClasses(fs, file);
        }
        if (!source.classes().isEmpty()) {
            if (declared != null && declared != source.classes().size()) {
                throw new DatasetException(source.dataset() + ": num_classes " + declared + " but " + source.classes().size()
                        + " classes are named; give one of the two");
            }
            return source.classes();
        }
        if (declared == null) {
            int max = 0;
            for (int l : train) {
                max = Math.max(max, l);
            }
            for (int l : test) {
                max = Math.max(max, l);
            }
            declared = max + 1;
        }
        return TaskData.numberedClasses(declared);
    }

    private static ImageSet set(String name, Path dir, String file, byte[] bytes, int[] labels, int classes) {
        String where = new Path(dir, file).toString();
        IdxReader.Images images = IdxReader.readImages(bytes, where);
        if (images.count() != labels.length) {
            throw new DatasetException(name + ": " + where + " holds " + images.count() + " images but its label file"
                    + " holds " + labels.length + " labels; fetch the dataset again");
        }
        return new ImageSet(name, 1, images.height(), images.width(), images.pixels(), labels, classes);
    }

    /** The plain file or its {@code .gz}; the reader detects compression itself. */
    private static byte[] contents(FileSystem fs, Path dir, String file, String display) {
        for (Path p : new Path[] {new Path(dir, file), new Path(dir, file + ".gz")}) {
            try (InputStream in = fs.open(p)) {
                return IdxReader.contents(in, p.toString());
            } catch (FileNotFoundException e) {
                continue;
            } catch (IOException e) {
                throw DataSources.failure(p.toString(), e);
            }
        }
        boolean builtIn = DataSources.builtIns().contains(display.toLowerCase(java.util.Locale.ROOT).replace('-', '_'));
        throw new DatasetException(display + " not found in " + dir + " (missing " + file + ")"
                + (builtIn ? ": run " + DataSources.FETCH_COMMAND + " " + DataSources.plain(dir.getParent()) : ""));
    }

    private static boolean exists(FileSystem fs, Path p) {
        try {
            return fs.exists(p);
        } catch (IOException e) {
            throw DataSources.failure(p.toString(), e);
        }
    }

    private static int declaredClasses(FileSystem fs, Path file) {
        try (InputStream in = fs.open(file)) {
            int n = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
            if (n < 1) {
                throw new NumberFormatException("not positive");
            }
            return n;
        } catch (IOException | NumberFormatException e) {
            throw new DatasetException(file + " must hold the dataset's class count, a positive integer ("
                    + e.getMessage() + ")", e);
        }
    }
}

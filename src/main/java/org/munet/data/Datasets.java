package org.munet.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.munet.system.TaskNames;

/**
 * The dataset registry: loads a task's data by its name, from the built-in base datasets and the
 * user's datasets in a data directory, and derives tasks from them by name (see {@link TaskName};
 * the naming conventions themselves are {@link TaskNames}).
 *
 * <p>Splits follow the reference for datasets that ship without a validation split:
 * test = the official test set ({@code t10k}); validation = {@code train[0%:5%]}, the first 5% of
 * the official train set (3000 images for MNIST); train = {@code train[5%:]}, the rest (57000).
 * The 5% boundary is {@code Math.round(n * 5 / 100.0)}, TFDS's "closest" rounding (identical for
 * the 60000-image sets here).
 *
 * <p>Base datasets are cached per (canonical data directory, base task) so that several
 * candidates training concurrently in one JVM share one copy; this is safe because image sets are
 * never mutated. Derived tasks are rebuilt on each load (a fraction of a second for MNIST) to keep
 * memory bounded when a run visits many derived tasks.
 */
public final class Datasets {

    /** A base dataset: where its files live and how to name it in messages. */
    private record BaseTask(String name, String displayName, String subdir, int numClasses) {
    }

    private static final List<BaseTask> BASE_TASKS = List.of(
        new BaseTask("mnist", "MNIST", "mnist", 10),
        new BaseTask("fashion_mnist", "Fashion-MNIST", "fashion-mnist", 10));

    /** The script that downloads the datasets, named in "not found" errors. */
    public static final String FETCH_COMMAND = "deploy/fetch-datasets.sh";

    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** Percentage of the official train set held out as validation. */
    static final int VALIDATION_PERCENT = 5;

    private record Key(Path dir, String base) {
    }

    /**
     * Futures rather than values so that a load runs outside the map's locks (concurrent loads of
     * different datasets proceed in parallel) and concurrent requests for the same one wait for a
     * single read.
     */
    private static final Map<Key, FutureTask<TaskData>> CACHE = new ConcurrentHashMap<>();

    private Datasets() {
    }

    /** @return the base task names, e.g. {@code [mnist, fashion_mnist]} */
    public static List<String> knownBaseTasks() {
        return BASE_TASKS.stream().map(BaseTask::name).toList();
    }

    /**
     * Loads a base or derived task.
     *
     * @param taskName e.g. {@code mnist}, {@code fashion_mnist/rot90/inverted},
     *     {@code mnist/labels:5-9/permuted:7}
     * @param dataDir the directory holding {@code mnist/} and {@code fashion-mnist/}
     * @return the task, named {@code taskName}, with train/validation/test splits
     * @throws DatasetException for an unknown or malformed name, or missing or corrupt files
     */
    public static TaskData load(String taskName, Path dataDir) {
        TaskName parsed = TaskName.parse(taskName);
        BaseTask base = BASE_TASKS.stream().filter(b -> b.name().equals(parsed.base())).findFirst()
            .orElseGet(() -> userDataset(parsed.base(), dataDir));
        if (base == null) {
            throw new DatasetException("unknown task '" + taskName + "': known base tasks: "
                + String.join(", ", knownBaseTasks()) + ", or your own dataset as a directory " + dataDir
                + "/<name> holding " + TRAIN_IMAGES + ", " + TRAIN_LABELS + ", " + TEST_IMAGES + " and "
                + TEST_LABELS + " (each may be .gz); derived tasks append '/'-separated derivations"
                + " applied left to right: " + TaskName.KNOWN_DERIVATIONS
                + " (e.g. fashion_mnist/rot90/inverted, mnist/labels:5-9/permuted:7)");
        }
        TaskData data = loadBase(base, dataDir);
        if (parsed.transforms().isEmpty()) {
            return data;
        }
        return derive(parsed, data);
    }

    /**
     * A user dataset: {@code <dataDir>/<name>/} with the four IDX files of the MNIST layout. Its
     * class count is the largest label in its train and test files plus one.
     */
    private static BaseTask userDataset(String name, Path dataDir) {
        if (!TaskNames.isDatasetDirectory(name)) {
            return null;
        }
        Path dir = dataDir.resolve(name);
        boolean present = Files.isRegularFile(dir.resolve(TRAIN_IMAGES))
            || Files.isRegularFile(dir.resolve(TRAIN_IMAGES + ".gz"));
        return present ? new BaseTask(name, name, name, USER_CLASSES) : null;
    }

    /**
     * Optional file in a user dataset's directory holding its class count: labels at or above it
     * are then errors instead of silently widening the head.
     */
    static final String NUM_CLASSES_FILE = "num_classes";

    private static int declaredClasses(Path file) {
        try {
            int n = Integer.parseInt(Files.readString(file).strip());
            if (n < 1) {
                throw new NumberFormatException("not positive");
            }
            return n;
        } catch (IOException | NumberFormatException e) {
            throw new DatasetException(file + " must hold the dataset's class count, a positive integer ("
                + e.getMessage() + ")", e);
        }
    }

    /** Marks a base task whose class count comes from its labels. */
    private static final int USER_CLASSES = -1;

    private static TaskData derive(TaskName name, TaskData parent) {
        ImageSet train = parent.train();
        ImageSet validation = parent.validation();
        ImageSet test = parent.test();
        int classes = parent.numClasses();
        for (TaskTransform t : name.transforms()) {
            try {
                classes = t.numClasses(classes);
                train = t.apply(train);
                validation = t.apply(validation);
                test = t.apply(test);
            } catch (DatasetException e) {
                throw new DatasetException(name.full() + ": " + e.getMessage(), e);
            }
        }
        String n = name.full();
        return new TaskData(n, classes, train.withName(n + "/train"), validation.withName(n + "/validation"),
            test.withName(n + "/test"));
    }

    private static TaskData loadBase(BaseTask base, Path dataDir) {
        Key key = new Key(canonical(dataDir), base.name());
        FutureTask<TaskData> task = new FutureTask<>(() -> readBase(base, key.dir()));
        FutureTask<TaskData> existing = CACHE.putIfAbsent(key, task);
        if (existing == null) {
            existing = task;
            task.run();
        }
        try {
            return existing.get();
        } catch (ExecutionException e) {
            // Forget failures so that a later call (after fetching the data) can succeed.
            CACHE.remove(key, existing);
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new DatasetException(base.displayName() + ": load failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException(base.displayName() + ": interrupted while loading", e);
        }
    }

    /** Resolves symlinks so that two spellings of one directory share one cache entry. */
    private static Path canonical(Path dataDir) {
        try {
            return dataDir.toRealPath();
        } catch (IOException e) {
            return dataDir.toAbsolutePath().normalize();
        }
    }

    private static TaskData readBase(BaseTask base, Path dataDir) {
        Path dir = dataDir.resolve(base.subdir());
        Path trainImages = find(base, dataDir, dir, TRAIN_IMAGES);
        Path trainLabels = find(base, dataDir, dir, TRAIN_LABELS);
        Path testImages = find(base, dataDir, dir, TEST_IMAGES);
        Path testLabels = find(base, dataDir, dir, TEST_LABELS);

        int classes = base.numClasses();
        if (classes == USER_CLASSES && Files.isRegularFile(dir.resolve(NUM_CLASSES_FILE))) {
            classes = declaredClasses(dir.resolve(NUM_CLASSES_FILE));
            base = new BaseTask(base.name(), base.displayName(), base.subdir(), classes);
        } else if (classes == USER_CLASSES) {
            int max = 0;
            for (int l : IdxReader.readLabels(trainLabels)) {
                max = Math.max(max, l);
            }
            for (int l : IdxReader.readLabels(testLabels)) {
                max = Math.max(max, l);
            }
            classes = max + 1;
            base = new BaseTask(base.name(), base.displayName(), base.subdir(), classes);
        }
        ImageSet officialTrain = toSet(base.name() + "/official_train", base, trainImages, trainLabels);
        ImageSet test = toSet(base.name() + "/test", base, testImages, testLabels);
        int n = officialTrain.size();
        int valCount = (int) Math.round(n * VALIDATION_PERCENT / 100.0);
        ImageSet validation = officialTrain.slice(0, valCount).withName(base.name() + "/validation");
        ImageSet train = officialTrain.slice(valCount, n).withName(base.name() + "/train");
        return new TaskData(base.name(), base.numClasses(), train, validation, test);
    }

    /** Accepts the plain file or its {@code .gz}; the reader detects compression itself. */
    private static Path find(BaseTask base, Path dataDir, Path dir, String file) {
        Path plain = dir.resolve(file);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(file + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new DatasetException(base.displayName() + " not found in " + dir + " (missing " + file
            + "): run " + FETCH_COMMAND + " " + dataDir);
    }

    private static ImageSet toSet(String name, BaseTask base, Path imagesFile, Path labelsFile) {
        IdxReader.Images images = IdxReader.readImages(imagesFile);
        int[] labels = IdxReader.readLabels(labelsFile);
        if (images.count() != labels.length) {
            throw new DatasetException(name + ": " + imagesFile + " holds " + images.count() + " images but "
                + labelsFile + " holds " + labels.length + " labels; fetch the dataset again");
        }
        return new ImageSet(name, 1, images.height(), images.width(), images.pixels(), labels, base.numClasses());
    }
}

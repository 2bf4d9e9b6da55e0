package org.munet.data;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.munet.system.TaskNames;
import org.munet.system.TaskSource;

/**
 * The dataset registry: loads a task's data from its source ({@link DataSources} resolves where a
 * dataset lives and its {@link TaskSource.Format}), in any of the formats munet reads, and derives
 * tasks from it by name (see {@link TaskName}; the naming conventions themselves are
 * {@link TaskNames}).
 *
 * <p>Splits follow the reference for datasets that ship without a validation split:
 * test = the official test set; validation = {@code train[0%:5%]}, the first 5% of the official
 * train set (3000 images for MNIST); train = {@code train[5%:]}, the rest (57000). The 5% boundary
 * is {@code Math.round(n * 5 / 100.0)}, TFDS's "closest" rounding (identical for the 60000-image
 * sets here). A dataset with its own validation split (an image folder's {@code validation/}, a
 * Parquet split) keeps it; one without it is first put in a fixed pseudo-random order
 * ({@link #fixedPermutation}), unless it is IDX.
 *
 * <p>Decoded data, base and derived tasks alike, is cached per JVM in one least-recently-used cache
 * bounded in bytes ({@link #limitCache}), so that several candidates training concurrently share
 * one copy and a rotation or permutation of 60,000 images is computed once per executor, not once
 * per candidate; image sets are never mutated, so sharing is safe.
 */
public final class Datasets {

    /** Percentage of the official train set held out as validation. */
    static final int VALIDATION_PERCENT = 5;

    /** The default bound of the per-JVM cache of decoded task data (the config's default too). */
    public static final long DEFAULT_CACHE_BYTES = 2048L << 20;

    /** A loaded task: its full name (derivations included) and its base dataset's source. */
    private record Key(String task, TaskSource source) {
        @Override
        public String toString() {
            return task;
        }
    }

    private static final TaskDataCache<Key> CACHE = new TaskDataCache<>(DEFAULT_CACHE_BYTES);

    private Datasets() {}

    /** @return the built-in base task names, e.g. {@code [mnist, fashion_mnist]} */
    public static List<String> knownBaseTasks() {
        return DataSources.builtIns();
    }

    /** Bounds this JVM's cache of decoded task data; least recently used tasks are dropped first. */
    public static void limitCache(long bytes) {
        CACHE.limit(bytes);
    }

    /** Bytes of decoded task data this JVM's cache holds now. */
    public static long cachedBytes() {
        return CACHE.heldBytes();
    }

    /**
     * Loads a task whose dataset lives under a data directory by its bare name.
     *
     * @param taskName e.g. {@code mnist}, {@code fashion_mnist/rot90/inverted}, {@code my_photos/labels:0-4}
     * @param dataDir the data directory: a local path or a Hadoop URI
     * @param hadoop the run's Hadoop configuration
     */
    public static TaskData load(String taskName, String dataDir, Configuration hadoop) {
        TaskName parsed = TaskName.parse(taskName);
        return load(taskName, DataSources.resolve(TaskSource.named(parsed.base()), dataDir, hadoop), hadoop);
    }

    /**
     * Loads a base or derived task from its resolved source.
     *
     * @param taskName the full name; its base (before the first {@code /}) is the source's dataset
     * @param source a resolved source ({@link DataSources#resolve})
     * @param hadoop the run's Hadoop configuration
     * @return the task, named {@code taskName}, with train/validation/test splits
     * @throws DatasetException for a malformed name, or missing, unreachable or corrupt data
     */
    public static TaskData load(String taskName, TaskSource source, Configuration hadoop) {
        if (!source.isResolved()) {
            throw new IllegalArgumentException(source + " is not resolved (DataSources.resolve)");
        }
        TaskName parsed = TaskName.parse(taskName);
        Key baseKey = new Key(parsed.base(), source);
        if (parsed.transforms().isEmpty()) {
            return CACHE.get(baseKey, () -> readBase(parsed.base(), source, hadoop));
        }
        return CACHE.get(new Key(taskName, source),
                () -> derive(parsed, CACHE.get(baseKey, () -> readBase(parsed.base(), source, hadoop))));
    }

    /** The decoded size of a folder's first train image: the estimate of every image's. */
    private static long decodedBytes(ImageFolderReader.Listing listing) {
        org.apache.hadoop.fs.FileStatus first = listing.files().get("train").get(0);
        try (java.io.InputStream in = listing.fs().open(first.getPath())) {
            DecodedImage d = ImageDecoder.decode(in.readAllBytes(), first.getPath().toString());
            return (long) d.channels() * d.height() * d.width() + 4;
        } catch (java.io.IOException e) {
            throw new DatasetException(listing.name() + ": " + DataSources.failure(first.getPath().toString(), e)
                    .getMessage(), e);
        }
    }

    /**
     * A folder task whose train split is larger than the cache bound: its validation and test
     * splits are decoded whole (they fix the task's geometry), its train split is cut into shards
     * of the fixed pseudo-random order, each decoded when a stream reaches it. A shard takes at
     * most a quarter of the bound and at most {@link TrainShards#MAX_SHARD} examples.
     */
    private static TaskData streamed(String name, TaskSource source, ImageFolderReader.Listing listing,
            long perImage) {
        List<org.apache.hadoop.fs.FileStatus> official = listing.files().get("train");
        int[] officialLabels = listing.labels().get("train");
        int[] order = fixedPermutation(official.size());
        List<org.apache.hadoop.fs.FileStatus> shuffled = new java.util.ArrayList<>(official.size());
        int[] shuffledLabels = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            shuffled.add(official.get(order[i]));
            shuffledLabels[i] = officialLabels[order[i]];
        }
        boolean stored = listing.files().containsKey("validation");
        int valCount = stored ? 0 : (int) Math.round(shuffled.size() * VALIDATION_PERCENT / 100.0);
        // Validation (stored, or the first 5 %) and test, decoded whole at one geometry.
        java.util.Map<String, List<org.apache.hadoop.fs.FileStatus>> held = new java.util.LinkedHashMap<>();
        java.util.Map<String, int[]> heldLabels = new java.util.LinkedHashMap<>();
        held.put("train", stored ? listing.files().get("validation") : shuffled.subList(0, valCount));
        heldLabels.put("train", stored ? listing.labels().get("validation")
                : java.util.Arrays.copyOf(shuffledLabels, valCount));
        held.put("test", listing.files().get("test"));
        heldLabels.put("test", listing.labels().get("test"));
        SourceData small = new ImageFolderReader().read(new ImageFolderReader.Listing(listing.name(), listing.fs(),
                listing.classNames(), held, heldLabels, listing.dropCorrupt()));
        ImageSet validation = small.train().withName(name + "/validation");
        ImageSet test = small.test().withName(name + "/test");
        int classes = listing.classNames().size();

        List<org.apache.hadoop.fs.FileStatus> trainFiles = shuffled.subList(valCount, shuffled.size());
        int[] trainLabels = java.util.Arrays.copyOfRange(shuffledLabels, valCount, shuffledLabels.length);
        long maxShard = Math.max(1, CACHE.limit() / 4 / perImage);
        int[] starts = TrainShards.starts(trainFiles.size(), (int) Math.min(TrainShards.MAX_SHARD, maxShard));
        ImageSetBuilder.Size size = new ImageSetBuilder.Size(validation.height(), validation.width());
        int count = starts.length - 1;
        TrainShards shards = new TrainShards(starts, trainLabels, k -> CACHE.get(
                new Key(name + "#train-shard-" + k + "-of-" + count, source),
                () -> ImageFolderReader.decode(listing, name + "/train shard " + k,
                        trainFiles.subList(starts[k], starts[k + 1]),
                        java.util.Arrays.copyOfRange(trainLabels, starts[k], starts[k + 1]), validation.channels(),
                        size)));
        System.err.printf(java.util.Locale.ROOT, "munet: %s: %d train images (about %.1f MB decoded) exceed"
                + " training.task_data_cache_mb (%.1f MB): streamed in %d shards%n", name, trainFiles.size(),
                perImage * trainFiles.size() / 1048576.0, CACHE.limit() / 1048576.0, count);
        ImageSet empty = new ImageSet(name + "/train", validation.channels(), validation.height(), validation.width(),
                new byte[0], new int[0], classes);
        return new TaskData(name, classes, empty, validation, test, listing.classNames(), shards);
    }

    private static TaskData derive(TaskName name, TaskData parent) {
        if (parent.shards() != null) {
            throw new DatasetException(name.full() + ": derived tasks of a dataset streamed in shards are not"
                    + " supported; raise training.task_data_cache_mb above the decoded size of " + parent.name()
                    + " so it is held whole");
        }
        ImageSet train = parent.train();
        ImageSet validation = parent.validation();
        ImageSet test = parent.test();
        int classes = parent.numClasses();
        List<String> names = parent.classNames();
        for (TaskTransform t : name.transforms()) {
            try {
                classes = t.numClasses(classes);
                names = t.classNames(names);
                train = t.apply(train);
                validation = t.apply(validation);
                test = t.apply(test);
            } catch (DatasetException e) {
                throw new DatasetException(name.full() + ": " + e.getMessage(), e);
            }
        }
        String n = name.full();
        return new TaskData(n, classes, train.withName(n + "/train"), validation.withName(n + "/validation"),
                test.withName(n + "/test"), names);
    }

    private static TaskData readBase(String name, TaskSource source, Configuration hadoop) {
        SourceData read;
        if (source.format() == TaskSource.Format.IMAGE_FOLDER) {
            // Listed first: a folder whose train split would not fit the cache is streamed in shards.
            ImageFolderReader.Listing listing = new ImageFolderReader().list(source, hadoop);
            long perImage = decodedBytes(listing);
            if (perImage * listing.files().get("train").size() > CACHE.limit()) {
                return streamed(name, source, listing, perImage);
            }
            read = new ImageFolderReader().read(listing);
        } else {
            read = reader(source.format()).read(source, hadoop);
        }
        ImageSet validation = read.validation();
        ImageSet train = read.train();
        if (validation == null) {
            if (source.format() != TaskSource.Format.IDX) {
                train = train.select(fixedPermutation(train.size()));
            }
            int n = train.size();
            int valCount = (int) Math.round(n * VALIDATION_PERCENT / 100.0);
            validation = train.slice(0, valCount);
            train = train.slice(valCount, n);
        }
        return new TaskData(name, read.classNames().size(), train.withName(name + "/train"),
                validation.withName(name + "/validation"), read.test().withName(name + "/test"), read.classNames());
    }

    /**
     * The order in which an image folder's or a table's train split is cut into validation and
     * train. Deliberate deviation, for data the reference never saw: TFDS ships its datasets
     * shuffled, so its {@code train[:5%]} is a fair sample, and MNIST's IDX files are in that order
     * already; an image folder lists its files class by class (and Spark writes its image tables in
     * listing order), so the first 5 % would hold one class. A fixed pseudo-random permutation
     * (the one {@code permuted:0} applies to pixels; the same in every JVM and run) makes the slice
     * a fair sample and keeps it stable.
     */
    static int[] fixedPermutation(int n) {
        return new PermuteTransform(0).permutation(n);
    }

    private static FormatReader reader(TaskSource.Format format) {
        return switch (format) {
            case IDX -> new IdxFormat();
            case IMAGE_FOLDER -> new ImageFolderReader();
            case PARQUET -> new ParquetReader();
        };
    }
}

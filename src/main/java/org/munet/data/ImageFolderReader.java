package org.munet.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.munet.system.TaskSource;

/**
 * Reads an image-folder dataset ({@link TaskSource.Format#IMAGE_FOLDER}) from any Hadoop file
 * system: {@code train/<class>/*}, {@code test/<class>/*} and optionally
 * {@code validation/<class>/*} under the source's location. Without a validation folder the
 * result's validation is null (the caller then takes the reference's first 5 % of train).
 *
 * <p>Classes: the class folders' names, in String order, label {@code i} being the {@code i}-th;
 * when the source declares its classes, the folders must be exactly those and the labels follow
 * the declared order. Every split must have the same class folders, each holding at least one
 * image, and a task needs at least two classes.
 *
 * <p>Files: {@code .png .jpg .jpeg .bmp .gif} (any case) are decoded by {@link ImageDecoder},
 * which recognises the format from the bytes (a PNG named {@code .jpg} is fine). Other files,
 * hidden files (a leading {@code .}, e.g. {@code .DS_Store} or macOS {@code ._x.jpg}), folders
 * inside class folders and files beside the class folders are ignored, counted and reported in
 * one warning line per task. A corrupt or truncated image fails the task, naming the file,
 * unless the source drops corrupt images ({@code corrupt_images: drop}): then it is left out and
 * counted in a warning. An unreadable file (an I/O error) always fails the task.
 *
 * <p>Decoding runs on all the JVM's cores, each thread reading and decoding whole files, and the
 * result never depends on thread timing: the images of a split are ordered by label, then by file
 * name (String order). The geometry is the task's, shared by its splits ({@link ImageSetBuilder}):
 * 3 channels when any image is in colour, and the most common size, other sizes being resized
 * (a named deviation from the reference, which crops the original: see {@link ImageSetBuilder}).
 *
 * <p>Memory: the decoded images of the whole task are held once more while the splits are built.
 */
public final class ImageFolderReader implements FormatReader {

    /** The image file extensions, lower case. */
    public static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private static final String LAYOUT = "an image-folder dataset holds train/<class>/*, test/<class>/* and"
        + " optionally validation/<class>/*, one folder per class";

    /**
     * A folder listed but not decoded: per split its image files, ordered by label then file name,
     * and their labels. What a task streamed in shards is built from ({@link Datasets}).
     *
     * @param name the dataset, for messages
     * @param fs the folder's file system
     * @param classNames the class names in label order
     * @param files per split present ({@code train}, {@code test}, maybe {@code validation}) its files
     * @param labels per split the label of each file
     * @param dropCorrupt whether an undecodable image is dropped (else it fails the task)
     */
    public record Listing(String name, FileSystem fs, List<String> classNames, Map<String, List<FileStatus>> files,
            Map<String, int[]> labels, boolean dropCorrupt) {}

    @Override
    public SourceData read(TaskSource source, Configuration hadoop) {
        return read(list(source, hadoop));
    }

    /** Lists a folder dataset, checking its classes, without decoding an image. */
    public Listing list(TaskSource source, Configuration hadoop) {
        String name = source.dataset();
        if (!source.isResolved() || source.format() != TaskSource.Format.IMAGE_FOLDER) {
            throw new IllegalArgumentException("not a resolved image-folder source: " + source);
        }
        Path root = new Path(source.location());
        FileSystem fs;
        try {
            fs = root.getFileSystem(hadoop);
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(name + ": cannot open the file system of " + root + " (" + e + ")", e);
        }
        Ignored ignored = new Ignored();
        Map<String, List<FileStatus>> classDirs = new LinkedHashMap<>();
        for (String split : TaskSource.SPLITS) {
            Path dir = new Path(root, split);
            FileStatus status = status(fs, dir, name);
            if (status == null || !status.isDirectory()) {
                if (split.equals("validation") && status == null) {
                    continue;
                }
                throw new DatasetException(name + ": " + (status == null ? "no " + split + "/ folder in " + root
                    : dir + " is a file, not a folder") + " (" + LAYOUT + ")");
            }
            List<FileStatus> classes = new ArrayList<>();
            for (FileStatus s : list(fs, dir, name)) {
                if (s.isDirectory() && !hidden(s)) {
                    classes.add(s);
                } else {
                    ignored.add(s);
                }
            }
            classes.sort(Comparator.comparing(s -> s.getPath().getName()));
            classDirs.put(split, classes);
        }

        List<String> found = classDirs.get("train").stream().map(s -> s.getPath().getName()).toList();
        List<String> classNames = classNames(name, source, root, found);
        checkSplitsAgree(name, root, classDirs);
        Map<String, Integer> labelOf = new LinkedHashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            labelOf.put(classNames.get(i), i);
        }

        // Every split's image files, ordered by label then file name.
        Map<String, List<FileStatus>> files = new LinkedHashMap<>();
        Map<String, int[]> labels = new LinkedHashMap<>();
        for (Map.Entry<String, List<FileStatus>> e : classDirs.entrySet()) {
            List<FileStatus> dirs = new ArrayList<>(e.getValue());
            dirs.sort(Comparator.comparing(s -> labelOf.get(s.getPath().getName())));
            List<FileStatus> splitFiles = new ArrayList<>();
            List<Integer> splitLabels = new ArrayList<>();
            for (FileStatus dir : dirs) {
                List<FileStatus> images = new ArrayList<>();
                for (FileStatus f : list(fs, dir.getPath(), name)) {
                    if (f.isFile() && isImageName(f.getPath().getName())) {
                        images.add(f);
                    } else {
                        ignored.add(f);
                    }
                }
                if (images.isEmpty()) {
                    throw new DatasetException(name + ": class folder " + dir.getPath() + " holds no images ("
                        + String.join(" ", EXTENSIONS) + "); add its images, or remove the class from every split");
                }
                images.sort(Comparator.comparing(f -> f.getPath().getName()));
                int label = labelOf.get(dir.getPath().getName());
                for (FileStatus f : images) {
                    splitFiles.add(f);
                    splitLabels.add(label);
                }
            }
            files.put(e.getKey(), splitFiles);
            labels.put(e.getKey(), splitLabels.stream().mapToInt(Integer::intValue).toArray());
        }
        ignored.warn(name);
        return new Listing(name, fs, classNames, files, labels, source.dropCorruptImages());
    }

    /** Decodes a listed folder whole, every split at the task's one geometry. */
    public SourceData read(Listing listing) {
        String name = listing.name();
        FileSystem fs = listing.fs();
        List<String> classNames = listing.classNames();
        Map<String, List<FileStatus>> files = listing.files();
        Map<String, int[]> labels = new LinkedHashMap<>(listing.labels());
        // root/train/<class>/<file>: for messages.
        Path root = files.get("train").get(0).getPath().getParent().getParent().getParent();

        // Decode all splits in one parallel pass.
        List<FileStatus> all = new ArrayList<>();
        files.values().forEach(all::addAll);
        DecodedImage[] decoded = decodeAll(fs, all, listing.dropCorrupt(), name);

        // Drop what could not be decoded, and check every class kept an image.
        Map<String, List<DecodedImage>> images = new LinkedHashMap<>();
        int at = 0;
        for (Map.Entry<String, List<FileStatus>> e : files.entrySet()) {
            String split = e.getKey();
            int[] splitLabels = labels.get(split);
            List<DecodedImage> kept = new ArrayList<>(splitLabels.length);
            int[] keptLabels = new int[splitLabels.length];
            int[] perClass = new int[classNames.size()];
            int[] listed = new int[classNames.size()];
            for (int i = 0; i < splitLabels.length; i++) {
                listed[splitLabels[i]]++;
                DecodedImage d = decoded[at + i];
                if (d != null) {
                    keptLabels[kept.size()] = splitLabels[i];
                    kept.add(d);
                    perClass[splitLabels[i]]++;
                }
            }
            at += splitLabels.length;
            for (int c = 0; c < perClass.length; c++) {
                if (perClass[c] == 0 && listed[c] > 0) {
                    throw new DatasetException(name + ": class folder " + root + "/" + split + "/"
                        + classNames.get(c) + " has no decodable image left after dropping corrupt ones;"
                        + " replace them, or remove the class from every split");
                }
            }
            images.put(split, kept);
            labels.put(split, Arrays.copyOf(keptLabels, kept.size()));
        }

        int channels = ImageSetBuilder.channels(images.values());
        ImageSetBuilder.Size size = ImageSetBuilder.commonSize(images.values());
        warnResized(name, size, files, decoded);
        Map<String, ImageSet> sets = new LinkedHashMap<>();
        for (Map.Entry<String, List<DecodedImage>> e : images.entrySet()) {
            String split = e.getKey();
            sets.put(split, ImageSetBuilder.build(name + "/" + split, e.getValue(), labels.get(split),
                classNames.size(), channels, size));
            e.setValue(List.of()); // let the decoded images go as soon as their split is built
        }
        return new SourceData(sets.get("train"), sets.get("validation"), sets.get("test"), classNames);
    }

    /**
     * Decodes some of a listed folder's files (a shard of a streamed train split) to a given
     * geometry: gray images are tiled when it is RGB, other sizes resized to it.
     *
     * @throws DatasetException if an image is in colour and the geometry is gray, or every image
     *     of the shard is corrupt
     */
    public static ImageSet decode(Listing listing, String setName, List<FileStatus> files, int[] labels, int channels,
            ImageSetBuilder.Size size) {
        DecodedImage[] decoded = decodeAll(listing.fs(), files, listing.dropCorrupt(), listing.name());
        List<DecodedImage> kept = new ArrayList<>(files.size());
        int[] keptLabels = new int[files.size()];
        for (int i = 0; i < decoded.length; i++) {
            DecodedImage d = decoded[i];
            if (d == null) {
                continue;
            }
            if (d.channels() > channels) {
                throw new DatasetException(listing.name() + ": " + files.get(i).getPath() + " is in colour but the"
                    + " task's validation and test images, which fix a streamed task's geometry, are gray; convert"
                    + " the images to one kind");
            }
            keptLabels[kept.size()] = labels[i];
            kept.add(d);
        }
        if (kept.isEmpty()) {
            throw new DatasetException(setName + ": none of its " + files.size() + " images decodes");
        }
        return ImageSetBuilder.build(setName, kept, java.util.Arrays.copyOf(keptLabels, kept.size()),
            listing.classNames().size(), channels, size);
    }

    /** Whether a file name has an image extension (any case) and is not hidden. */
    static boolean isImageName(String fileName) {
        if (fileName.startsWith(".")) {
            return false;
        }
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (String ext : EXTENSIONS) {
            if (lower.endsWith(ext) && lower.length() > ext.length()) {
                return true;
            }
        }
        return false;
    }

    private static boolean hidden(FileStatus s) {
        return s.getPath().getName().startsWith(".");
    }

    /** The labels' class names: the folders', or the declared ones (which must match them). */
    private static List<String> classNames(String name, TaskSource source, Path root, List<String> found) {
        Path train = new Path(root, "train");
        if (found.size() < 2) {
            throw new DatasetException(name + ": " + train + " has " + found.size() + " class folder"
                + (found.size() == 1 ? " (" + found.get(0) + ")" : "s") + "; a classification task needs at least"
                + " two: put each class's images in its own folder train/<class>/ (" + LAYOUT + ")");
        }
        List<String> names = found;
        if (!source.classes().isEmpty()) {
            List<String> declared = source.classes();
            Set<String> seen = new HashSet<>();
            Set<String> repeated = new TreeSet<>();
            for (String c : declared) {
                if (!seen.add(c)) {
                    repeated.add(c);
                }
            }
            if (!repeated.isEmpty()) {
                throw new DatasetException(name + ": the declared classes name " + repeated + " more than once;"
                    + " declare each class once");
            }
            Set<String> missing = new TreeSet<>(declared);
            missing.removeAll(found);
            Set<String> extra = new TreeSet<>(found);
            extra.removeAll(declared);
            if (!missing.isEmpty() || !extra.isEmpty()) {
                throw new DatasetException(name + ": the declared classes " + declared + " differ from the class"
                    + " folders of " + train + " " + found
                    + (missing.isEmpty() ? "" : ": no folder for " + missing)
                    + (extra.isEmpty() ? "" : (missing.isEmpty() ? ": " : "; ") + "undeclared folders " + extra)
                    + "; make the folders and the declared classes agree");
            }
            names = declared;
        }
        if (source.numClasses() != null && source.numClasses() != names.size()) {
            throw new DatasetException(name + ": declared " + source.numClasses() + " classes but " + train + " has "
                + names.size() + " class folders " + found + "; fix num_classes or the folders");
        }
        return names;
    }

    /** Every split must have train's class folders, no more and no fewer. */
    private static void checkSplitsAgree(String name, Path root, Map<String, List<FileStatus>> classDirs) {
        Set<String> train = names(classDirs.get("train"));
        for (Map.Entry<String, List<FileStatus>> e : classDirs.entrySet()) {
            if (e.getKey().equals("train")) {
                continue;
            }
            Set<String> other = names(e.getValue());
            Set<String> missing = new TreeSet<>(train);
            missing.removeAll(other);
            Set<String> extra = new TreeSet<>(other);
            extra.removeAll(train);
            if (!missing.isEmpty() || !extra.isEmpty()) {
                String split = e.getKey();
                throw new DatasetException(name + ": the splits train/ and " + split + "/ of " + root
                    + " disagree on the class list: "
                    + (missing.isEmpty() ? "" : split + "/ lacks " + missing + " that train/ has")
                    + (extra.isEmpty() ? "" : (missing.isEmpty() ? "" : " and ") + split + "/ has " + extra
                        + " that train/ lacks")
                    + "; every split needs one folder per class, the same in each");
            }
        }
    }

    private static Set<String> names(List<FileStatus> dirs) {
        Set<String> s = new TreeSet<>();
        dirs.forEach(d -> s.add(d.getPath().getName()));
        return s;
    }

    private static FileStatus status(FileSystem fs, Path path, String name) {
        try {
            return fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new DatasetException(name + ": " + DataSources.failure(path.toString(), e).getMessage(), e);
        }
    }

    private static FileStatus[] list(FileSystem fs, Path dir, String name) {
        try {
            return fs.listStatus(dir);
        } catch (IOException e) {
            throw new DatasetException(name + ": " + DataSources.failure(dir.toString(), e).getMessage(), e);
        } catch (IllegalArgumentException e) {
            // Hadoop paths cannot hold some names, e.g. one with a ':'.
            throw new DatasetException(name + ": cannot list " + dir + " (" + e.getMessage() + "); rename the"
                + " files or folders in it whose names Hadoop cannot represent (e.g. names with ':')", e);
        }
    }

    /**
     * Reads and decodes every file on all cores; {@code null} where a corrupt image was dropped.
     * The first failure stops the other threads from starting new files; the one reported is the
     * earliest failed file in order.
     */
    private static DecodedImage[] decodeAll(FileSystem fs, List<FileStatus> files, boolean dropCorrupt, String name) {
        int n = files.size();
        DecodedImage[] out = new DecodedImage[n];
        String[] dropped = new String[n];
        Throwable[] failed = new Throwable[n];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n));
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        AtomicInteger threadIds = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "munet-decode-" + name + "-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        };
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < n && !stop.get(); i = next.getAndIncrement()) {
                Path path = files.get(i).getPath();
                byte[] bytes;
                try (InputStream in = fs.open(path)) {
                    bytes = in.readAllBytes();
                } catch (IOException | RuntimeException e) {
                    failed[i] = new DatasetException(name + ": cannot read " + path + " (" + e + ")"
                        + (e instanceof IllegalArgumentException ? "; rename it if Hadoop cannot represent its name"
                            + " (e.g. a name with ':')" : ""), e);
                    stop.set(true);
                    continue;
                }
                try {
                    out[i] = ImageDecoder.decode(bytes, path.toString());
                } catch (DatasetException e) {
                    if (dropCorrupt) {
                        dropped[i] = e.getMessage();
                    } else {
                        failed[i] = new DatasetException(name + ": " + e.getMessage()
                            + " (or set corrupt_images: drop in the task's mapping to leave such images out)", e);
                        stop.set(true);
                    }
                } catch (RuntimeException | Error e) {
                    failed[i] = e;
                    stop.set(true);
                }
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads, factory);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(worker));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException(name + ": interrupted while decoding images", e);
        } catch (ExecutionException e) {
            throw new DatasetException(name + ": decoding failed (" + e.getCause() + ")", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        for (Throwable t : failed) {
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
        }
        int count = 0;
        String example = null;
        for (String d : dropped) {
            if (d != null) {
                count++;
                example = example == null ? d : example;
            }
        }
        if (count > 0) {
            System.err.println("munet: " + name + ": dropped " + count + " corrupt image" + (count == 1 ? "" : "s")
                + " of " + n + " (corrupt_images: drop), e.g. " + example);
        }
        return out;
    }

    /** One warning line when images were resized to the task's common size. */
    private static void warnResized(String name, ImageSetBuilder.Size size, Map<String, List<FileStatus>> files,
                                    DecodedImage[] decoded) {
        int resized = 0;
        int total = 0;
        String example = null;
        int at = 0;
        for (List<FileStatus> splitFiles : files.values()) {
            for (int i = 0; i < splitFiles.size(); i++) {
                DecodedImage d = decoded[at + i];
                if (d == null) {
                    continue;
                }
                total++;
                if (d.height() != size.height() || d.width() != size.width()) {
                    resized++;
                    if (example == null) {
                        example = splitFiles.get(i).getPath() + " is " + d.width() + "x" + d.height();
                    }
                }
            }
            at += splitFiles.size();
        }
        if (resized > 0) {
            System.err.println("munet: " + name + ": resized " + resized + " of " + total + " images to the task's"
                + " most common size " + size + " (e.g. " + example + ")");
        }
    }

    /** Entries that are not images: counted, with the smallest path as the example. */
    private static final class Ignored {
        private int count;
        private String example;

        void add(FileStatus s) {
            count++;
            String p = s.getPath().toString();
            if (example == null || p.compareTo(example) < 0) {
                example = p;
            }
        }

        void warn(String name) {
            if (count > 0) {
                System.err.println("munet: " + name + ": ignored " + count + " non-image file" + (count == 1 ? "" : "s")
                    + " (e.g. " + example + ")");
            }
        }
    }
}

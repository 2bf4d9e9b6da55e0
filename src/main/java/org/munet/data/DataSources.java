package org.munet.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.munet.system.TaskSource;

/**
 * Resolves a task's source, as written in a config or catalog, to where its data is and how it is
 * laid out, on the driver and before anything runs: an absolute, fully qualified URI (so an
 * executor on another host reads the same files) and a format (detected when not given).
 *
 * <p>Locations: {@code data_dir} and a task's {@code path} may be local paths or Hadoop URIs
 * ({@code file:}, {@code hdfs:}, {@code s3a:}, ...). A relative {@code path} is relative to
 * {@code data_dir}; without one a dataset lives at {@code <data_dir>/<dataset>}. Every access goes
 * through the run's Hadoop configuration, and failures name the URI and what to set.
 */
public final class DataSources {

    /** A built-in dataset: its directory under data_dir and its classes. */
    private record BuiltIn(String name, String displayName, String subdir, List<String> classes) {}

    private static final List<BuiltIn> BUILT_INS = List.of(
            new BuiltIn("mnist", "MNIST", "mnist", TaskData.numberedClasses(10)),
            new BuiltIn("fashion_mnist", "Fashion-MNIST", "fashion-mnist", List.of("T-shirt/top", "Trouser",
                    "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")));

    /** The script that downloads the built-in datasets, named in "not found" errors. */
    public static final String FETCH_COMMAND = "deploy/fetch-datasets.sh";

    private DataSources() {}

    /** @return the built-in base task names, e.g. {@code [mnist, fashion_mnist]} */
    public static List<String> builtIns() {
        return BUILT_INS.stream().map(BuiltIn::name).toList();
    }

    /** The class names of a built-in dataset, or empty for any other. */
    static Optional<List<String>> builtInClasses(TaskSource source) {
        return builtIn(source.dataset()).filter(b -> source.format() == TaskSource.Format.IDX
                && source.location().endsWith("/" + b.subdir())).map(BuiltIn::classes);
    }

    /** A display name for messages: {@code MNIST}, or the dataset's own name. */
    static String displayName(String dataset) {
        return builtIn(dataset).map(BuiltIn::displayName).orElse(dataset);
    }

    /**
     * @param written the source as written (a bare name gives {@link TaskSource#named})
     * @param dataDir the config's data directory: a local path or a Hadoop URI
     * @param hadoop the run's Hadoop configuration
     * @return the source with an absolute location, a format and absolute split locations
     * @throws DatasetException naming the URI and the fix when nothing is there, it cannot be
     *     reached, or its layout is not one munet reads
     */
    public static TaskSource resolve(TaskSource written, String dataDir, Configuration hadoop) {
        Optional<BuiltIn> builtIn = written.location() == null ? builtIn(written.dataset()) : Optional.empty();
        Path base = directory(dataDir);
        Path location = written.location() == null
                ? new Path(base, builtIn.map(BuiltIn::subdir).orElse(written.dataset()))
                : under(base, written.location());
        Map<String, String> splits = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : written.splitLocations().entrySet()) {
            splits.put(e.getKey(), qualified(under(base, e.getValue()), hadoop).toString());
        }
        Path qualified = qualified(location, hadoop);
        String uri = qualified.toString();
        TaskSource.Format format = written.format() == null && builtIn.isPresent() ? TaskSource.Format.IDX
                : written.format();
        if (!splits.isEmpty()) {
            if (format != null && format != TaskSource.Format.PARQUET) {
                throw new DatasetException(written.dataset() + ": train/validation/test locations are for"
                        + " Parquet tables; an " + name(format) + " dataset keeps its splits in one directory");
            }
            return written.resolved(uri, TaskSource.Format.PARQUET, splits);
        }
        FileStatus status = status(qualified, hadoop, () -> notFound(written, builtIn, uri, dataDir));
        if (format == null) {
            format = detect(written, status, qualified, hadoop);
        }
        return written.resolved(uri, format, splits);
    }

    private static String notFound(TaskSource written, Optional<BuiltIn> builtIn, String uri, String dataDir) {
        if (builtIn.isPresent()) {
            return builtIn.get().displayName() + " not found in " + uri + " (missing " + IdxFormat.TRAIN_IMAGES + "): run "
                    + FETCH_COMMAND + " " + dataDir;
        }
        if (written.location() == null) {
            return "unknown task '" + written.dataset() + "': nothing at " + uri + ". Known built-in datasets: "
                    + String.join(", ", builtIns()) + "; or put your own under data_dir as " + written.dataset()
                    + "/ (IDX files as MNIST's, or an image folder train/<class>/*, test/<class>/*), or give the"
                    + " task as a mapping with its path and format (see deploy/configs/reference.yaml, 'tasks')."
                    + " Derived tasks append '/'-separated derivations applied left to right: "
                    + TaskName.KNOWN_DERIVATIONS + " (e.g. fashion_mnist/rot90/inverted, mnist/labels:5-9/permuted:7)";
        }
        return written.dataset() + ": no dataset at " + uri + " (its 'path'); check the path";
    }

    /** The layout of a directory (or file) whose format was not given. */
    private static TaskSource.Format detect(TaskSource written, FileStatus status, Path location,
            Configuration hadoop) {
        if (status.isFile()) {
            if (location.getName().endsWith(".parquet")) {
                return TaskSource.Format.PARQUET;
            }
            throw new DatasetException(written.dataset() + ": " + location + " is a file but not a .parquet file;"
                    + " a dataset is a directory (IDX files, or an image folder), or a Parquet table");
        }
        FileSystem fs = fileSystem(location, hadoop);
        try {
            boolean idx = false;
            boolean folder = false;
            boolean parquet = false;
            for (FileStatus child : fs.listStatus(location)) {
                String n = child.getPath().getName();
                idx |= n.equals(IdxFormat.TRAIN_IMAGES) || n.equals(IdxFormat.TRAIN_IMAGES + ".gz");
                folder |= child.isDirectory() && n.equals("train");
                parquet |= n.endsWith(".parquet");
            }
            if (idx) {
                return TaskSource.Format.IDX;
            }
            if (folder) {
                return TaskSource.Format.IMAGE_FOLDER;
            }
            if (parquet) {
                return TaskSource.Format.PARQUET;
            }
        } catch (IOException e) {
            throw failure(location.toString(), e);
        }
        throw new DatasetException(written.dataset() + ": " + location + " holds no dataset munet can read: expected "
                + IdxFormat.TRAIN_IMAGES + "(.gz) and the other MNIST-layout IDX files, or an image folder"
                + " train/<class>/* and test/<class>/*, or Parquet part files (*.parquet); or name the 'format'");
    }

    /** The data directory as a Hadoop path: a URI as given, a local path made absolute. */
    static Path directory(String dataDir) {
        return hasScheme(dataDir) ? uri(dataDir) : localPath(dataDir);
    }

    private static Path under(Path base, String location) {
        if (hasScheme(location)) {
            return uri(location);
        }
        if (location.startsWith("/")) {
            return localPath(location);
        }
        return new Path(base, location);
    }

    /** A URI as a path; a trailing '/' is dropped so that two spellings of a directory are one location. */
    private static Path uri(String location) {
        String trimmed = location.length() > 1 && location.endsWith("/") && !location.endsWith(":/")
                && !location.endsWith("://") ? location.replaceAll("/+$", "") : location;
        return new Path(URI.create(trimmed.replace(" ", "%20")));
    }

    private static Path localPath(String path) {
        return new Path(java.nio.file.Path.of(path).toAbsolutePath().normalize().toUri());
    }

    /** {@code hdfs://...}, {@code s3a://...}, {@code file:/...}; not {@code C:}-style or relative paths. */
    static boolean hasScheme(String location) {
        return location.matches("[A-Za-z][A-Za-z0-9+.-]+:.*");
    }

    /** The path with the scheme and authority of its file system (an {@code hdfs:///x} gets its namenode). */
    private static Path qualified(Path path, Configuration hadoop) {
        return fileSystem(path, hadoop).makeQualified(path);
    }

    public static FileSystem fileSystem(Path path, Configuration hadoop) {
        try {
            return path.getFileSystem(hadoop);
        } catch (IOException e) {
            throw failure(path.toString(), e);
        }
    }

    private static FileStatus status(Path path, Configuration hadoop, java.util.function.Supplier<String> missing) {
        try {
            return fileSystem(path, hadoop).getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new DatasetException(missing.get(), e);
        } catch (IOException e) {
            throw failure(path.toString(), e);
        }
    }

    /**
     * A failed file-system access as a message that names the URI and what to set: an unreachable
     * host, missing credentials, a missing file-system implementation, a permission.
     */
    public static DatasetException failure(String uri, IOException e) {
        String type = e.getClass().getName();
        String text = e.toString();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (e instanceof FileNotFoundException) {
            return new DatasetException(uri + ": no such file or directory (" + e.getMessage() + ")", e);
        }
        if (e instanceof org.apache.hadoop.fs.UnsupportedFileSystemException || text.contains("No FileSystem for scheme")) {
            return new DatasetException("cannot read " + uri + ": no Hadoop file system for its scheme (" + e.getMessage()
                    + "); for s3a:// put org.apache.hadoop:hadoop-aws (the version of Spark's Hadoop) and its AWS SDK"
                    + " bundle on the classpath (spark-submit --packages, or spark.jars), or set"
                    + " spark.hadoop.fs.<scheme>.impl", e);
        }
        if (text.contains("NoAuthWithAWSException") || text.contains("No AWS Credentials")
                || type.endsWith("AccessDeniedException") || text.contains("403 Forbidden")) {
            return new DatasetException("cannot read " + uri + ": missing or refused credentials (" + e.getMessage()
                    + "); set spark.hadoop.fs.s3a.access.key and spark.hadoop.fs.s3a.secret.key (or"
                    + " spark.hadoop.fs.s3a.aws.credentials.provider) in spark-defaults.conf or with --conf", e);
        }
        if (type.endsWith("AccessControlException")) {
            return new DatasetException("cannot read " + uri + ": permission denied (" + e.getMessage()
                    + "); grant the run's user read access, or run as a user who has it", e);
        }
        if (root instanceof java.net.ConnectException || root instanceof java.net.UnknownHostException
                || root instanceof java.net.NoRouteToHostException || root instanceof java.net.SocketTimeoutException) {
            return new DatasetException("cannot reach " + uri + " (" + root + "): check the host and port in the URI"
                    + " (for hdfs:// without a host, fs.defaultFS, set as spark.hadoop.fs.defaultFS) and that the"
                    + " service is up and reachable from this host", e);
        }
        return new DatasetException("cannot read " + uri + ": " + e, e);
    }

    /** A local path as the user wrote it (no {@code file:} scheme); any other URI as it is. */
    static String plain(Path path) {
        return "file".equals(path.toUri().getScheme()) ? path.toUri().getPath() : path.toString();
    }

    private static Optional<BuiltIn> builtIn(String dataset) {
        return BUILT_INS.stream().filter(b -> b.name().equals(dataset)).findFirst();
    }

    private static String name(TaskSource.Format format) {
        return format.name().toLowerCase(java.util.Locale.ROOT);
    }
}

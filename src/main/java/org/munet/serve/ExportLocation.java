package org.munet.serve;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * An export directory on any Hadoop file system (a local path, {@code file://}, {@code hdfs://},
 * {@code s3a://}), with the few whole-file operations an export needs.
 *
 * <p>It holds its own {@link FileSystem} instance, not the JVM-wide cached one, so that turning
 * off Hadoop's {@code .crc} side files (the export carries its own SHA-256) changes nothing for
 * other users of the file system, and closing it closes only this instance.
 */
final class ExportLocation implements Closeable {

    private final FileSystem fs;
    private final Path dir;

    private ExportLocation(FileSystem fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    /**
     * @param uriOrPath a directory path or URI
     * @throws IllegalArgumentException if it is empty or malformed
     * @throws UncheckedIOException if no file system serves it
     */
    static ExportLocation open(String uriOrPath, Configuration conf) {
        if (uriOrPath == null || uriOrPath.isBlank()) {
            throw new IllegalArgumentException("export location is empty: give a directory path or a URI"
                    + " such as hdfs://namenode/models/mnist");
        }
        Path given;
        try {
            given = new Path(uriOrPath);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("export location \"" + uriOrPath + "\" is not a valid path or URI: "
                    + e.getMessage(), e);
        }
        try {
            URI uri = given.toUri().getScheme() == null ? URI.create("file:///") : given.toUri();
            FileSystem fs = FileSystem.newInstance(uri, conf);
            fs.setWriteChecksum(false);
            return new ExportLocation(fs, new Path(fs.makeQualified(given).toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + uriOrPath + ": " + e.getMessage()
                    + " (check the scheme and the file system settings; s3a:// needs the hadoop-aws jar)", e);
        }
    }

    /** The fully qualified directory, for messages and for {@code TaskModelInfo.source}. */
    String uri() {
        return dir.toString();
    }

    Path file(String name) {
        return new Path(dir, name);
    }

    /** The directory's status, or null when nothing is there. */
    FileStatus status() throws IOException {
        try {
            return fs.getFileStatus(dir);
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    /** Everything in the directory, hidden names included. */
    FileStatus[] list() throws IOException {
        return fs.listStatus(dir);
    }

    boolean exists(String name) throws IOException {
        return fs.exists(file(name));
    }

    /** Creates the directory (and its parents); true when it did not exist before. */
    boolean create() throws IOException {
        if (fs.exists(dir)) {
            return false;
        }
        if (!fs.mkdirs(dir)) {
            throw new IOException("could not create directory " + dir);
        }
        return true;
    }

    byte[] read(String name) throws IOException {
        try (FSDataInputStream in = fs.open(file(name))) {
            return in.readAllBytes();
        }
    }

    /**
     * Writes {@code name} so that the name never shows a partial file: the bytes go to a hidden
     * sibling first, which is complete and closed before it is renamed (atomic on HDFS and local
     * file systems; a copy of a complete object on S3A).
     */
    void publish(String name, byte[] bytes) throws IOException {
        Path tmp = file("." + name + ".tmp-" + UUID.randomUUID());
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(bytes);
                if (out.hasCapability(StreamCapabilities.HSYNC)) {
                    out.hsync(); // durable before the rename publishes it (HDFS)
                }
            }
            if (!fs.rename(tmp, file(name))) {
                throw new IOException("could not rename " + tmp + " to " + file(name)
                        + " (the file system refused: does " + name + " exist already?)");
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** Best effort, for cleaning up after a failure that is already being reported. */
    void deleteQuietly(Path path) {
        try {
            fs.delete(path, true);
        } catch (IOException | RuntimeException e) {
            // the original failure is what the user needs to see
        }
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            fs.close();
        } catch (IOException e) {
            // nothing was buffered: every write above is closed before it returns
        }
    }
}

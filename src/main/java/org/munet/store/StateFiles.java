package org.munet.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * Whole-file reads, writes, renames and listings through the Hadoop {@link FileSystem} API only, so
 * that one code path serves {@code file://}, {@code hdfs://} and {@code s3a://} states.
 *
 * <p>Every method throws {@link IOException}; {@link StateStore} turns them into messages that name
 * the state file.
 */
final class StateFiles {

    private final FileSystem fs;
    /** Listings by directory, when this instance lists each directory once (a check's snapshot); else null. */
    private final java.util.Map<Path, FileStatus[]> listings;

    StateFiles(FileSystem fs) {
        this(fs, false);
    }

    private StateFiles(FileSystem fs, boolean snapshot) {
        this.fs = fs;
        this.listings = snapshot ? new java.util.concurrent.ConcurrentHashMap<>() : null;
    }

    /**
     * Files of the same file system that list each directory once and answer later listings from that
     * first one: for a read-only check, which asks for the same large directories (history/ holds a
     * file per version) from several places, and on a local file system each listing costs a stat
     * per entry.
     */
    StateFiles snapshot() {
        return new StateFiles(fs, true);
    }

    /** The whole file; {@link FileNotFoundException} when it is absent. */
    byte[] read(Path file) throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }

    /**
     * The whole file, for content that the caller verifies against its own SHA-256.
     *
     * <p>Hadoop's checksummed local file system refuses to read a file whose {@code .crc} sibling
     * disagrees with it. That sibling is only a second opinion here: the bytes are read past it so that
     * the SHA-256 recorded in the manifest decides, and the error can name the actual checksum.
     */
    byte[] readForOwnVerification(Path file) throws IOException {
        try {
            return read(file);
        } catch (ChecksumException e) {
            if (fs instanceof ChecksumFileSystem checksummed) {
                try (FSDataInputStream in = checksummed.getRawFileSystem().open(file)) {
                    return in.readAllBytes();
                }
            }
            throw e;
        }
    }

    /** Writes {@code bytes} to {@code file}, creating parent directories; refuses an existing file unless {@code overwrite}. */
    void write(Path file, byte[] bytes, boolean overwrite) throws IOException {
        try (FSDataOutputStream out = fs.create(file, overwrite)) {
            out.write(bytes);
            if (out.hasCapability(StreamCapabilities.HSYNC)) {
                out.hsync(); // durable before a rename publishes it (HDFS); S3A and local checksummed FS lack it
            }
        }
    }

    /**
     * Publishes {@code bytes} under {@code target} so that the name never shows a partial file: the
     * bytes go to a hidden {@code .<name>.tmp-<random>} sibling first, which is complete and closed
     * before it is renamed to {@code target}.
     *
     * <p>Rename is atomic on HDFS and on a local file system. On S3A it is a copy then a delete, so a
     * reader may for a moment see both names, but never a partial {@code target}: the object is only
     * copied from a complete temporary one. A crash before the rename leaves the hidden temporary file,
     * which listings ignore and {@link StateStore#cleanTemporaryFiles()} removes.
     *
     * @param replaceExisting whether an existing {@code target} is deleted first (HDFS refuses to rename
     *     onto an existing file; a local file system would silently replace it)
     */
    void publish(Path target, byte[] bytes, boolean replaceExisting) throws IOException {
        Path tmp = StateLayout.temporarySibling(target);
        write(tmp, bytes, false);
        try {
            if (replaceExisting && fs.exists(target)) {
                fs.delete(target, false);
            }
            rename(tmp, target);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** Renames {@code source} to {@code target}, creating the target's directory; throws if the file system says no. */
    void rename(Path source, Path target) throws IOException {
        Path parent = target.getParent();
        if (parent != null && !fs.mkdirs(parent)) {
            throw new IOException("could not create directory " + parent);
        }
        if (!fs.rename(source, target)) {
            throw new IOException("could not rename " + source + " to " + target
                    + " (the file system refused: does the source exist, or the target already?)");
        }
    }

    /**
     * The plain files directly under {@code dir}, by name, without hidden names and Hadoop
     * {@code .crc} siblings; empty when {@code dir} does not exist.
     */
    List<String> listNames(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus status : listAll(dir)) {
            String name = status.getPath().getName();
            if (status.isFile() && !StateLayout.isHiddenOrChecksum(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Everything directly under {@code dir}, hidden names included; empty when {@code dir} does not exist. */
    FileStatus[] listAll(Path dir) throws IOException {
        if (listings != null) {
            FileStatus[] known = listings.get(dir);
            if (known != null) {
                return known;
            }
        }
        FileStatus[] listed;
        try {
            listed = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            listed = new FileStatus[0];
        }
        if (listings != null) {
            listings.put(dir, listed);
        }
        return listed;
    }

    boolean exists(Path path) throws IOException {
        return fs.exists(path);
    }

    /** Deletes {@code path} (recursively when a directory); absent is fine. */
    void delete(Path path) throws IOException {
        fs.delete(path, true);
    }

    private void deleteQuietly(Path path) {
        try {
            fs.delete(path, false);
        } catch (IOException | RuntimeException e) {
            // best effort: the hidden file is ignored by listings and removed by cleanTemporaryFiles
        }
    }
}

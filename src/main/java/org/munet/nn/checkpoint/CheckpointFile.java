package org.munet.nn.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.munet.nn.HostTensor;

/**
 * A checkpoint's raw tensors, read from any Hadoop file system (local path, file:, hdfs://, s3a://)
 * with the run's {@link Configuration}, and the SHA-256 of its bytes (a state records it, so that
 * it never continues with another root).
 *
 * @param source the URI it was read from, for messages
 * @param sha256 hex SHA-256 of the file's bytes
 * @param tensors every tensor by its key in the file, as float32, in file order
 */
public record CheckpointFile(String source, String sha256, Map<String, HostTensor> tensors) {

    /** Files past this are not ViTs a CPU system can train on (ViT-L/16 in float32 is 1.2 GB). */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 16;

    /** @param format the file's format, or null to tell from its first bytes */
    public static CheckpointFile read(String uri, CheckpointFormat format, Configuration hadoop) {
        byte[] bytes = bytes(uri, hadoop);
        CheckpointFormat f = format != null ? format : CheckpointFormat.sniff(bytes);
        Map<String, HostTensor> tensors = f == CheckpointFormat.NPZ ? NpzReader.read(bytes, uri)
                : SafetensorsReader.read(bytes, uri);
        return new CheckpointFile(uri, sha256(bytes), tensors);
    }

    /** The SHA-256 of a checkpoint's bytes, without decoding it. */
    public static String sha256Of(String uri, Configuration hadoop) {
        return sha256(bytes(uri, hadoop));
    }

    /**
     * True when {@code uri} names an existing file; false when it does not or its file system cannot
     * be reached (a continued state does not need the file, and a new one reads it and reports why).
     */
    public static boolean exists(String uri, Configuration hadoop) {
        try {
            org.apache.hadoop.fs.Path path = hadoopPath(uri);
            return path.getFileSystem(hadoop).isFile(path);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] bytes(String uri, Configuration hadoop) {
        org.apache.hadoop.fs.Path path = hadoopPath(uri);
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            long length = fs.getFileStatus(path).getLen();
            if (length > MAX_BYTES) {
                throw new CheckpointException(uri + ": " + length + " bytes is larger than the 2 GiB a root"
                        + " checkpoint may have");
            }
            try (InputStream in = fs.open(path)) {
                return in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            throw new CheckpointException("root checkpoint " + uri + " does not exist; check root.path or --root"
                    + " (nothing was written)", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read root checkpoint " + uri + ": " + e.getMessage(), e);
        }
    }

    /** A URI as written, or a local path made absolute (so it means the same file on every host). */
    private static org.apache.hadoop.fs.Path hadoopPath(String uri) {
        if (uri.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            return new org.apache.hadoop.fs.Path(URI.create(uri));
        }
        return new org.apache.hadoop.fs.Path(Path.of(uri).toAbsolutePath().normalize().toUri());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

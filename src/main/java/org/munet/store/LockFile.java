package org.munet.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import org.apache.hadoop.fs.Path;

/**
 * The file {@code <state>/lock} ({@link StateLayout#lock()}), read and written through the state's
 * Hadoop file system: created exclusively, overwritten in place, read while another process may be
 * rewriting it, and deleted.
 *
 * <p>It is created with {@code create(path, overwrite=false)}, which HDFS, ABFS with hierarchical
 * namespace, the GCS connector and S3A with conditional writes (hadoop-aws 3.5.0: {@code If-None-Match:
 * *}, failing at close) perform atomically; {@link StorageSemantics} refuses writers where it is not
 * (S3A without conditional writes) and docs/storage.md has the sources. On a local file system that call checks and then creates, so two runs started on one host
 * within the same instant could both succeed; there the lock is meant to stop an operator from
 * starting a second run on a state in use, not to arbitrate such races. Renewals overwrite the file in place rather than renaming
 * a temporary file over it, because HDFS refuses to rename onto an existing file and deleting it first
 * would let another run create it in between; so a reader may meet a half-written record, and
 * {@link #readHolder} reads again until the record is whole or the file is clearly torn.
 */
final class LockFile {

    /** Reads of a lock record that another process may be rewriting right now, before asking whether it is torn. */
    private static final int READ_ATTEMPTS = 3;
    private static final long READ_RETRY_MILLIS = 100;

    private final StateStore store;
    private final Path path;

    LockFile(StateStore store) {
        this.store = store;
        this.path = store.layout().lock();
    }

    Path path() {
        return path;
    }

    /** The state this file locks, for messages. */
    URI state() {
        return store.uri();
    }

    /**
     * Creates the file holding {@code record} unless it exists.
     *
     * @return false when another acquisition's file is there
     * @throws UncheckedIOException naming the file when it can neither be created nor be found
     */
    boolean tryCreate(LockRecord record) {
        try {
            store.files().write(path, record.toJson(), false);
            return true;
        } catch (IOException e) {
            try {
                if (store.files().exists(path)) {
                    return false; // FileAlreadyExistsException, or its equivalent on another file system
                }
            } catch (IOException ignored) {
                // report the original failure
            }
            throw new UncheckedIOException("cannot create lock " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * One read of the record.
     *
     * @throws FileNotFoundException when there is no lock file
     * @throws IOException when it cannot be read or is not a whole record (a rewrite in progress, a torn file)
     */
    LockRecord read() throws IOException {
        return LockRecord.parse(store.files().read(path));
    }

    /** Replaces the record in place (see the class comment for why not through a temporary file). */
    void overwrite(LockRecord record) throws IOException {
        store.files().write(path, record.toJson(), true);
    }

    void delete() throws IOException {
        store.files().delete(path);
    }

    /**
     * The holder's record, read again while it is being rewritten; null once the file has been
     * unreadable and unmodified for longer than {@code tornAfter} (a torn file).
     *
     * @throws StateLockedException when the file vanishes while it is read (a run starting or stopping)
     */
    LockRecord readHolder(Duration tornAfter) {
        for (int attempt = 1; ; attempt++) {
            if (attempt == READ_ATTEMPTS + 1) {
                if (unchangedFor(tornAfter)) {
                    return null;
                }
                attempt = 1; // still being written: read again
            }
            byte[] bytes;
            try {
                bytes = store.files().read(path);
            } catch (FileNotFoundException e) {
                throw vanished(e);
            } catch (IOException e) {
                // Hadoop's .crc sibling may be a moment behind a heartbeat, or torn by a kill
                pause();
                continue;
            }
            try {
                return LockRecord.parse(bytes);
            } catch (IOException e) {
                pause(); // caught halfway through a heartbeat's rewrite, or torn by a kill
            }
        }
    }

    private boolean unchangedFor(Duration age) {
        try {
            long modified = store.fs().getFileStatus(path).getModificationTime();
            return System.currentTimeMillis() - modified > age.toMillis();
        } catch (FileNotFoundException e) {
            throw vanished(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lock " + path + ": " + e.getMessage(), e);
        }
    }

    private StateLockedException vanished(FileNotFoundException e) {
        return new StateLockedException(store.uri() + " was locked by " + path + ", which vanished while it was "
                + "being read: another run is starting or stopping. Retry.", e);
    }

    private static void pause() {
        try {
            Thread.sleep(READ_RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateLockedException("interrupted while reading a lock", e);
        }
    }
}

package org.munet.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.Path;

/**
 * The single-writer lock of a state, the file {@code <state>/lock}: two runs writing one state would
 * commit conflicting versions, so a writer takes this lock before its first write and releases it at
 * the end ({@code try (RunLock lock = RunLock.acquire(store, "evolve")) { ... }}).
 *
 * <p>The lock file is created with {@code create(path, overwrite=false)}, which HDFS performs
 * atomically. On a local file system and on S3A that call checks and then creates, so two runs
 * started within the same instant could both succeed; the lock is meant to stop an operator from
 * starting a second run on a state in use, not to arbitrate such races.
 *
 * <p>A lock left by a run that died is taken over automatically only when it was taken on this host
 * and its process is gone (or its pid now belongs to a process started after the lock was taken);
 * a lock from another host cannot be checked from here, so the error names the holder and says to
 * delete the file by hand. A time-based lease, renewed by the holder, is left for later.
 */
public final class RunLock implements AutoCloseable {

    /** Clock and process-start-time imprecision tolerated before calling a pid reused. */
    private static final Duration PID_REUSE_SLACK = Duration.ofSeconds(2);
    private static final String UNKNOWN_HOST = "unknown-host";
    private static final String HOST = findHostName();

    private final StateStore store;
    private final Path path;
    private final LockRecord record;
    private boolean released;

    private RunLock(StateStore store, Path path, LockRecord record) {
        this.store = store;
        this.path = path;
        this.record = record;
    }

    /**
     * Takes the lock of {@code store}, taking over a stale one left by a dead process on this host.
     *
     * @param purpose what this run does, shown to whoever finds the state locked
     * @throws StateLockedException naming the holder and the manual fix when another run holds it
     * @throws UncheckedIOException naming the lock file when it cannot be written or read
     */
    public static RunLock acquire(StateStore store, String purpose) {
        Path path = store.layout().lock();
        LockRecord mine = LockRecord.of(ProcessHandle.current().pid(), thisHost(),
                purpose == null ? "" : purpose, Instant.now(), UUID.randomUUID().toString());
        if (tryCreate(store, path, mine)) {
            return new RunLock(store, path, mine);
        }
        LockRecord holder = readHolder(store, path);
        Optional<String> staleBecause = staleBecause(holder);
        if (staleBecause.isPresent()) {
            System.err.println("munet: taking over stale lock of pid " + holder.pid() + " on " + holder.host()
                    + " since " + holder.acquiredAt() + " (" + holder.purpose() + "): " + staleBecause.get()
                    + "; deleting " + path);
            try {
                store.files().delete(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete stale lock " + path + ": " + e.getMessage(), e);
            }
            if (tryCreate(store, path, mine)) {
                return new RunLock(store, path, mine);
            }
            holder = readHolder(store, path); // another run took it in between: report that one
        }
        throw new StateLockedException(store.uri() + " is in use by pid " + holder.pid() + " on " + holder.host()
                + " since " + holder.acquiredAt() + " (" + holder.purpose() + ")"
                + (holder.owner().equals(mine.owner()) ? " (this very process: release the lock it holds first)" : "")
                + ". If no such run is alive, delete " + path + " and retry.");
    }

    /** This lock's owner string, {@code <pid>@<host>}. */
    public String owner() {
        return record.owner();
    }

    /**
     * Releases the lock: deletes the lock file if it is still ours. A lock file that meanwhile holds
     * another owner (someone deleted ours by hand and started a run) is left alone, with a warning.
     * Calling it again does nothing.
     */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        LockRecord current;
        try {
            current = LockRecord.parse(store.files().read(path));
        } catch (FileNotFoundException e) {
            System.err.println("munet: lock " + path + " was already removed before this run released it");
            return;
        } catch (IOException e) {
            System.err.println("munet: lock " + path + " no longer holds this run's record (" + e.getMessage()
                    + "); left in place");
            return;
        }
        if (!current.owner().equals(record.owner()) || !record.token().equals(current.token())) {
            System.err.println("munet: lock " + path + " is now held by " + current.owner() + " since "
                    + current.acquiredAt() + ", not by this run; left in place");
            return;
        }
        try {
            store.files().delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release lock " + path + ": " + e.getMessage()
                    + "; delete it by hand before the next run", e);
        }
    }

    /** This host's name as recorded in lock files; "unknown-host" when it cannot be found. */
    static String thisHost() {
        return HOST;
    }

    private static boolean tryCreate(StateStore store, Path path, LockRecord mine) {
        try {
            store.files().write(path, mine.toJson(), false);
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

    private static LockRecord readHolder(StateStore store, Path path) {
        byte[] bytes;
        try {
            bytes = store.files().read(path);
        } catch (FileNotFoundException e) {
            throw new StateLockedException(store.uri() + " was locked by " + path + ", which vanished while it was "
                    + "being read: another run is starting or stopping. Retry.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lock " + path + ": " + e.getMessage(), e);
        }
        try {
            return LockRecord.parse(bytes);
        } catch (IOException e) {
            throw new StateLockedException(store.uri() + " is locked by " + path + ", which is not a readable lock "
                    + "record (" + e.getMessage() + "); another run may be writing it right now. If no such run is "
                    + "alive, delete " + path + " and retry.", e);
        }
    }

    /** Why the holder is certainly dead, or empty when it may be alive (or cannot be checked from here). */
    private static Optional<String> staleBecause(LockRecord holder) {
        if (HOST.equals(UNKNOWN_HOST) || !HOST.equals(holder.host())) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(holder.pid());
        if (process.isEmpty()) {
            return Optional.of("no process " + holder.pid() + " is running on this host");
        }
        Instant acquired = holder.acquiredInstant();
        Optional<Instant> started = process.get().info().startInstant();
        if (acquired != null && started.isPresent() && started.get().isAfter(acquired.plus(PID_REUSE_SLACK))) {
            return Optional.of("pid " + holder.pid() + " now belongs to a process started at " + started.get()
                    + ", after the lock was taken (the pid was reused)");
        }
        return Optional.empty();
    }

    private static String findHostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (IOException e) {
            // fall through: containers without a resolvable host name
        }
        String env = System.getenv("HOSTNAME");
        return env != null && !env.isBlank() ? env : UNKNOWN_HOST;
    }
}

package org.munet.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The single-writer lock of a state, the file {@code <state>/lock}: two runs writing one state would
 * commit conflicting versions, so a writer takes this lock before its first write and releases it at
 * the end ({@code try (RunLock lock = RunLock.acquire(store, "evolve")) { ... }}).
 *
 * <p>The lock is a lease, and this class only composes its parts: {@link LockFile} reads and writes
 * the file, {@link LockTakeover} decides when a lock found there may be taken over (a heartbeat past
 * its lease timeout, a dead process on this host, a torn file), and {@link LockHeartbeat} renews the
 * lease every {@link LockLease#heartbeat()} while it is held.
 *
 * <p>Taking over is check-then-act, so a holder that merely stalled (a long pause, a partitioned file
 * system) may come back to a lock that is no longer its own. Its heartbeat therefore gives the lock up
 * once it has gone {@link LockLease#holderExpiry()} without a successful renewal, before anyone else
 * may take over, and a writer calls {@link #ensureHeld()} right before each commit: that reads the
 * lock file (it never writes it) and throws if the file now holds another acquisition or the lease was
 * given up, so at most one run keeps committing.
 */
public final class RunLock implements AutoCloseable {

    private final LockFile file;
    private final String owner;
    private final LockHeartbeat heartbeat;

    private RunLock(LockFile file, LockRecord mine, LockLease lease, long renewedNanos) {
        this.file = file;
        this.owner = mine.owner();
        this.heartbeat = new LockHeartbeat(file, mine, lease, renewedNanos, this);
    }

    /**
     * Takes the lock of {@code store} with the lease set by the system properties
     * {@value LockLease#HEARTBEAT_PROPERTY} and {@value LockLease#TIMEOUT_PROPERTY} (defaults 30 s and
     * 5 min); see {@link #acquire(StateStore, String, LockLease)}.
     */
    public static RunLock acquire(StateStore store, String purpose) {
        return acquire(store, purpose, LockLease.fromSystemProperties());
    }

    /**
     * Takes the lock of {@code store}, taking over a stale one (a heartbeat older than its lease
     * timeout, or a dead process on this host) with a warning naming its owner, and starts renewing it.
     *
     * @param purpose what this run does, shown to whoever finds the state locked
     * @param lease how often to renew, and how long others wait before taking over
     * @throws StateLockedException naming the holder, its last heartbeat and the fix when another run holds it
     * @throws UnsafeStorageException when the state's file system lacks the atomic rename or the exclusive
     *     create that commits and this lock rely on ({@link StorageSemantics})
     * @throws UncheckedIOException naming the lock file when it cannot be written or read
     */
    public static RunLock acquire(StateStore store, String purpose, LockLease lease) {
        StorageSemantics.requireWritable(store); // every writer comes here first: refuse unsafe storage before any write
        LockFile file = new LockFile(store);
        long now = System.nanoTime();
        LockRecord mine = LockRecord.ofThisProcess(purpose == null ? "" : purpose, Instant.now(), lease.timeout());
        if (file.tryCreate(mine)) {
            return start(file, mine, lease, now);
        }
        LockRecord holder = file.readHolder(LockTakeover.TORN_LOCK_AGE);
        if (holder == null) {
            System.err.println("munet: taking over lock " + file.path() + ": it is not a readable lock record and has"
                    + " not changed for " + LockTakeover.TORN_LOCK_AGE.toSeconds() + "s, the remains of a run killed"
                    + " while writing it");
            delete(file, "torn");
            if (file.tryCreate(mine)) {
                return start(file, mine, lease, System.nanoTime());
            }
            holder = file.readHolder(LockTakeover.TORN_LOCK_AGE);
            if (holder == null) {
                throw new StateLockedException(store.uri() + " is locked by " + file.path() + ", which is not"
                        + " readable; delete it if no run is alive and retry");
            }
            throw LockTakeover.refusal(store.uri(), file.path(), holder, mine, lease);
        }
        Optional<String> staleBecause = LockTakeover.staleBecause(holder, lease, Instant.now());
        if (staleBecause.isPresent()) {
            LockRecord again = file.readHolder(LockTakeover.TORN_LOCK_AGE);
            if (holder.equals(again)) { // not renewed nor replaced while we looked
                System.err.println("munet: taking over stale lock of pid " + holder.pid() + " on " + holder.host()
                        + " since " + holder.acquiredAt() + " (" + holder.purpose() + "): " + staleBecause.get()
                        + "; deleting " + file.path());
                delete(file, "stale");
                now = System.nanoTime();
                mine = mine.renewed(Instant.now());
                if (file.tryCreate(mine)) {
                    return start(file, mine, lease, now);
                }
                again = file.readHolder(LockTakeover.TORN_LOCK_AGE); // another run took it in between: report that one
            }
            holder = again;
        }
        throw LockTakeover.refusal(store.uri(), file.path(), holder, mine, lease);
    }

    /** This lock's owner string, {@code <pid>@<host>}. */
    public String owner() {
        return owner;
    }

    /**
     * Fencing for a commit: reads the lock file now and throws unless this run still holds the lock.
     * Call it right before each commit, so that a run that stalled past its lease and was taken over
     * stops instead of committing over the run that took the state. It never writes the file (see
     * {@link LockHeartbeat#lostBecause()}).
     *
     * @throws StateLockedException "lost the lock of STATE to OWNER ...; this run stops without
     *     committing" when the file holds another acquisition or was deleted, or when renewing has been
     *     failing for longer than the holder may go without (see {@link LockLease#holderExpiry()})
     * @throws IllegalStateException if the lock was released
     */
    public synchronized void ensureHeld() {
        if (heartbeat.stopped()) {
            throw new IllegalStateException("the lock of " + file.state() + " was released; take it again before "
                    + "writing");
        }
        Optional<String> lost = heartbeat.lostBecause();
        if (lost.isPresent()) {
            throw new StateLockedException("lost the lock of " + file.state() + lost.get()
                    + "; this run stops without committing");
        }
    }

    /**
     * Releases the lock: stops the heartbeat and deletes the lock file if it is still ours. A lock file
     * that meanwhile holds another acquisition (taken over, or deleted by hand and taken by another
     * run) is left alone, with a warning. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        LockRecord mine = heartbeat.stop();
        if (mine == null) {
            return;
        }
        LockRecord current;
        try {
            current = file.read();
        } catch (FileNotFoundException e) {
            System.err.println("munet: lock " + file.path() + " was already removed before this run released it");
            return;
        } catch (IOException e) {
            System.err.println("munet: lock " + file.path() + " no longer holds this run's record (" + e.getMessage()
                    + "); left in place");
            return;
        }
        if (!mine.sameAcquisition(current)) {
            System.err.println("munet: lock " + file.path() + " is now held by " + current.owner() + " since "
                    + current.acquiredAt() + ", not by this run; left in place");
            return;
        }
        try {
            file.delete();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release lock " + file.path() + ": " + e.getMessage()
                    + "; delete it by hand before the next run", e);
        }
    }

    private static RunLock start(LockFile file, LockRecord mine, LockLease lease, long renewedNanos) {
        RunLock lock = new RunLock(file, mine, lease, renewedNanos);
        lock.heartbeat.start(); // after construction: the heartbeat thread synchronizes on the lock
        return lock;
    }

    /** Deletes a lock being taken over ({@code which}: "torn" or "stale"). */
    private static void delete(LockFile file, String which) {
        try {
            file.delete();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + which + " lock " + file.path() + ": " + e.getMessage(),
                    e);
        }
    }
}

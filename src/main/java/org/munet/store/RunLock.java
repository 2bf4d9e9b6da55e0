package org.munet.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.Path;

/**
 * The single-writer lock of a state, the file {@code <state>/lock}: two runs writing one state would
 * commit conflicting versions, so a writer takes this lock before its first write and releases it at
 * the end ({@code try (RunLock lock = RunLock.acquire(store, "evolve")) { ... }}).
 *
 * <p>The lock is a lease. A daemon thread rewrites the record's {@code heartbeat_at} every
 * {@link LockLease#heartbeat()} while the file still holds this acquisition's token. A lock whose
 * heartbeat is older than its holder's {@link LockLease#timeout()} is stale and is taken over from any
 * host, because a holder on another machine cannot be inspected from here, and without a lease a run
 * that died there would block the state until someone deleted the file by hand. A lock taken on this
 * host by a process that is gone (or whose pid was reused) is taken over at once. A record written
 * before locks were leases has no heartbeat and never expires by time.
 *
 * <p>Taking over is check-then-act, so a holder that merely stalled (a long pause, a partitioned file
 * system) may come back to a lock that is no longer its own. It therefore stops renewing once it has
 * gone {@link LockLease#holderExpiry()} without a successful renewal, before anyone else may take
 * over, and a writer calls {@link #ensureHeld()} right before each commit: that renews the lease and
 * throws if the file now holds another acquisition, so at most one run keeps committing.
 *
 * <p>The lock file is created with {@code create(path, overwrite=false)}, which HDFS performs
 * atomically. On a local file system and on S3A that call checks and then creates, so two runs
 * started within the same instant could both succeed; the lock is meant to stop an operator from
 * starting a second run on a state in use, not to arbitrate such races. Heartbeats overwrite the file
 * in place rather than renaming a temporary file over it, because HDFS refuses to rename onto an
 * existing file and deleting it first would let another run create it in between; a reader that
 * meets a half-written record retries, then reports the lock as unreadable instead of taking it.
 */
public final class RunLock implements AutoCloseable {

    /** Clock and process-start-time imprecision tolerated before calling a pid reused. */
    private static final Duration PID_REUSE_SLACK = Duration.ofSeconds(2);
    /** Reads of a lock record that another process may be rewriting right now. */
    private static final int READ_ATTEMPTS = 3;
    private static final long READ_RETRY_MILLIS = 100;
    private static final String UNKNOWN_HOST = "unknown-host";
    private static final String HOST = findHostName();

    private final StateStore store;
    private final Path path;
    private final LockLease lease;
    private final ScheduledExecutorService heartbeats;

    // Guarded by this: the heartbeat thread, ensureHeld and close take turns.
    private LockRecord record;
    /** System.nanoTime() when the heartbeat in the file was taken. */
    private long renewedNanos;
    private String failingSince;
    /** Why the lock is no longer ours (the tail of the "lost the lock of STATE" sentence), or null. */
    private String lostBecause;
    private boolean released;

    private RunLock(StateStore store, Path path, LockRecord record, LockLease lease, long renewedNanos) {
        this.store = store;
        this.path = path;
        this.record = record;
        this.lease = lease;
        this.renewedNanos = renewedNanos;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "munet-lock-heartbeat");
            t.setDaemon(true); // a run that ends without close must not be kept alive by its lock
            return t;
        });
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
     * @throws UncheckedIOException naming the lock file when it cannot be written or read
     */
    public static RunLock acquire(StateStore store, String purpose, LockLease lease) {
        Path path = store.layout().lock();
        long now = System.nanoTime();
        LockRecord mine = LockRecord.of(ProcessHandle.current().pid(), thisHost(), purpose == null ? "" : purpose,
                Instant.now(), lease.timeout(), UUID.randomUUID().toString());
        if (tryCreate(store, path, mine)) {
            return start(store, path, mine, lease, now);
        }
        LockRecord holder = readHolder(store, path);
        if (holder == null) {
            System.err.println("munet: taking over lock " + path + ": it is not a readable lock record and has not"
                    + " changed for " + TORN_LOCK_AGE.toSeconds() + "s, the remains of a run killed while writing it");
            try {
                store.files().delete(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete torn lock " + path + ": " + e.getMessage(), e);
            }
            if (tryCreate(store, path, mine)) {
                return start(store, path, mine, lease, System.nanoTime());
            }
            holder = readHolder(store, path);
            if (holder == null) {
                throw new StateLockedException(store.uri() + " is locked by " + path + ", which is not readable;"
                        + " delete it if no run is alive and retry");
            }
            throw refused(store, path, holder, mine, lease);
        }
        Optional<String> staleBecause = staleBecause(holder, lease, Instant.now());
        if (staleBecause.isPresent()) {
            LockRecord again = readHolder(store, path);
            if (holder.equals(again)) { // not renewed nor replaced while we looked
                System.err.println("munet: taking over stale lock of pid " + holder.pid() + " on " + holder.host()
                        + " since " + holder.acquiredAt() + " (" + holder.purpose() + "): " + staleBecause.get()
                        + "; deleting " + path);
                try {
                    store.files().delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete stale lock " + path + ": " + e.getMessage(), e);
                }
                now = System.nanoTime();
                mine = mine.renewed(Instant.now());
                if (tryCreate(store, path, mine)) {
                    return start(store, path, mine, lease, now);
                }
                again = readHolder(store, path); // another run took it in between: report that one
            }
            holder = again;
        }
        throw refused(store, path, holder, mine, lease);
    }

    /** This lock's owner string, {@code <pid>@<host>}. */
    public String owner() {
        return record.owner();
    }

    /**
     * Fencing for a commit: renews the lease now and throws unless this run still holds the lock. Call
     * it right before each commit, so that a run that stalled past its lease and was taken over stops
     * instead of committing over the run that took the state.
     *
     * @throws StateLockedException "lost the lock of STATE to OWNER ...; this run stops without
     *     committing" when the file holds another acquisition or was deleted, or when renewing has been
     *     failing for longer than the holder may go without (see {@link LockLease#holderExpiry()})
     * @throws IllegalStateException if the lock was released
     */
    public synchronized void ensureHeld() {
        if (released) {
            throw new IllegalStateException("the lock of " + store.uri() + " was released; take it again before "
                    + "writing");
        }
        verifyHeld();
        if (lostBecause != null) {
            throw new StateLockedException("lost the lock of " + store.uri() + lostBecause
                    + "; this run stops without committing");
        }
    }

    /**
     * Reads the lock file and records the lock as lost if it holds another acquisition, is gone, or
     * the lease expired. Never writes: a commit must not rewrite the lock (a kill in the middle of
     * that write would leave a torn lock file behind); renewing is the heartbeat's job alone.
     */
    private void verifyHeld() {
        stillHeld(false);
    }

    /**
     * Releases the lock: stops the heartbeat and deletes the lock file if it is still ours. A lock file
     * that meanwhile holds another acquisition (taken over, or deleted by hand and taken by another
     * run) is left alone, with a warning. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        heartbeats.shutdown(); // cancels the schedule; a beat waiting for this monitor sees released and returns
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
        if (!record.sameAcquisition(current)) {
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

    private static RunLock start(StateStore store, Path path, LockRecord mine, LockLease lease, long renewedNanos) {
        RunLock lock = new RunLock(store, path, mine, lease, renewedNanos);
        long every = lease.heartbeat().toMillis();
        lock.heartbeats.scheduleWithFixedDelay(lock::beat, every, every, TimeUnit.MILLISECONDS);
        return lock;
    }

    /** One scheduled renewal; never throws, since an exception would cancel every later one. */
    private synchronized void beat() {
        boolean wasLost = lostBecause != null;
        try {
            renew();
        } catch (RuntimeException e) {
            failed(e.toString());
        }
        if (!wasLost && lostBecause != null) {
            System.err.println("munet: lost the lock of " + store.uri() + lostBecause
                    + "; the run stops before its next commit");
        }
    }

    /**
     * Whether the lock file still holds this acquisition within its lease; when it does not, records
     * why in {@code lostBecause}. An unreadable file (a rewrite in progress) gives no verdict: false,
     * and when renewing it counts as a failed renewal. Holding the monitor.
     */
    private boolean stillHeld(boolean renewing) {
        if (released || lostBecause != null) {
            return false;
        }
        Duration since = Duration.ofNanos(System.nanoTime() - renewedNanos);
        if (since.compareTo(lease.holderExpiry()) > 0) {
            // Past this point another run may judge the heartbeat stale, so renewing could overwrite its lock.
            lostBecause = ": its heartbeat could not be renewed for " + seconds(since) + " (lease timeout "
                    + seconds(lease.timeout()) + "; " + (failingSince == null ? "the renewals did not run" : "failing "
                    + "since " + failingSince) + "), so another run may have taken the state over";
            return false;
        }
        LockRecord current;
        try {
            current = LockRecord.parse(store.files().read(path));
        } catch (FileNotFoundException e) {
            lostBecause = ": " + path + " was deleted (by hand, or by a run that took the lock over and finished)";
            return false;
        } catch (IOException e) {
            if (renewing) {
                failed(e.getMessage()); // possibly another process rewriting it: judged on the next beat
            }
            return false;
        }
        if (!record.sameAcquisition(current)) {
            lostBecause = " to " + current.owner() + " (" + current.purpose() + ", acquired " + current.acquiredAt()
                    + ")";
            return false;
        }
        return true;
    }

    /**
     * Rewrites the heartbeat if the file still holds this acquisition; otherwise, or once renewals
     * have failed for longer than the holder's expiry, records the lock as lost. Holding the monitor.
     */
    private void renew() {
        if (!stillHeld(true)) {
            return;
        }
        long at = System.nanoTime();
        LockRecord next = record.renewed(Instant.now());
        try {
            store.files().write(path, next.toJson(), true);
        } catch (IOException e) {
            failed(e.getMessage());
            return;
        }
        record = next;
        renewedNanos = at;
        failingSince = null;
    }

    private void failed(String why) {
        if (failingSince == null) {
            failingSince = Instant.now() + ": " + why;
            System.err.println("munet: cannot renew lock " + path + " (" + why + "); retrying every "
                    + seconds(lease.heartbeat()) + ", the lock is given up after " + seconds(lease.holderExpiry())
                    + " without a renewal");
        }
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

    /**
     * How long a lock file must have been unreadable and unchanged to count as torn: a live writer
     * rewrites its few hundred bytes in milliseconds, while a run killed mid-write leaves the file
     * (or its Hadoop checksum) inconsistent for good.
     */
    static final Duration TORN_LOCK_AGE = Duration.ofSeconds(2);

    /** The holder's record, or null when the file is torn (unreadable and not recently modified). */
    private static LockRecord readHolder(StateStore store, Path path) {
        for (int attempt = 1; ; attempt++) {
            if (attempt == READ_ATTEMPTS + 1) {
                if (tornSince(store, path)) {
                    return null;
                }
                attempt = 1; // still being written: read again
            }
            byte[] bytes;
            try {
                bytes = store.files().read(path);
            } catch (FileNotFoundException e) {
                throw new StateLockedException(store.uri() + " was locked by " + path + ", which vanished while it was "
                        + "being read: another run is starting or stopping. Retry.", e);
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

    private static boolean tornSince(StateStore store, Path path) {
        try {
            long modified = store.fs().getFileStatus(path).getModificationTime();
            return System.currentTimeMillis() - modified > TORN_LOCK_AGE.toMillis();
        } catch (FileNotFoundException e) {
            throw new StateLockedException(store.uri() + " was locked by " + path + ", which vanished while it was "
                    + "being read: another run is starting or stopping. Retry.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lock " + path + ": " + e.getMessage(), e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(READ_RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateLockedException("interrupted while reading a lock", e);
        }
    }

    private static StateLockedException refused(StateStore store, Path path, LockRecord holder, LockRecord mine,
            LockLease lease) {
        Instant beat = holder.heartbeatInstant();
        String heartbeat;
        if (beat == null) {
            heartbeat = " The lock records no heartbeat (an older munet wrote it), so it never expires by itself.";
        } else {
            Duration timeout = holder.leaseTimeout().orElse(lease.timeout());
            heartbeat = " Its last heartbeat was at " + beat + " (" + seconds(Duration.between(beat, Instant.now()))
                    + " ago); once that is more than " + seconds(timeout) + " old, the next run takes the lock over.";
        }
        return new StateLockedException(store.uri() + " is in use by pid " + holder.pid() + " on " + holder.host()
                + " since " + holder.acquiredAt() + " (" + holder.purpose() + ")"
                + (holder.owner().equals(mine.owner()) ? " (this very process: release the lock it holds first)" : "")
                + ". If no such run is alive, delete " + path + " and retry." + heartbeat);
    }

    /** Why the holder is certainly gone, or empty when it may be alive. */
    private static Optional<String> staleBecause(LockRecord holder, LockLease lease, Instant now) {
        Optional<String> dead = deadOnThisHost(holder);
        if (dead.isPresent()) {
            return dead;
        }
        Instant beat = holder.heartbeatInstant();
        if (beat == null) {
            return Optional.empty(); // an older munet's record: no lease, so no expiry
        }
        // The holder's own timeout when it recorded one: that is the lease it promised to renew within.
        Duration timeout = holder.leaseTimeout().orElse(lease.timeout());
        Duration age = Duration.between(beat, now);
        if (age.compareTo(timeout) > 0) {
            return Optional.of("its last heartbeat was at " + beat + ", " + seconds(age) + " ago, past its lease "
                    + "timeout of " + seconds(timeout) + " (the holder died, hangs, or cannot reach the file system)");
        }
        return Optional.empty();
    }

    /** Why a holder on this host is certainly dead, or empty when it may be alive (or is on another host). */
    private static Optional<String> deadOnThisHost(LockRecord holder) {
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

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
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

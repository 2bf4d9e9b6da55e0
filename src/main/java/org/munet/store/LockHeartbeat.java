package org.munet.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The renewal of one acquisition's lease: a daemon thread rewrites the record's {@code heartbeat_at}
 * every {@link LockLease#heartbeat()} while the lock file still holds this acquisition, and reports on
 * standard error, once, when the lock is lost. It is the only writer of the lock file while the lock is
 * held; a commit's check ({@link #lostBecause()}) only reads it.
 *
 * <p>The lock counts as lost when the file holds another acquisition, when it was deleted, or when no
 * renewal has succeeded for {@link LockLease#holderExpiry()}: past that point another run may judge the
 * heartbeat stale and take the lock over, so renewing could overwrite that run's lock. A lost lock is
 * never renewed again.
 *
 * <p>Every renewal and check holds {@code monitor} (the {@link RunLock}'s), so that whoever holds the
 * RunLock's monitor is never between a renewal's read of the file and its write.
 */
final class LockHeartbeat {

    private final LockFile file;
    private final LockLease lease;
    private final Object monitor;
    private final ScheduledExecutorService schedule;

    // Guarded by monitor: the heartbeat thread, the commit's check and stop take turns.
    private LockRecord record;
    /** System.nanoTime() when the heartbeat in the file was taken. */
    private long renewedNanos;
    private String failingSince;
    /** Why the lock is no longer ours (the tail of the "lost the lock of STATE" sentence), or null. */
    private String lostBecause;
    private boolean stopped;

    /**
     * @param record the acquisition just written to {@code file}
     * @param renewedNanos {@code System.nanoTime()} taken before that record's heartbeat
     */
    LockHeartbeat(LockFile file, LockRecord record, LockLease lease, long renewedNanos, Object monitor) {
        this.file = file;
        this.record = record;
        this.lease = lease;
        this.renewedNanos = renewedNanos;
        this.monitor = monitor;
        this.schedule = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "munet-lock-heartbeat");
            t.setDaemon(true); // a run that ends without close must not be kept alive by its lock
            return t;
        });
    }

    /** Starts renewing, first one heartbeat interval from now. */
    void start() {
        long every = lease.heartbeat().toMillis();
        schedule.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the lock file now and returns why the lock is no longer this acquisition's, or empty while
     * it is (an unreadable file, a rewrite in progress, gives no verdict until the holder's expiry).
     * Never writes: a commit must not rewrite the lock (a kill in the middle of that write would leave
     * a torn lock file behind); renewing is the heartbeat's job alone.
     */
    Optional<String> lostBecause() {
        synchronized (monitor) {
            stillHeld(false);
            return Optional.ofNullable(lostBecause);
        }
    }

    boolean stopped() {
        synchronized (monitor) {
            return stopped;
        }
    }

    /**
     * Stops renewing; a beat waiting for the monitor sees that and returns without touching the file.
     *
     * @return the record last written by this acquisition, or null when it was already stopped
     */
    LockRecord stop() {
        synchronized (monitor) {
            if (stopped) {
                return null;
            }
            stopped = true;
            schedule.shutdown();
            return record;
        }
    }

    /** One scheduled renewal; never throws, since an exception would cancel every later one. */
    private void beat() {
        synchronized (monitor) {
            boolean wasLost = lostBecause != null;
            try {
                renew();
            } catch (RuntimeException e) {
                failed(e.toString());
            }
            if (!wasLost && lostBecause != null) {
                System.err.println("munet: lost the lock of " + file.state() + lostBecause
                        + "; the run stops before its next commit");
            }
        }
    }

    /**
     * Rewrites the heartbeat if the file still holds this acquisition; otherwise, or once renewals
     * have failed for longer than the holder's expiry, records the lock as lost.
     */
    private void renew() {
        if (!stillHeld(true)) {
            return;
        }
        long at = System.nanoTime();
        LockRecord next = record.renewed(Instant.now());
        try {
            file.overwrite(next);
        } catch (IOException e) {
            failed(e.getMessage());
            return;
        }
        record = next;
        renewedNanos = at;
        failingSince = null;
    }

    /**
     * Whether the lock file still holds this acquisition within its lease; when it does not, records
     * why in {@code lostBecause}. An unreadable file (a rewrite in progress) gives no verdict: false,
     * and when renewing it counts as a failed renewal.
     */
    private boolean stillHeld(boolean renewing) {
        if (stopped || lostBecause != null) {
            return false;
        }
        Duration since = Duration.ofNanos(System.nanoTime() - renewedNanos);
        if (since.compareTo(lease.holderExpiry()) > 0) {
            // Past this point another run may judge the heartbeat stale, so renewing could overwrite its lock.
            lostBecause = ": its heartbeat could not be renewed for " + LockLease.seconds(since) + " (lease timeout "
                    + LockLease.seconds(lease.timeout()) + "; " + (failingSince == null ? "the renewals did not run"
                    : "failing since " + failingSince) + "), so another run may have taken the state over";
            return false;
        }
        LockRecord current;
        try {
            current = file.read();
        } catch (FileNotFoundException e) {
            lostBecause = ": " + file.path() + " was deleted (by hand, or by a run that took the lock over and "
                    + "finished)";
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

    private void failed(String why) {
        if (failingSince == null) {
            failingSince = Instant.now() + ": " + why;
            System.err.println("munet: cannot renew lock " + file.path() + " (" + why + "); retrying every "
                    + LockLease.seconds(lease.heartbeat()) + ", the lock is given up after "
                    + LockLease.seconds(lease.holderExpiry()) + " without a renewal");
        }
    }
}

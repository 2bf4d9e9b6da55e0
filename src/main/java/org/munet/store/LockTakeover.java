package org.munet.store;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/**
 * The lease policy: when a lock that another acquisition holds may be taken over, and what to tell a
 * run that may not take it.
 *
 * <p>A holder is certainly gone when its heartbeat is older than its lease timeout (judged from any
 * host, because a holder on another machine cannot be inspected from here, and without a lease a run
 * that died there would block the state until someone deleted the file by hand), or when it ran on
 * this host and its process is gone or its pid now belongs to a later process. A lock file that is not
 * a readable record and has not changed for {@link #TORN_LOCK_AGE} is the remains of a run killed
 * while writing it. A record written before locks were leases has no heartbeat and never expires by
 * time. Anything else may be a live run, so the lock is refused.
 */
final class LockTakeover {

    /**
     * How long a lock file must have been unreadable and unchanged to count as torn: a live writer
     * rewrites its few hundred bytes in milliseconds, while a run killed mid-write leaves the file
     * (or its Hadoop checksum) inconsistent for good.
     */
    static final Duration TORN_LOCK_AGE = Duration.ofSeconds(2);
    /** Clock and process-start-time imprecision tolerated before calling a pid reused. */
    private static final Duration PID_REUSE_SLACK = Duration.ofSeconds(2);

    private LockTakeover() {}

    /** Why the holder is certainly gone, or empty when it may be alive. */
    static Optional<String> staleBecause(LockRecord holder, LockLease lease, Instant now) {
        Optional<String> dead = deadOnThisHost(holder);
        if (dead.isPresent()) {
            return dead;
        }
        Instant beat = holder.heartbeatInstant();
        if (beat == null) {
            return Optional.empty(); // an older munet's record: no lease, so no expiry
        }
        Duration timeout = timeoutOf(holder, lease);
        Duration age = Duration.between(beat, now);
        if (age.compareTo(timeout) > 0) {
            return Optional.of("its last heartbeat was at " + beat + ", " + LockLease.seconds(age) + " ago, past its "
                    + "lease timeout of " + LockLease.seconds(timeout) + " (the holder died, hangs, or cannot reach "
                    + "the file system)");
        }
        return Optional.empty();
    }

    /**
     * The refusal for a run that found {@code holder} alive (or possibly so): who holds the state, since
     * when and why, the fix, and when the lock expires by itself.
     */
    static StateLockedException refusal(URI state, Path lock, LockRecord holder, LockRecord mine, LockLease lease) {
        Instant beat = holder.heartbeatInstant();
        String heartbeat;
        if (beat == null) {
            heartbeat = " The lock records no heartbeat (an older munet wrote it), so it never expires by itself.";
        } else {
            heartbeat = " Its last heartbeat was at " + beat + " (" + LockLease.seconds(Duration.between(beat,
                    Instant.now())) + " ago); once that is more than " + LockLease.seconds(timeoutOf(holder, lease))
                    + " old, the next run takes the lock over.";
        }
        return new StateLockedException(state + " is in use by pid " + holder.pid() + " on " + holder.host()
                + " since " + holder.acquiredAt() + " (" + holder.purpose() + ")"
                + (holder.owner().equals(mine.owner()) ? " (this very process: release the lock it holds first)" : "")
                + ". If no such run is alive, delete " + lock + " and retry." + heartbeat);
    }

    /** The holder's own timeout when it recorded one: that is the lease it promised to renew within. */
    private static Duration timeoutOf(LockRecord holder, LockLease lease) {
        return holder.leaseTimeout().orElse(lease.timeout());
    }

    /** Why a holder on this host is certainly dead, or empty when it may be alive (or is on another host). */
    private static Optional<String> deadOnThisHost(LockRecord holder) {
        if (!holder.onThisHost()) {
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
}

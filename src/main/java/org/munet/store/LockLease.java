package org.munet.store;

import java.time.Duration;

/**
 * The timing of a {@link RunLock}'s lease: the holder rewrites the lock's heartbeat every
 * {@code heartbeat}, and a lock whose heartbeat is older than {@code timeout} is taken to be
 * abandoned (its holder died, hangs or lost the file system) and may be taken over from any host.
 *
 * <p>The timeout must leave room for several missed heartbeats (a slow file system, a long garbage
 * collection), and for the clocks of the hosts involved to disagree: heartbeats are wall-clock times
 * written by the holder and compared by whoever finds the lock.
 *
 * @param heartbeat how often the holder renews the lock
 * @param timeout how old a heartbeat may get before the lock is stale; at least twice {@code heartbeat}
 */
public record LockLease(Duration heartbeat, Duration timeout) {

    public static final String HEARTBEAT_PROPERTY = "munet.lock.heartbeat-seconds";
    public static final String TIMEOUT_PROPERTY = "munet.lock.timeout-seconds";
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public LockLease {
        if (heartbeat == null || timeout == null || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("lock heartbeat must be a positive duration, got " + heartbeat);
        }
        if (timeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("lock timeout (" + timeout.toMillis() / 1000.0 + " s) must be at least "
                    + "twice the heartbeat interval (" + heartbeat.toMillis() / 1000.0 + " s), or one late heartbeat "
                    + "would cost a live run its lock: set " + TIMEOUT_PROPERTY + " to several times "
                    + HEARTBEAT_PROPERTY);
        }
    }

    /**
     * How long the holder itself goes without a successful renewal before it gives the lock up: three
     * quarters of the timeout, so that it stops before anyone else may take over, with room for a slow
     * write and for clocks that disagree. At least 1.5 heartbeats, so one late renewal costs nothing.
     */
    Duration holderExpiry() {
        return timeout.multipliedBy(3).dividedBy(4);
    }

    /**
     * The lease set by the system properties {@code munet.lock.heartbeat-seconds} and
     * {@code munet.lock.timeout-seconds} (seconds, fractions allowed), defaults 30 s and 5 min.
     *
     * @throws IllegalArgumentException naming the property when a value is not a positive number
     */
    public static LockLease fromSystemProperties() {
        return new LockLease(seconds(HEARTBEAT_PROPERTY, DEFAULT_HEARTBEAT), seconds(TIMEOUT_PROPERTY, DEFAULT_TIMEOUT));
    }

    /** A duration as lock messages write it: "30 s", or "0.4 s" below whole seconds. */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static Duration seconds(String property, Duration fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        double s;
        try {
            s = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            s = Double.NaN;
        }
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("system property " + property + " must be a positive number of "
                    + "seconds, got \"" + value + "\"");
        }
        return Duration.ofMillis(Math.max(1, Math.round(s * 1000)));
    }
}

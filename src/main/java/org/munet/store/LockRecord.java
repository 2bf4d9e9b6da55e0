package org.munet.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The content of {@code <state>/lock}: who holds the state, since when, why and when it last proved
 * to be alive, as JSON so an operator can read it with {@code cat} or {@code hdfs dfs -cat} before
 * deciding to delete it.
 *
 * @param owner {@code <pid>@<host>}, the identity compared on release
 * @param pid the holder's process id
 * @param host the holder's host name
 * @param purpose what the holder is doing (for instance "evolve mnist")
 * @param acquiredAt when it was acquired, ISO-8601
 * @param heartbeatAt when the holder last renewed it, ISO-8601; null in records written before
 *     locks were leases, which therefore never expire by time
 * @param leaseTimeoutSeconds the holder's lease timeout: others may take the lock over once
 *     {@code heartbeatAt} is older than this; null in records written before locks were leases
 * @param token random per acquisition, so that a release never removes a later holder's lock even if
 *     it has the same owner string
 */
record LockRecord(
        @JsonProperty("owner") String owner,
        @JsonProperty("pid") long pid,
        @JsonProperty("host") String host,
        @JsonProperty("purpose") String purpose,
        @JsonProperty("acquired_at") String acquiredAt,
        @JsonProperty("heartbeat_at") String heartbeatAt,
        @JsonProperty("lease_timeout_seconds") Double leaseTimeoutSeconds,
        @JsonProperty("token") String token) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String UNKNOWN_HOST = "unknown-host";
    private static final String HOST = findHostName();

    /** A new acquisition by this process, with a fresh token and its heartbeat at {@code now}. */
    static LockRecord ofThisProcess(String purpose, Instant now, Duration leaseTimeout) {
        long pid = ProcessHandle.current().pid();
        return new LockRecord(pid + "@" + HOST, pid, HOST, purpose, now.toString(), now.toString(),
                leaseTimeout.toMillis() / 1000.0, UUID.randomUUID().toString());
    }

    /** This host's name as recorded in lock files; "unknown-host" when it cannot be found. */
    static String thisHost() {
        return HOST;
    }

    /**
     * Whether the holder ran on this host, so that its process can be looked up here. Never true when
     * this host's name is unknown: two hosts without a name would take each other for this one.
     */
    boolean onThisHost() {
        return !HOST.equals(UNKNOWN_HOST) && HOST.equals(host);
    }

    /** This record with its heartbeat set to {@code now}. */
    LockRecord renewed(Instant now) {
        return new LockRecord(owner, pid, host, purpose, acquiredAt, now.toString(), leaseTimeoutSeconds, token);
    }

    /** Whether this is the record of the acquisition {@code other} stands for (same owner and token). */
    boolean sameAcquisition(LockRecord other) {
        return owner.equals(other.owner()) && token != null && token.equals(other.token());
    }

    byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IOException if the bytes are not a lock record (a partial write, a foreign file) */
    static LockRecord parse(byte[] json) throws IOException {
        if (json.length == 0) {
            throw new IOException("the file is empty");
        }
        LockRecord r;
        try {
            r = JSON.readValue(json, LockRecord.class);
        } catch (JsonProcessingException e) {
            throw new IOException("not JSON of a lock record: " + e.getOriginalMessage(), e);
        }
        if (r == null || r.owner() == null || r.host() == null || r.pid() <= 0) {
            throw new IOException("lock record lacks owner, host or pid");
        }
        return r;
    }

    /** The acquisition time, or null when it is missing or unreadable. */
    Instant acquiredInstant() {
        return instant(acquiredAt);
    }

    /** The last heartbeat, or null when the record has none (an older munet wrote it) or it is unreadable. */
    Instant heartbeatInstant() {
        return instant(heartbeatAt);
    }

    /** The lease timeout the holder promised to renew within, when the record says. */
    Optional<Duration> leaseTimeout() {
        return leaseTimeoutSeconds == null || !(leaseTimeoutSeconds > 0) || leaseTimeoutSeconds.isInfinite()
                ? Optional.empty()
                : Optional.of(Duration.ofMillis(Math.round(leaseTimeoutSeconds * 1000)));
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
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

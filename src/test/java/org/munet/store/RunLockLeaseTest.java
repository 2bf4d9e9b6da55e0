package org.munet.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockLeaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A lease that never renews by itself within a test, so the lock file changes only when a test changes it. */
    private static final LockLease SLOW = new LockLease(Duration.ofHours(1), Duration.ofHours(2));

    @TempDir
    Path tmp;

    private static JsonNode lockJson(Path dir) throws IOException {
        return JSON.readTree(Files.readAllBytes(dir.resolve("lock")));
    }

    /** Replaces the lock file (and its stale .crc sibling) the way another process would. */
    private static void replaceLock(Path dir, JsonNode record) throws IOException {
        Files.deleteIfExists(dir.resolve(".lock.crc"));
        Files.write(dir.resolve("lock"), JSON.writeValueAsBytes(record));
    }

    private static ObjectNode foreignLock(String host, Instant heartbeat, double leaseSeconds) {
        return LockRecords.foreign(host, heartbeat, leaseSeconds);
    }

    @Test
    void theHeartbeatAdvancesWhileTheLockIsHeld() throws Exception {
        Path dir = tmp.resolve("state");
        try (RunLock lock = RunLock.acquire(StoreVariant.FILE_URI.open(dir), "evolve",
                new LockLease(Duration.ofMillis(100), Duration.ofSeconds(10)))) {
            JsonNode first = lockJson(dir);
            assertEquals(first.get("acquired_at").asText(), first.get("heartbeat_at").asText());
            assertEquals(10.0, first.get("lease_timeout_seconds").asDouble());
            Instant start = Instant.parse(first.get("heartbeat_at").asText());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            JsonNode now = first;
            while (!Instant.parse(now.get("heartbeat_at").asText()).isAfter(start) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                try {
                    JsonNode read = lockJson(dir);
                    if (read.has("heartbeat_at")) { // else caught mid-rewrite (heartbeats overwrite in place)
                        now = read;
                    }
                } catch (IOException halfWritten) {
                    // caught mid-rewrite: read again
                }
            }
            assertTrue(Instant.parse(now.get("heartbeat_at").asText()).isAfter(start), now.toString());
            assertEquals(first.get("acquired_at"), now.get("acquired_at"));
            assertEquals(first.get("token"), now.get("token"));
        }
        assertFalse(Files.exists(dir.resolve("lock")));
    }

    @Test
    void ensureHeldOnlyReadsTheLock() throws Exception {
        // A commit checks the lock but never rewrites it: a kill during that write would tear the file.
        Path dir = tmp.resolve("state");
        try (RunLock lock = RunLock.acquire(StoreVariant.FILE_URI.open(dir), "evolve", SLOW)) {
            byte[] before = Files.readAllBytes(dir.resolve("lock"));
            Thread.sleep(20); // so that a rewrite, if ensureHeld made one, would carry a later heartbeat_at
            lock.ensureHeld();
            assertArrayEquals(before, Files.readAllBytes(dir.resolve("lock")));
        }
    }

    @Test
    void aLockPastItsLeaseIsTakenOverFromAnyHost() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("state"));
        replaceLock(dir, foreignLock("far-away.example", Instant.now().minusSeconds(600), 60));
        StateStore store = StoreVariant.FILE_URI.open(dir);
        StringBuilder err = new StringBuilder();
        RunLock lock = Stderr.capturing(err, () -> RunLock.acquire(store, "resume"));
        assertTrue(err.toString().contains("taking over stale lock of pid 4242 on far-away.example since "
                + "2030-01-02T03:04:05Z (evolve cifar): its last heartbeat was at "), err.toString());
        assertTrue(err.toString().contains("past its lease timeout of 60 s"), err.toString());
        assertEquals(lock.owner(), lockJson(dir).get("owner").asText());
        lock.close();
        assertFalse(Files.exists(dir.resolve("lock")));
    }

    @Test
    void aLiveLockIsRefusedNamingOwnerPurposeTimesAndTheFix() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("state"));
        Instant beat = Instant.now().minusSeconds(5);
        replaceLock(dir, foreignLock("far-away.example", beat, 300));
        StateStore store = StoreVariant.FILE_URI.open(dir);
        StateLockedException e = assertThrows(StateLockedException.class, () -> RunLock.acquire(store, "x"));
        String m = e.getMessage();
        assertTrue(m.startsWith(store.uri() + " is in use by pid 4242 on far-away.example since 2030-01-02T03:04:05Z "
                + "(evolve cifar). If no such run is alive, delete " + store.uri() + "/lock and retry."), m);
        assertTrue(m.contains("Its last heartbeat was at " + beat + " ("), m);
        assertTrue(m.contains("once that is more than 300 s old, the next run takes the lock over"), m);
        assertEquals("their-token", lockJson(dir).get("token").asText(), "left alone");
    }

    @Test
    void ensureHeldFailsOnceAnotherRunTookTheLockOver() throws IOException {
        Path dir = tmp.resolve("state");
        StateStore store = StoreVariant.FILE_URI.open(dir);
        RunLock stalled = RunLock.acquire(store, "evolve", SLOW);
        stalled.ensureHeld();
        // The holder stalls (a long pause, a partitioned file system): its heartbeat ages past its lease.
        ObjectNode aged = (ObjectNode) lockJson(dir);
        aged.put("heartbeat_at", Instant.now().minus(Duration.ofHours(3)).toString());
        replaceLock(dir, aged);

        StringBuilder err = new StringBuilder();
        RunLock taker = Stderr.capturing(err, () -> RunLock.acquire(store, "evolve again"));
        assertTrue(err.toString().contains("past its lease timeout of 7200 s"), err.toString());

        StateLockedException lost = assertThrows(StateLockedException.class, stalled::ensureHeld);
        assertEquals("lost the lock of " + store.uri() + " to " + taker.owner() + " (evolve again, acquired "
                + lockJson(dir).get("acquired_at").asText() + "); this run stops without committing", lost.getMessage());
        Stderr.capturing(err, () -> {
            stalled.close();
            return null;
        });
        assertEquals("evolve again", lockJson(dir).get("purpose").asText(), "the stalled run left the new lock alone");
        taker.ensureHeld();
        taker.close();
        assertFalse(Files.exists(dir.resolve("lock")));
    }

    @Test
    void theHeartbeatNeverOverwritesAnotherRunsLock() throws Exception {
        Path dir = tmp.resolve("state");
        StateStore store = StoreVariant.FILE_URI.open(dir);
        StringBuilder err = new StringBuilder();
        RunLock lock = RunLock.acquire(store, "evolve", new LockLease(Duration.ofMillis(50), Duration.ofSeconds(10)));
        ObjectNode other = foreignLock("far-away.example", Instant.now(), 300);
        // Waits until a heartbeat has read the replaced file and reported the loss: that beat is the
        // one that would have overwritten it, and once the loss is recorded no beat writes again.
        Stderr.awaiting(err, "lost the lock of", Duration.ofSeconds(10), () -> {
            try {
                // Holding the lock's monitor keeps a heartbeat from being between its read and its write
                // (that window is the takeover race the lease accepts; here the replacement must land first).
                synchronized (lock) {
                    replaceLock(dir, other);
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(other, lockJson(dir));
        assertTrue(err.toString().contains("lost the lock of " + store.uri() + " to 4242@far-away.example"), err.toString());
        StateLockedException e = assertThrows(StateLockedException.class, lock::ensureHeld);
        assertTrue(e.getMessage().endsWith("this run stops without committing"), e.getMessage());
        Stderr.capturing(err, () -> {
            lock.close();
            return null;
        });
        assertEquals(other, lockJson(dir));
    }

    @Test
    void ensureHeldFailsOnceRenewalsHaveFailedForTooLong() throws Exception {
        Path dir = tmp.resolve("state");
        StateStore store = StoreVariant.FILE_URI.open(dir);
        StringBuilder err = new StringBuilder();
        RunLock lock = RunLock.acquire(store, "evolve", new LockLease(Duration.ofMillis(100), Duration.ofMillis(400)));
        StateLockedException e = Stderr.capturing(err, () -> {
            try {
                synchronized (lock) { // not between a heartbeat's read and write (see above)
                    Files.deleteIfExists(dir.resolve(".lock.crc"));
                    Files.writeString(dir.resolve("lock"), "garbage"); // unreadable: every renewal fails
                }
                // ensureHeld has no verdict on an unreadable file until the holder's expiry (300 ms) has
                // passed without a renewal; then it must fail.
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < deadline) {
                    try {
                        lock.ensureHeld();
                    } catch (StateLockedException lost) {
                        return lost;
                    }
                    Thread.sleep(20); // poll interval
                }
            } catch (IOException | InterruptedException ex) {
                throw new AssertionError(ex);
            }
            return null;
        });
        assertNotNull(e, "ensureHeld never failed although no renewal succeeded for 10 s");
        assertTrue(e.getMessage().contains("its heartbeat could not be renewed for "), e.getMessage());
        assertTrue(e.getMessage().contains("lease timeout 0.4 s"), e.getMessage());
        assertTrue(err.toString().contains("cannot renew lock"), err.toString());
        assertEquals("garbage", Files.readString(dir.resolve("lock")));
        Stderr.capturing(err, () -> {
            lock.close();
            return null;
        });
    }

    @Test
    void ensureHeldFailsWhenTheLockFileWasDeletedAndAfterClose() throws IOException {
        Path dir = tmp.resolve("state");
        RunLock lock = RunLock.acquire(StoreVariant.FILE_URI.open(dir), "evolve", SLOW);
        Files.delete(dir.resolve("lock"));
        StateLockedException e = assertThrows(StateLockedException.class, lock::ensureHeld);
        assertTrue(e.getMessage().contains("/lock was deleted"), e.getMessage());
        StringBuilder err = new StringBuilder();
        Stderr.capturing(err, () -> {
            lock.close();
            return null;
        });
        assertThrows(IllegalStateException.class, lock::ensureHeld);
    }

    @Test
    void theLeaseComesFromSystemProperties() {
        try {
            assertEquals(new LockLease(Duration.ofSeconds(30), Duration.ofMinutes(5)), LockLease.fromSystemProperties());
            System.setProperty(LockLease.HEARTBEAT_PROPERTY, "2");
            System.setProperty(LockLease.TIMEOUT_PROPERTY, "7.5");
            assertEquals(new LockLease(Duration.ofSeconds(2), Duration.ofMillis(7500)), LockLease.fromSystemProperties());
            System.setProperty(LockLease.TIMEOUT_PROPERTY, "3");
            IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                    LockLease::fromSystemProperties);
            assertTrue(tooShort.getMessage().contains("at least twice the heartbeat"), tooShort.getMessage());
            System.setProperty(LockLease.HEARTBEAT_PROPERTY, "soon");
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, LockLease::fromSystemProperties);
            assertTrue(bad.getMessage().contains(LockLease.HEARTBEAT_PROPERTY + " must be a positive number"),
                    bad.getMessage());
        } finally {
            System.clearProperty(LockLease.HEARTBEAT_PROPERTY);
            System.clearProperty(LockLease.TIMEOUT_PROPERTY);
        }
    }
}

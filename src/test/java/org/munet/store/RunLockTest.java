package org.munet.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunLockTest {

    /** Far above the usual pid_max of 32768 and below the 2^22 ceiling; checked to be unused. */
    private static final long DEAD_PID = 2147483;

    @TempDir
    Path tmp;

    private static void writeLock(Path dir, long pid, String host, Instant at) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("lock"), "{\"owner\":\"" + pid + "@" + host + "\",\"pid\":" + pid
                + ",\"host\":\"" + host + "\",\"purpose\":\"evolve mnist\",\"acquired_at\":\"" + at + "\"}");
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void acquireWritesTheHolderAndCloseReleases(StoreVariant variant) throws IOException {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        long pid = ProcessHandle.current().pid();
        try (RunLock lock = RunLock.acquire(store, "evolve mnist")) {
            assertEquals(pid + "@" + LockRecord.thisHost(), lock.owner());
            JsonNode json = new ObjectMapper().readTree(Files.readAllBytes(dir.resolve("lock")));
            assertEquals(lock.owner(), json.get("owner").asText());
            assertEquals(pid, json.get("pid").asLong());
            assertEquals(LockRecord.thisHost(), json.get("host").asText());
            assertEquals("evolve mnist", json.get("purpose").asText());
            Instant at = Instant.parse(json.get("acquired_at").asText());
            assertTrue(Math.abs(at.toEpochMilli() - System.currentTimeMillis()) < 60_000, at.toString());
        }
        assertFalse(Files.exists(dir.resolve("lock")));
        RunLock again = RunLock.acquire(store, "second run");
        again.close();
        again.close(); // idempotent
        assertFalse(Files.exists(dir.resolve("lock")));
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void aHeldLockIsRefusedWithTheHolderAndTheFix(StoreVariant variant) throws IOException {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        try (RunLock held = RunLock.acquire(store, "evolve mnist")) {
            byte[] before = Files.readAllBytes(dir.resolve("lock"));
            StateLockedException e = assertThrows(StateLockedException.class,
                    () -> RunLock.acquire(store, "another"));
            String m = e.getMessage();
            assertTrue(m.startsWith(store.uri() + " is in use by pid " + held.owner().replace("@", " on ")
                    + " since "), m);
            assertTrue(m.contains("(evolve mnist)"), m);
            assertTrue(m.contains("If no such run is alive, delete " + store.uri() + "/lock and retry."), m);
            assertTrue(Files.exists(dir.resolve("lock")));
            assertEquals(new String(before, UTF_8), Files.readString(dir.resolve("lock")));
        }
    }

    @Test
    void aLockOfAnotherHostIsNeverTakenOver() throws IOException {
        Path dir = tmp.resolve("state");
        writeLock(dir, DEAD_PID, "some-other-host.example", Instant.parse("2030-01-02T03:04:05Z"));
        StateStore store = StoreVariant.PLAIN_PATH.open(dir);
        StateLockedException e = assertThrows(StateLockedException.class, () -> RunLock.acquire(store, "x"));
        assertTrue(e.getMessage().contains("is in use by pid " + DEAD_PID + " on some-other-host.example since "
                + "2030-01-02T03:04:05Z (evolve mnist). If no such run is alive, delete "), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("lock").toString()), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void aStaleLockOfADeadProcessOnThisHostIsTakenOver(StoreVariant variant) throws IOException {
        assumeTrue(ProcessHandle.of(DEAD_PID).isEmpty(), "pid " + DEAD_PID + " happens to be alive");
        Path dir = tmp.resolve("state");
        writeLock(dir, DEAD_PID, LockRecord.thisHost(), Instant.now().minusSeconds(3600));
        StateStore store = variant.open(dir);
        StringBuilder err = new StringBuilder();
        RunLock lock = Stderr.capturing(err, () -> RunLock.acquire(store, "resume"));
        assertTrue(err.toString().contains("taking over stale lock of pid " + DEAD_PID), err.toString());
        assertTrue(Files.readString(dir.resolve("lock")).contains("\"resume\""));
        lock.close();
        assertFalse(Files.exists(dir.resolve("lock")));
    }

    @Test
    void aLockWhosePidWasReusedAfterItWasTakenIsStale() throws IOException {
        // Our own pid, recorded long before this JVM started: a previous incarnation (container restart).
        Path dir = tmp.resolve("state");
        writeLock(dir, ProcessHandle.current().pid(), LockRecord.thisHost(), Instant.parse("2001-01-01T00:00:00Z"));
        assumeTrue(ProcessHandle.current().info().startInstant().isPresent());
        StringBuilder err = new StringBuilder();
        RunLock lock = Stderr.capturing(err, () -> RunLock.acquire(StoreVariant.FILE_URI.open(dir), "resume"));
        assertTrue(err.toString().contains("the pid was reused"), err.toString());
        lock.close();
    }

    @Test
    void aTornLockIsTakenOverOnceItHasNotChangedForAWhile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("state"));
        Path file = dir.resolve("lock");
        Files.write(file, "{\"pid\": 12".getBytes(java.nio.charset.StandardCharsets.UTF_8)); // killed mid-write
        StateStore store = StoreVariant.FILE_URI.open(dir);
        long start = System.nanoTime();
        StringBuilder err = new StringBuilder();
        RunLock lock = Stderr.capturing(err, () -> RunLock.acquire(store, "x"));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(err.toString().contains("not a readable lock record"), err.toString());
        assertTrue(waitedMillis >= LockTakeover.TORN_LOCK_AGE.toMillis() - 100,
                "a lock being written right now is given time to complete; waited " + waitedMillis + " ms");
        lock.ensureHeld();
        lock.close();
        assertFalse(Files.exists(file));
    }

    @Test
    void closeLeavesALockThatIsNoLongerOurs() throws IOException {
        Path dir = tmp.resolve("state");
        StateStore store = StoreVariant.FILE_URI.open(dir);
        RunLock lock = RunLock.acquire(store, "first");
        // An operator deleted our lock by hand and another run took the state.
        Files.delete(dir.resolve("lock"));
        Files.deleteIfExists(dir.resolve(".lock.crc"));
        writeLock(dir, 4242, "other-host", Instant.now());
        StringBuilder err = new StringBuilder();
        Stderr.capturing(err, () -> {
            lock.close();
            return null;
        });
        assertTrue(Files.readString(dir.resolve("lock")).contains("other-host"));
        assertTrue(err.toString().contains("now held by 4242@other-host"), err.toString());
    }
}

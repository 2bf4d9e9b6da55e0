package org.munet.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException;
import org.apache.hadoop.ipc.RemoteException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.munet.testing.HdfsCluster;

/**
 * The single-writer lock on a real HDFS (a MiniDFSCluster in this JVM, shared by the class): the lock
 * behaviours of {@link RunLockTest} and {@link RunLockLeaseTest} that depend on the file system, and
 * the guarantee that makes the lock exclusive there: HDFS's {@code create(path, overwrite=false)} is
 * decided by the NameNode, so of many racing creators exactly one wins.
 */
class RunLockHdfsIT {

    /** A lease that never renews by itself within a test, so the lock file changes only when a test changes it. */
    private static final LockLease SLOW = new LockLease(Duration.ofHours(1), Duration.ofHours(2));
    private static final int RACERS = 8;

    private static HdfsCluster hdfs;
    private static final AtomicInteger STATES = new AtomicInteger();

    @BeforeAll
    static void startHdfs() throws IOException {
        hdfs = HdfsCluster.start(Path.of("target", "hdfs", "RunLockHdfsIT-" + ProcessHandle.current().pid()));
    }

    @AfterAll
    static void stopHdfs() throws IOException {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    /** A fresh state on the cluster, opened the way a run opens it: by URI, with the run's configuration. */
    private static StateStore newState() {
        return StateStore.open(hdfs.uri("/munet/state-" + STATES.incrementAndGet()), hdfs.fs().getConf());
    }

    private static org.apache.hadoop.fs.Path lockPath(StateStore store) {
        return store.layout().lock();
    }

    private static byte[] lockBytes(StateStore store) throws IOException {
        return new StateFiles(hdfs.fs()).read(lockPath(store));
    }

    private static JsonNode lockJson(StateStore store) throws IOException {
        return LockRecords.JSON.readTree(lockBytes(store));
    }

    /** Replaces the lock file the way another process would (in place: HDFS renames refuse existing targets). */
    private static void replaceLock(StateStore store, JsonNode record) throws IOException {
        try (FSDataOutputStream out = hdfs.fs().create(lockPath(store), true)) {
            out.write(LockRecords.JSON.writeValueAsBytes(record));
        }
    }

    @Test
    void hdfsIsSafeStorageAndASecondAcquireIsRefusedNamingTheHolder() throws IOException {
        StateStore store = newState();
        StringBuilder err = new StringBuilder();
        try (RunLock held = Stderr.capturing(err, () -> RunLock.acquire(store, "evolve mnist"))) {
            assertEquals("", err.toString(), "HDFS needs no warning");
            byte[] before = lockBytes(store);
            StateLockedException e = assertThrows(StateLockedException.class, () -> RunLock.acquire(store, "another"));
            String m = e.getMessage();
            assertTrue(m.startsWith(store.uri() + " is in use by pid " + held.owner().replace("@", " on ") + " since "),
                    m);
            assertTrue(m.contains("(evolve mnist)"), m);
            assertTrue(m.contains("If no such run is alive, delete " + store.uri() + "/lock and retry."), m);
            assertArrayEquals(before, lockBytes(store), "a refused run leaves the lock alone");
        }
        assertFalse(hdfs.fs().exists(lockPath(store)));
    }

    @Test
    void releaseThenAcquireAgain() throws IOException {
        StateStore store = newState();
        RunLock first = RunLock.acquire(store, "first", SLOW);
        assertEquals(first.owner(), lockJson(store).get("owner").asText());
        first.close();
        assertFalse(hdfs.fs().exists(lockPath(store)), "released");
        try (RunLock second = RunLock.acquire(store, "second", SLOW)) {
            assertEquals("second", lockJson(store).get("purpose").asText());
            second.ensureHeld();
        }
        assertFalse(hdfs.fs().exists(lockPath(store)));
    }

    @Test
    void aLockPastItsLeaseIsTakenOver() throws IOException {
        StateStore store = newState();
        hdfs.fs().mkdirs(store.layout().root());
        replaceLock(store, LockRecords.foreign("far-away.example", Instant.now().minusSeconds(600), 60));
        StringBuilder err = new StringBuilder();
        RunLock lock = Stderr.capturing(err, () -> RunLock.acquire(store, "resume", SLOW));
        assertTrue(err.toString().contains("taking over stale lock of pid 4242 on far-away.example since "
                + "2030-01-02T03:04:05Z (evolve cifar): its last heartbeat was at "), err.toString());
        assertTrue(err.toString().contains("past its lease timeout of 60 s"), err.toString());
        assertEquals(lock.owner(), lockJson(store).get("owner").asText());
        lock.close();
        assertFalse(hdfs.fs().exists(lockPath(store)));
    }

    @Test
    void ensureHeldFailsOnceAnotherRunTookTheLockOver() throws IOException {
        StateStore store = newState();
        RunLock stalled = RunLock.acquire(store, "evolve", SLOW);
        stalled.ensureHeld();
        ObjectNode aged = (ObjectNode) lockJson(store); // the holder stalls: its heartbeat ages past its lease
        aged.put("heartbeat_at", Instant.now().minus(Duration.ofHours(3)).toString());
        replaceLock(store, aged);

        StringBuilder err = new StringBuilder();
        RunLock taker = Stderr.capturing(err, () -> RunLock.acquire(store, "evolve again", SLOW));
        assertTrue(err.toString().contains("past its lease timeout of 7200 s"), err.toString());
        StateLockedException lost = assertThrows(StateLockedException.class, stalled::ensureHeld);
        assertEquals("lost the lock of " + store.uri() + " to " + taker.owner() + " (evolve again, acquired "
                + lockJson(store).get("acquired_at").asText() + "); this run stops without committing",
                lost.getMessage());
        Stderr.capturing(err, () -> {
            stalled.close();
            return null;
        });
        assertEquals("evolve again", lockJson(store).get("purpose").asText(), "the stalled run left the new lock alone");
        taker.ensureHeld();
        taker.close();
        assertFalse(hdfs.fs().exists(lockPath(store)));
    }

    @Test
    void ofManyRacingCreatorsExactlyOneWins() throws Exception {
        // The guarantee itself, repeated so that the creators really meet at the NameNode. Each racer is
        // a client of its own, as separate runs are: a loser is refused by the NameNode, with
        // FileAlreadyExistsException once the winner's file exists, or AlreadyBeingCreatedException
        // while the winner still holds it open.
        List<FileSystem> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            for (int i = 0; i < RACERS; i++) {
                clients.add(FileSystem.newInstance(hdfs.uri(), hdfs.fs().getConf()));
            }
            for (int round = 0; round < 20; round++) {
                org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(hdfs.uri("/race/" + round));
                CyclicBarrier start = new CyclicBarrier(RACERS);
                List<Future<Boolean>> created = new ArrayList<>();
                for (FileSystem client : clients) {
                    created.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        try (FSDataOutputStream out = client.create(file, false)) {
                            out.write(1);
                            return true;
                        } catch (IOException e) {
                            String refusal = e instanceof RemoteException remote ? remote.getClassName()
                                    : e.getClass().getName();
                            assertTrue(refusal.equals(FileAlreadyExistsException.class.getName())
                                    || refusal.equals(AlreadyBeingCreatedException.class.getName()), e.toString());
                            return false;
                        }
                    }));
                }
                int winners = 0;
                for (Future<Boolean> f : created) {
                    winners += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, winners, "round " + round + ": creators of " + file + " that succeeded");
            }
        } finally {
            pool.shutdownNow();
            for (FileSystem client : clients) {
                client.close();
            }
        }
    }

    @Test
    void ofManyRacingAcquiresExactlyOneWins() throws Exception {
        StateStore store = newState();
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        List<RunLock> won = new ArrayList<>();
        try {
            CyclicBarrier start = new CyclicBarrier(RACERS);
            List<Future<Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                String purpose = "racer " + i;
                Callable<Object> race = () -> {
                    start.await(30, TimeUnit.SECONDS);
                    try {
                        return RunLock.acquire(store, purpose, SLOW);
                    } catch (StateLockedException e) {
                        return e;
                    }
                };
                outcomes.add(pool.submit(race));
            }
            List<StateLockedException> refused = new ArrayList<>();
            for (Future<Object> f : outcomes) {
                Object o = f.get(60, TimeUnit.SECONDS);
                if (o instanceof RunLock lock) {
                    won.add(lock);
                } else {
                    refused.add((StateLockedException) o);
                }
            }
            assertEquals(1, won.size(), "acquires that succeeded");
            String winner = lockJson(store).get("purpose").asText();
            for (StateLockedException e : refused) {
                // Every loser names the one holder (or met it while it was being created: "Retry.")
                assertTrue(e.getMessage().contains("(" + winner + ")") || e.getMessage().endsWith("Retry."),
                        e.getMessage());
            }
            won.get(0).ensureHeld();
        } finally {
            won.forEach(RunLock::close);
            pool.shutdownNow();
        }
        assertFalse(hdfs.fs().exists(lockPath(store)));
    }
}

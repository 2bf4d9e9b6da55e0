package org.munet.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.store.StorageSemantics.Outcome;
import org.munet.store.StorageSemantics.Verdict;

class StorageSemanticsTest {

    @TempDir
    Path tmp;

    /** {@code scheme://bucket/<tmp>/state}: the stub maps it onto {@code <tmp>/state}. */
    private String stateUri(String scheme) {
        return scheme + "://bucket" + tmp.toAbsolutePath() + "/state";
    }

    private Verdict decide(String scheme, Configuration conf) throws IOException {
        URI state = URI.create(stateUri(scheme));
        return StorageSemantics.decide(FileSystem.get(state, conf), state, conf);
    }

    private void assertTmpEmpty() throws IOException {
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(java.util.List.of(), left.toList(), "a refused writer leaves nothing behind");
        }
    }

    @Test
    void localHdfsAndGcsAreSafe() throws IOException {
        Configuration conf = new Configuration(false);
        org.apache.hadoop.fs.LocalFileSystem local = FileSystem.getLocal(conf);
        assertEquals(Outcome.SAFE, StorageSemantics.decide(local, tmp.toUri(), conf).outcome());
        assertEquals(Outcome.SAFE, StorageSemantics.decide(local.getRaw(), tmp.toUri(), conf).outcome());
        // Neither asks its file system anything: the scheme decides (HDFS's NameNode, the GCS connector).
        assertEquals(new Verdict(Outcome.SAFE, "HDFS", ""),
                StorageSemantics.decide(local, URI.create("hdfs://namenode:8020/munet/state"), conf));
        assertEquals(Outcome.SAFE,
                StorageSemantics.decide(local, URI.create("gs://bucket/munet/state"), conf).outcome());
    }

    @Test
    void s3aIsSafeOnlyWithConditionalCreateAndWithoutCreatePerformance() throws IOException {
        Configuration conf = ObjectStoreStub.serving("s3a");
        Verdict without = decide("s3a", conf);
        assertEquals(Outcome.UNSAFE, without.outcome());
        assertTrue(without.reason().contains("no exclusive create"), without.reason());

        conf.setBoolean(StorageSemantics.S3A_CONDITIONAL_CREATE, true);
        assertEquals(new Verdict(Outcome.SAFE, "S3A with conditional writes", ""), decide("s3a", conf));

        conf.setBoolean(StorageSemantics.S3A_CREATE_PERFORMANCE, true); // plain creates then skip If-None-Match
        assertEquals(Outcome.UNSAFE, decide("s3a", conf).outcome());
    }

    @Test
    void abfsIsSafeOnlyWithAHierarchicalNamespace() throws IOException {
        for (String scheme : new String[] {"abfs", "abfss"}) {
            Configuration conf = ObjectStoreStub.serving(scheme);
            Verdict flat = decide(scheme, conf);
            assertEquals(Outcome.UNSAFE, flat.outcome(), scheme);
            assertTrue(flat.fileSystem().contains("without hierarchical namespace"), flat.fileSystem());
            assertTrue(flat.reason().contains("no atomic rename"), flat.reason());
            conf.setBoolean(ObjectStoreStub.HNS, true);
            assertEquals(Outcome.SAFE, decide(scheme, conf).outcome(), scheme);
        }
    }

    @Test
    void anUnknownFileSystemIsWrittenWithAWarningNamingWhatMunetAssumes() throws IOException {
        Configuration conf = ObjectStoreStub.serving("otherfs");
        assertEquals(Outcome.UNKNOWN, decide("otherfs", conf).outcome());
        StateStore store = StateStore.open(stateUri("otherfs"), conf);
        StringBuilder err = new StringBuilder();
        RunLock lock = Stderr.capturing(err, () -> RunLock.acquire(store, "evolve"));
        lock.close();
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("munet: warning: " + store.uri() + " is on otherfs://, whose semantics "
                + "munet does not know: writing assumes an atomic single-file rename and an exclusive "
                + "create(overwrite=false) (docs/storage.md)"), err.toString());
    }

    @Test
    void aWriterOnS3aWithoutConditionalWritesIsRefusedClearlyAndWritesNothing() throws IOException {
        Configuration conf = ObjectStoreStub.serving("s3a");
        StateStore store = StateStore.open(stateUri("s3a"), conf);
        assertEquals("s3a", store.fs().getScheme());

        UnsafeStorageException e = assertThrows(UnsafeStorageException.class, () -> RunLock.acquire(store, "evolve"));
        String m = e.getMessage();
        assertTrue(m.startsWith("refusing to write state s3a://bucket" + tmp.toAbsolutePath() + "/state: S3A (s3a://)"
                + " without conditional writes has no exclusive create"), m);
        assertTrue(m.contains("two runs could both take the single-writer lock"), m);
        assertTrue(m.contains("Fix: set fs.s3a.create.conditional.enabled=true (and leave fs.s3a.create.performance "
                + "off) with hadoop-aws 3.5.0 or later"), m);
        assertTrue(m.contains("keep the state on HDFS, ABFS with hierarchical namespace or GCS and read it from here "
                + "only"), m);
        assertTrue(m.contains("set munet.state.allow-unsafe-storage=true (as spark.hadoop.munet.state.allow-unsafe-"
                + "storage=true)"), m);
        assertTrue(m.endsWith("See docs/storage.md."), m);
        assertTmpEmpty();

        // Readers are never refused: the same state opens and lists.
        assertFalse(StateStore.open(stateUri("s3a"), conf).latestVersion().isPresent());
        assertTmpEmpty();
    }

    @Test
    void s3aWithConditionalWritesIsWrittenWithoutAWarning() throws IOException {
        Configuration conf = ObjectStoreStub.serving("s3a");
        conf.setBoolean(StorageSemantics.S3A_CONDITIONAL_CREATE, true);
        StateStore store = StateStore.open(stateUri("s3a"), conf);
        StringBuilder err = new StringBuilder();
        RunLock lock = Stderr.capturing(err, () -> RunLock.acquire(store, "evolve"));
        assertTrue(Files.exists(tmp.resolve("state/lock")), "the lock is taken");
        lock.ensureHeld();
        lock.close();
        assertFalse(Files.exists(tmp.resolve("state/lock")));
        assertEquals("", err.toString());
    }

    @Test
    void theOptOutAllowsARefusedFileSystemWithAWarning() throws IOException {
        Configuration conf = ObjectStoreStub.serving("s3a");
        conf.setBoolean(StorageSemantics.ALLOW_UNSAFE, true);
        StateStore store = StateStore.open(stateUri("s3a"), conf);
        StringBuilder err = new StringBuilder();
        RunLock lock = Stderr.capturing(err, () -> RunLock.acquire(store, "evolve"));
        assertTrue(Files.exists(tmp.resolve("state/lock")));
        lock.close();
        assertTrue(err.toString().startsWith("munet: warning: writing " + store.uri() + " although S3A (s3a://) "
                + "without conditional writes has no exclusive create"), err.toString());
        assertTrue(err.toString().contains("because munet.state.allow-unsafe-storage=true: only one writer may ever "
                + "run"), err.toString());
    }

    @Test
    void theOptOutIsTheRunsHadoopKeyGivenAsASparkProperty() {
        Configuration conf = HadoopConf.of(java.util.Map.of("spark.hadoop." + StorageSemantics.ALLOW_UNSAFE, "true"),
                null);
        assertTrue(conf.getBoolean(StorageSemantics.ALLOW_UNSAFE, false));
    }
}

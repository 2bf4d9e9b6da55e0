package org.munet.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Whether a state may be written on its file system: the one place that knows which Hadoop file
 * systems give the two guarantees a writer relies on (docs/storage.md has the table and sources).
 *
 * <ul>
 * <li>The commit: a file appears under its final name complete or not at all (a hidden temporary
 *     file renamed or copied whole), and a committed manifest is never replaced.</li>
 * <li>The single-writer lock ({@link RunLock}): {@code create(lock, overwrite=false)} fails when the
 *     file exists, decided by the store itself and not by a check before the write; otherwise two
 *     runs may both take the lock and commit conflicting versions.</li>
 * </ul>
 *
 * <p>Every writer takes the lock first, so {@link RunLock#acquire} asks here before it writes
 * anything. Readers (status, report, predict, fsck without --repair) never take the lock and are never
 * refused: a state written elsewhere may always be read from any file system.
 *
 * <p>The file system is asked through {@link FileSystem#hasPathCapability} where it can answer (S3A's
 * conditional create, ABFS's hierarchical namespace), so the verdict follows the bucket or account
 * settings the connector itself resolved, not a copy of its configuration logic.
 */
public final class StorageSemantics {

    /**
     * Set to {@code true} to write a state on a file system refused here, accepting the risk: for a
     * deployment where only one writer can ever run. Given as {@code spark.hadoop.munet.state.allow-unsafe-storage}
     * through Spark properties, or in a {@code *-site.xml} of {@code HADOOP_CONF_DIR} ({@link HadoopConf}).
     */
    public static final String ALLOW_UNSAFE = "munet.state.allow-unsafe-storage";

    /**
     * S3A's switch for {@code If-None-Match: *} on {@code create(overwrite=false)}
     * (Constants.FS_S3A_CONDITIONAL_CREATE_ENABLED, HADOOP-19256; in hadoop-aws 3.5.0, default true).
     * S3A 3.5.0 also answers it as a path capability, which older S3A versions do not know (false).
     */
    static final String S3A_CONDITIONAL_CREATE = "fs.s3a.create.conditional.enabled";
    /** S3A's create performance mode: it skips the conditional header on plain creates (hadoop-aws 3.5.0). */
    static final String S3A_CREATE_PERFORMANCE = "fs.s3a.create.performance";

    /** What the store does on a file system. */
    public enum Outcome {
        /** Both guarantees hold: write. */
        SAFE,
        /** munet does not know this file system: write, with a warning naming what it relies on. */
        UNKNOWN,
        /** A guarantee is missing: refuse, unless {@link #ALLOW_UNSAFE} is set. */
        UNSAFE
    }

    /** The verdict for one state, with the reason shown in a warning or refusal. */
    public record Verdict(Outcome outcome, String fileSystem, String reason) {}

    private StorageSemantics() {}

    /**
     * Refuses a writer on a file system that lacks a guarantee; warns on stderr (one line) for an
     * unknown file system or an unsafe one allowed by {@link #ALLOW_UNSAFE}.
     *
     * @throws UnsafeStorageException naming the file system, the missing guarantee and the fixes
     */
    static void requireWritable(StateStore store) {
        Verdict verdict = decide(store.fs(), store.uri(), store.conf());
        switch (verdict.outcome()) {
            case SAFE -> { }
            case UNKNOWN -> System.err.println("munet: warning: " + store.uri() + " is on " + verdict.fileSystem()
                    + ", whose semantics munet does not know: writing assumes " + verdict.reason()
                    + " (docs/storage.md)");
            case UNSAFE -> {
                if (store.conf().getBoolean(ALLOW_UNSAFE, false)) {
                    System.err.println("munet: warning: writing " + store.uri() + " although " + verdict.fileSystem()
                            + " " + verdict.reason() + ", because " + ALLOW_UNSAFE + "=true: only one writer may ever run");
                } else {
                    throw refusal(store.uri(), verdict);
                }
            }
            default -> throw new AssertionError(verdict.outcome());
        }
    }

    /** The verdict for a state at {@code state} on {@code fs}; asks the file system, writes nothing. */
    public static Verdict decide(FileSystem fs, URI state, Configuration conf) {
        String scheme = state.getScheme() == null ? "file" : state.getScheme().toLowerCase(Locale.ROOT);
        Path root = new Path(state);
        switch (scheme) {
            case "file":
                // rename(2) of a sibling temporary file is atomic. create(overwrite=false) checks, then
                // opens: two runs on one host starting in the same instant could both pass, a window the
                // lock's same-host pid check narrows but does not close. Accepted: a local state is one
                // machine's, whose operator starts its runs.
                return new Verdict(Outcome.SAFE, "the local file system", "");
            case "hdfs":
                // The NameNode performs rename and create(overwrite=false) as single namespace operations.
                return new Verdict(Outcome.SAFE, "HDFS", "");
            case "gs":
                // The GCS connector creates with the precondition ifGenerationMatch=0 (atomic); a rename
                // is a copy then a delete, and the copy appears whole.
                return new Verdict(Outcome.SAFE, "Google Cloud Storage (gs://)", "");
            case "abfs":
            case "abfss":
                // ABFS answers FS_ACLS with whether the account has a hierarchical namespace: only then
                // is rename one atomic server operation; on a flat namespace it is a blob copy then delete.
                return capability(fs, root, CommonPathCapabilities.FS_ACLS)
                        ? new Verdict(Outcome.SAFE, "ABFS with hierarchical namespace", "")
                        : new Verdict(Outcome.UNSAFE, "ABFS (" + scheme + "://) on an account without hierarchical "
                                + "namespace", "has no atomic rename (a rename there is a blob copy then a delete)");
            case "s3a":
                // S3A's rename is a copy then a delete: the copied object appears whole, and the single
                // writer never renames onto an existing manifest. What the lock needs is exclusive create,
                // which S3A only has with conditional writes (If-None-Match: *) on.
                boolean conditional = capability(fs, root, S3A_CONDITIONAL_CREATE)
                        && !capability(fs, root, S3A_CREATE_PERFORMANCE);
                return conditional
                        ? new Verdict(Outcome.SAFE, "S3A with conditional writes", "")
                        : new Verdict(Outcome.UNSAFE, "S3A (s3a://) without conditional writes",
                                "has no exclusive create (create(overwrite=false) checks, then writes), so two runs"
                                        + " could both take the single-writer lock");
            default:
                return new Verdict(Outcome.UNKNOWN, scheme + "://", "an atomic single-file rename and an exclusive"
                        + " create(overwrite=false)");
        }
    }

    private static UnsafeStorageException refusal(URI state, Verdict verdict) {
        String fix = verdict.fileSystem().startsWith("S3A")
                ? "set " + S3A_CONDITIONAL_CREATE + "=true (and leave " + S3A_CREATE_PERFORMANCE + " off) with "
                        + "hadoop-aws 3.5.0 or later on a store that honours If-None-Match, or "
                : "";
        return new UnsafeStorageException("refusing to write state " + state + ": " + verdict.fileSystem() + " "
                + verdict.reason() + ". Fix: " + fix + "keep the state on HDFS, ABFS with hierarchical namespace "
                + "or GCS and read it from here only, or, if only one writer can ever run, set " + ALLOW_UNSAFE
                + "=true (as spark.hadoop." + ALLOW_UNSAFE + "=true) to accept the risk. See docs/storage.md.");
    }

    private static boolean capability(FileSystem fs, Path root, String capability) {
        try {
            return fs.hasPathCapability(root, capability);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot ask the file system of " + root + " whether it has " + capability
                    + ": " + e.getMessage(), e);
        }
    }
}

package org.munet.store;

import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * Where each kind of state file lives under the state directory, and which names count.
 *
 * <p>Kept in one place so that writers and readers cannot disagree on a name: every path of a state,
 * inside the store and in messages outside it ({@link StateStore#layout()}), comes from here. Only
 * canonical names count ({@code 12.json}, not {@code 012.json}, {@code 12.json.tmp-x} or Hadoop's
 * {@code .12.json.crc}): anything else in these directories (temporary files, checksum siblings, files
 * copied in by hand) is invisible to the store, so a half-written or foreign file can never become
 * part of the state.
 */
public final class StateLayout {

    static final String MANIFEST_DIR = "manifest";
    static final String COMPONENTS_DIR = "components";
    static final String HISTORY_DIR = "history";
    static final String STAGING_DIR = "staging";
    static final String RUNS_DIR = "runs";
    static final String REPORTS_DIR = "reports";
    static final String LOCK_FILE = "lock";
    /** The config a state was created with; written before its first version is committed. */
    static final String CONFIG_FILE = "config.yaml";
    /** Which manifest format the state is written in ({@link StateFormat}); absent in states of munet-state-v1. */
    static final String FORMAT_FILE = "format.json";
    /** A garbage collection under way ({@link CollectionJournal}); absent when none is. */
    static final String COLLECTION_FILE = "collection.json";
    /** What fsck verified last ({@link FsckRecord}), so that the next fsck checks only what came after. */
    static final String FSCK_FILE = "fsck.json";

    static final String MANIFEST_SUFFIX = ".json";
    static final String DELTA_SUFFIX = ".delta.json";
    static final String HISTORY_SUFFIX = ".jsonl";
    static final String COMPONENT_SUFFIX = ".safetensors";
    private static final String TEMPORARY_MARK = ".tmp-";

    private static final String NUMBER = "(0|[1-9][0-9]{0,18})";
    private static final Pattern MANIFEST_NAME = Pattern.compile(NUMBER + Pattern.quote(MANIFEST_SUFFIX));
    private static final Pattern DELTA_NAME = Pattern.compile(NUMBER + Pattern.quote(DELTA_SUFFIX));
    private static final Pattern HISTORY_NAME = Pattern.compile(NUMBER + Pattern.quote(HISTORY_SUFFIX));
    private static final Pattern COMPONENT_NAME = Pattern.compile(NUMBER + Pattern.quote(COMPONENT_SUFFIX));
    /** A run id is one plain path segment: no separators, no "..", no leading dot (hidden). */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private final Path root;

    StateLayout(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path manifestDir() {
        return new Path(root, MANIFEST_DIR);
    }

    /** Version {@code version} written whole (a checkpoint, {@link ManifestKind#CHECKPOINT}). */
    public Path manifest(long version) {
        return new Path(manifestDir(), requireVersion(version) + MANIFEST_SUFFIX);
    }

    /** Version {@code version} written as changes from a checkpoint ({@link ManifestKind#DELTA}). */
    public Path delta(long version) {
        return new Path(manifestDir(), requireVersion(version) + DELTA_SUFFIX);
    }

    /** The file of {@code version} written as {@code kind}. */
    public Path manifest(long version, ManifestKind kind) {
        return kind == ManifestKind.DELTA ? delta(version) : manifest(version);
    }

    public Path componentsDir() {
        return new Path(root, COMPONENTS_DIR);
    }

    public Path component(long id) {
        return new Path(componentsDir(), requireComponentId(id) + COMPONENT_SUFFIX);
    }

    public Path historyDir() {
        return new Path(root, HISTORY_DIR);
    }

    public Path history(long version) {
        return new Path(historyDir(), requireVersion(version) + HISTORY_SUFFIX);
    }

    public Path stagingDir() {
        return new Path(root, STAGING_DIR);
    }

    public Path stagingRun(String runId) {
        return new Path(stagingDir(), requireRunId(runId));
    }

    public Path stagedComponent(String runId, long id) {
        return new Path(stagingRun(runId), requireComponentId(id) + COMPONENT_SUFFIX);
    }

    /** One JSON file per finished run, named so that names sort by time (what the report lists). */
    public Path runsDir() {
        return new Path(root, RUNS_DIR);
    }

    public Path run(String name) {
        if (!name.matches("[0-9TZ-]+-v[0-9]+")) {
            throw new IllegalArgumentException("bad run record name '" + name + "'");
        }
        return new Path(runsDir(), name + ".json");
    }

    public Path lock() {
        return new Path(root, LOCK_FILE);
    }

    public Path config() {
        return new Path(root, CONFIG_FILE);
    }

    public Path format() {
        return new Path(root, FORMAT_FILE);
    }

    public Path collection() {
        return new Path(root, COLLECTION_FILE);
    }

    public Path fsckRecord() {
        return new Path(root, FSCK_FILE);
    }

    /** The version a manifest file name stands for, or empty for any other name. */
    static OptionalLong manifestVersion(String name) {
        OptionalLong n = number(MANIFEST_NAME, name);
        return n.isPresent() && n.getAsLong() >= 1 ? n : OptionalLong.empty();
    }

    /** The version a delta manifest file name stands for, or empty for any other name. */
    static OptionalLong deltaVersion(String name) {
        OptionalLong n = number(DELTA_NAME, name);
        return n.isPresent() && n.getAsLong() >= 1 ? n : OptionalLong.empty();
    }

    /** The version a history file name stands for, or empty for any other name. */
    static OptionalLong historyVersion(String name) {
        OptionalLong n = number(HISTORY_NAME, name);
        return n.isPresent() && n.getAsLong() >= 1 ? n : OptionalLong.empty();
    }

    /** The id a component file name stands for, or empty for any other name. */
    static OptionalLong componentId(String name) {
        return number(COMPONENT_NAME, name);
    }

    /**
     * Whether a listed name is one the store ignores outright: hidden names, starting with '.' (our
     * temporary files) or '_' (Hadoop's convention, as in {@code _SUCCESS}), and the {@code .crc}
     * siblings Hadoop's checksummed local file system writes.
     */
    static boolean isHiddenOrChecksum(String name) {
        return name.startsWith(".") || name.startsWith("_") || name.endsWith(".crc");
    }

    /**
     * A new hidden temporary file beside {@code target}, {@code .<name>.tmp-<random>}, that a write goes
     * to before it is renamed to {@code target}; {@link #isTemporary} recognises it.
     */
    static Path temporarySibling(Path target) {
        return new Path(target.getParent(), "." + target.getName() + TEMPORARY_MARK + UUID.randomUUID());
    }

    /** Whether a name is one of the store's own temporary files ({@code .<name>.tmp-<random>}). */
    static boolean isTemporary(String name) {
        return name.startsWith(".") && name.contains(TEMPORARY_MARK) && !name.endsWith(".crc");
    }

    static long requireVersion(long version) {
        if (version < 1) {
            throw new IllegalArgumentException("state versions start at 1, got " + version);
        }
        return version;
    }

    static long requireComponentId(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("component ids are non-negative, got " + id);
        }
        return id;
    }

    static String requireRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches() || runId.contains("..")) {
            throw new IllegalArgumentException("run id must be 1 to 128 characters of letters, digits, '.', '_' "
                    + "or '-', not starting with '.' and without \"..\" (it names a directory under "
                    + STAGING_DIR + "/), got " + (runId == null ? "null" : "\"" + runId + "\""));
        }
        return runId;
    }

    private static OptionalLong number(Pattern pattern, String name) {
        Matcher m = pattern.matcher(name);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) { // 19 digits above Long.MAX_VALUE: not a name we write
            return OptionalLong.empty();
        }
    }
}

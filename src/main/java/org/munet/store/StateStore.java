package org.munet.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One multitask system's persistent state: a directory of versioned manifests, immutable component
 * files and per-version history, read and written only through the Hadoop {@link FileSystem} API so
 * that the same code serves {@code file://}, {@code hdfs://} and {@code s3a://}.
 *
 * <pre>
 * &lt;state&gt;/manifest/&lt;N&gt;.json              version N whole (a checkpoint: task ends, the first version)
 * &lt;state&gt;/manifest/&lt;N&gt;.delta.json        version N as changes from the checkpoint below it
 *                                           (the highest version is the state; {@link Retention} drops old ones)
 * &lt;state&gt;/components/&lt;id&gt;.safetensors    one file per component, immutable once there
 * &lt;state&gt;/history/&lt;N&gt;.jsonl              what version N created, for analysis (kept for every version)
 * &lt;state&gt;/staging/&lt;run&gt;/&lt;id&gt;.safetensors candidate outputs not yet committed
 * &lt;state&gt;/lock                           single-writer lease ({@link RunLock})
 * &lt;state&gt;/runs/&lt;ended&gt;-v&lt;N&gt;.json         one record per finished run
 * &lt;state&gt;/format.json                    the manifest format ({@link StateFormat}); absent in v1 states
 * &lt;state&gt;/collection.json                a garbage collection under way ({@link CollectionJournal})
 * &lt;state&gt;/fsck.json                      what fsck verified last ({@link FsckRecord})
 * </pre>
 *
 * <p>Why it is crash-safe: a version becomes visible only when its manifest file appears under its
 * final name, and that happens by renaming a complete hidden temporary file. Everything a manifest
 * refers to (components, history) is written before it. A crash at any point therefore leaves the
 * previous version intact plus garbage that nothing refers to: hidden temporary files
 * ({@link #cleanTemporaryFiles()}), staging runs ({@link #cleanStaging()}), promoted components of a
 * version that was never committed ({@link #unreferencedComponents(Set)}) and an orphan history file
 * that the next attempt of that version overwrites. {@link StateGarbage} removes it before a run writes.
 *
 * <p>The store does not take the lock itself: writers hold a {@link RunLock} for the whole run;
 * readers (analysis, reports) need none. The object keeps no mutable state and the Hadoop file system
 * is thread-safe, so one instance may be shared by threads. I/O failures are thrown as
 * {@link UncheckedIOException} naming the state file.
 */
public final class StateStore {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final FileSystem fs;
    private final Configuration conf;
    private final StateLayout layout;
    private final StateFiles files;

    private StateStore(FileSystem fs, Configuration conf, Path root, StateFiles files) {
        this.fs = fs;
        this.conf = conf;
        this.layout = new StateLayout(root);
        this.files = files;
    }

    /**
     * Opens the state at {@code uriOrPath}, which need not exist yet (the first write creates it).
     *
     * <p>A plain path without a scheme means the local file system, relative to the working directory,
     * even where {@code conf}'s {@code fs.defaultFS} is HDFS: on a cluster, write {@code hdfs://...}
     * explicitly. Nothing is created by opening, so a mistyped path leaves no trace.
     *
     * @param conf Hadoop configuration (credentials and endpoints for {@code s3a://}, for instance)
     * @throws IllegalArgumentException if the path is malformed or names a file rather than a directory
     * @throws UncheckedIOException if no file system serves the scheme or it cannot be reached
     */
    public static StateStore open(String uriOrPath, Configuration conf) {
        Objects.requireNonNull(conf, "conf");
        if (uriOrPath == null || uriOrPath.isBlank()) {
            throw new IllegalArgumentException("state location is empty: give a directory path or a URI such as "
                    + "hdfs://namenode/munet/state");
        }
        Path given;
        try {
            given = new Path(uriOrPath);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state location \"" + uriOrPath + "\" is not a valid path or URI: "
                    + e.getMessage(), e);
        }
        FileSystem fs;
        Path root;
        try {
            // Not FileSystem.getLocal: it casts to the checksummed LocalFileSystem, which fails where
            // fs.file.impl names another local implementation.
            fs = given.toUri().getScheme() == null
                    ? FileSystem.get(URI.create("file:///"), conf)
                    : given.getFileSystem(conf);
            // Re-parsed from its string so that file:///x and file:/x become one spelling (file:/x), the
            // one Path.toString uses in every message, and uri() matches the paths it contains.
            root = new Path(fs.makeQualified(given).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open state " + uriOrPath + ": " + e.getMessage()
                    + " (for s3a:// the hadoop-aws jar must be on the classpath; check the scheme and the "
                    + "file system settings)", e);
        }
        try {
            FileStatus status = fs.getFileStatus(root);
            if (!status.isDirectory()) {
                throw new IllegalArgumentException("state location " + root + " is a file, not a state directory: "
                        + "give the directory that holds manifest/ and components/");
            }
        } catch (FileNotFoundException e) {
            // a new state: created by its first write
        } catch (IOException e) {
            throw io("cannot read state directory", root, e);
        }
        return new StateStore(fs, conf, root, new StateFiles(fs));
    }

    /**
     * This state seen through one listing of each directory, taken when first needed: for a read-only
     * check that lists the same directories from several places. Not for writing: it would not see
     * its own new files.
     */
    StateStore snapshot() {
        return new StateStore(fs, conf, layout.root(), files.snapshot());
    }

    /** The fully qualified location of the state directory (for instance {@code file:/data/state}). */
    public URI uri() {
        return layout.root().toUri();
    }

    /** Whether the state directory exists (a new state has none until its first write). */
    public boolean exists() {
        return exists(layout.root());
    }

    /**
     * The file system holding the state. It is Hadoop's shared cached instance: do not close it.
     */
    public FileSystem fs() {
        return fs;
    }

    /** Where each file of this state lives; the one source of state paths, messages included. */
    public StateLayout layout() {
        return layout;
    }

    StateFiles files() {
        return files;
    }

    /**
     * The run's Hadoop configuration this store was opened with. Not {@code fs().getConf()}: the file
     * system is Hadoop's cached instance and carries the configuration of whoever opened it first.
     */
    Configuration conf() {
        return conf;
    }

    // ---------------------------------------------------------------- versions

    /**
     * The highest version N with {@code manifest/N.json} present, which is the state; empty for a new
     * state. Temporary files, Hadoop {@code .crc} siblings and non-numeric names are ignored.
     */
    public OptionalLong latestVersion() {
        return manifestVersions().stream().mapToLong(Long::longValue).max();
    }

    /**
     * The committed versions and how each is written, ascending: one listing of {@code manifest/}.
     * A version written both ways (which nothing the store does leaves) counts as its checkpoint.
     */
    public NavigableMap<Long, ManifestKind> manifestKinds() {
        TreeMap<Long, ManifestKind> kinds = new TreeMap<>();
        for (String name : names(layout.manifestDir())) {
            StateLayout.deltaVersion(name).ifPresent(v -> kinds.putIfAbsent(v, ManifestKind.DELTA));
            StateLayout.manifestVersion(name).ifPresent(v -> kinds.put(v, ManifestKind.CHECKPOINT));
        }
        return kinds;
    }

    /**
     * The checkpoint a delta of {@code version} is written against: the newest checkpoint below it.
     *
     * @throws CorruptStateException when there is none
     */
    public long baseOf(long version, NavigableMap<Long, ManifestKind> kinds) {
        for (Map.Entry<Long, ManifestKind> e = kinds.lowerEntry(version); e != null; e = kinds.lowerEntry(e.getKey())) {
            if (e.getValue() == ManifestKind.CHECKPOINT) {
                return e.getKey();
            }
        }
        throw new CorruptStateException(layout.delta(version) + " has no checkpoint below it to apply to: "
                + "restore the missing manifest/<N>.json from a backup");
    }

    /**
     * The manifest of {@code version}, as committed (a checkpoint or a delta: {@link SystemManifest#read}
     * decodes either).
     *
     * @throws IllegalArgumentException naming the file when that version was never committed, or was
     *     dropped by the state's {@link Retention}
     */
    public byte[] readManifest(long version) {
        ManifestKind kind = manifestKinds().get(version);
        return readManifest(version, kind == null ? ManifestKind.CHECKPOINT : kind);
    }

    /** The manifest of {@code version} written as {@code kind}; see {@link #readManifest(long)}. */
    public byte[] readManifest(long version, ManifestKind kind) {
        Path file = layout.manifest(version, kind);
        try {
            return files.read(file);
        } catch (FileNotFoundException e) {
            OptionalLong latest = latestVersion();
            String why = latest.isPresent() && version < latest.getAsLong()
                    ? " (a state keeps every end-of-task version and its last versions, state.keep_last_versions;"
                            + " this one was dropped, or never committed; committed: " + describe(manifestKinds().keySet())
                            + ")"
                    : " (latest committed version: " + describe(latest) + ")";
            throw new IllegalArgumentException("no manifest for version " + version + ": " + file + " does not exist"
                    + why, e);
        } catch (IOException e) {
            throw io("cannot read manifest", file, e);
        }
    }

    /**
     * Commits {@code version} as a checkpoint; see {@link #commitManifest(long, byte[], ManifestKind)}.
     */
    public void commitManifest(long version, byte[] json) {
        commitManifest(version, json, ManifestKind.CHECKPOINT);
    }

    /**
     * Commits {@code version}: after this returns, its manifest file holds {@code json} and it is the
     * state. Components and history it refers to must be written first.
     *
     * <p>The bytes go to a hidden {@code manifest/.<name>.tmp-<random>}, which is complete before it is
     * renamed to its name ({@code <N>.json} or {@code <N>.delta.json}). Rename is atomic on HDFS, ABFS
     * with hierarchical namespace and local file systems; on S3A and GCS it is a copy and a delete, and
     * a copied object appears whole or not at all, so a partially written manifest cannot exist there
     * either: only a complete temporary file is ever copied to that name. Which file systems a writer
     * may use at all is decided by {@link StorageSemantics} (docs/storage.md).
     *
     * @throws IllegalStateException if {@code version} is not above the latest committed version
     *     (a committed manifest is never overwritten)
     * @throws IllegalArgumentException if {@code json} is not one well-formed JSON document
     */
    public void commitManifest(long version, byte[] json, ManifestKind kind) {
        Path file = layout.manifest(version, kind);
        Objects.requireNonNull(json, "json");
        requireWellFormedJson(json, file);
        OptionalLong latest = latestVersion();
        if (latest.isPresent() && version <= latest.getAsLong()) {
            String what = version == latest.getAsLong() || manifestKinds().containsKey(version)
                    ? "version " + version + " already committed (" + file + ")"
                    : "version " + version + " is below the latest committed version " + latest.getAsLong();
            throw new IllegalStateException("cannot commit manifest to " + uri() + ": " + what
                    + "; committed versions are never rewritten: commit version " + (latest.getAsLong() + 1));
        }
        try {
            files.publish(file, json, false);
        } catch (IOException e) {
            throw io("cannot commit manifest", file, e);
        }
    }

    /**
     * Drops the manifest of a version its {@link Retention} no longer keeps; absent is fine. Only a
     * {@link StateCollection} calls it, under the lock, after journaling it.
     */
    void deleteManifest(long version, ManifestKind kind) {
        Path file = layout.manifest(version, kind);
        try {
            files.delete(file);
        } catch (IOException e) {
            throw io("cannot delete manifest", file, e);
        }
    }

    /** Deletes a component file no kept version references; absent is fine. Only a collection calls it. */
    void deleteComponent(long id) {
        Path file = layout.component(id);
        try {
            files.delete(file);
        } catch (IOException e) {
            throw io("cannot delete component " + id, file, e);
        }
    }

    // ---------------------------------------------------------------- components

    /**
     * Writes a candidate's component to {@code staging/<runId>/<id>.safetensors} (replacing an earlier
     * attempt of the same task) and returns its lowercase hex SHA-256, which the caller records and
     * passes to {@link #promoteStaged} so that a partial or foreign staged file is never promoted.
     */
    public String putStagedComponent(String runId, long componentId, byte[] bytes) {
        Path file = layout.stagedComponent(runId, componentId);
        Objects.requireNonNull(bytes, "bytes");
        try {
            files.write(file, bytes, true);
        } catch (IOException e) {
            throw io("cannot write staged component " + componentId, file, e);
        }
        return Sha256.hex(bytes);
    }

    /**
     * Moves a staged component into {@code components/<id>.safetensors} after checking its SHA-256.
     *
     * @throws IllegalStateException if {@code components/<id>.safetensors} already exists: component
     *     files are immutable, so a new component needs a new id
     * @throws CorruptStateException if the staged file is missing or its checksum differs
     */
    public void promoteStaged(String runId, long componentId, String expectedSha256) {
        Path staged = layout.stagedComponent(runId, componentId);
        Path target = layout.component(componentId);
        String expected = Sha256.normalize(expectedSha256, "staged component " + componentId);
        requireAbsentComponent(componentId, target);
        Check check = check(staged, expected);
        if (!check.ok()) {
            throw new CorruptStateException("cannot promote staged component " + componentId + ": " + check.problem()
                    + "; rerun the candidate that produced it");
        }
        // Checked above and again by HDFS's rename; on a local file system rename would replace an
        // existing target, which the single-writer lock (RunLock) keeps from racing with the check.
        try {
            files.rename(staged, target);
        } catch (IOException e) {
            throw io("cannot promote staged component " + componentId + " from " + staged + " to", target, e);
        }
    }

    /**
     * Writes a component straight to {@code components/<id>.safetensors} (through a hidden temporary
     * file, so the name never shows a partial file) and returns its lowercase hex SHA-256. Meant for the
     * root components written once when a state is created; candidates go through staging.
     *
     * @throws IllegalStateException if the component file already exists (component files are immutable)
     */
    public String putComponentDirect(long id, byte[] bytes) {
        Path target = layout.component(id);
        Objects.requireNonNull(bytes, "bytes");
        requireAbsentComponent(id, target);
        try {
            files.publish(target, bytes, false);
        } catch (IOException e) {
            throw io("cannot write component " + id, target, e);
        }
        return Sha256.hex(bytes);
    }

    /**
     * The bytes of component {@code id}, verified against the SHA-256 the manifest recorded.
     *
     * @throws CorruptStateException naming the file and both checksums, or saying it is missing
     */
    public byte[] readComponent(long id, String expectedSha256) {
        Path file = layout.component(id);
        String expected = Sha256.normalize(expectedSha256, "component " + id);
        byte[] bytes;
        try {
            bytes = files.readForOwnVerification(file);
        } catch (FileNotFoundException e) {
            throw new CorruptStateException(missing(id, file, expected) + "; restore it from a backup or roll back "
                    + "to a version that does not use it", e);
        } catch (IOException e) {
            throw io("cannot read component " + id, file, e);
        }
        String actual = Sha256.hex(bytes);
        if (!actual.equals(expected)) {
            throw new CorruptStateException(mismatch(id, file, expected, actual) + "; restore it from a backup or "
                    + "roll back to a version that does not use it");
        }
        return bytes;
    }

    /** Writes {@code config.yaml}, the config the state is created with, before its first version is committed. */
    public void putConfig(byte[] bytes) {
        try {
            files.publish(layout.config(), bytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + StateLayout.CONFIG_FILE + " in " + uri() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Whether {@code components/<id>.safetensors} exists (its content is not checked). */
    public boolean hasComponent(long id) {
        return exists(layout.component(id));
    }

    /** Removes one run's staging directory, committed or abandoned; absent is fine. */
    public void deleteStaging(String runId) {
        Path dir = layout.stagingRun(runId);
        try {
            files.delete(dir);
        } catch (IOException e) {
            throw io("cannot delete staging directory", dir, e);
        }
    }

    /** Removes every staging run (left by crashed or finished runs). Only while holding the {@link RunLock}. */
    public void cleanStaging() {
        Path dir = layout.stagingDir();
        try {
            files.delete(dir);
        } catch (IOException e) {
            throw io("cannot delete staging directory", dir, e);
        }
    }

    /**
     * Removes the hidden temporary files a crash between write and rename leaves in
     * {@code manifest/}, {@code components/}, {@code history/} and the state root
     * ({@link #temporaryFiles()}). Only while holding the
     * {@link RunLock}: a concurrent writer's file in flight would be removed too.
     */
    public void cleanTemporaryFiles() {
        for (Path file : temporaryFiles()) {
            try {
                files.delete(file);
            } catch (IOException e) {
                throw io("cannot delete temporary file", file, e);
            }
        }
    }

    /**
     * The hidden temporary files ({@code .<name>.tmp-<random>}) in {@code manifest/}, {@code components/},
     * {@code history/}, {@code runs/} and the state root ({@code config.yaml} is published through one too), by path.
     * Each is a write that a crash interrupted before its rename, or one in flight right now.
     */
    List<Path> temporaryFiles() {
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(layout.root(), layout.manifestDir(), layout.componentsDir(), layout.historyDir(),
                layout.runsDir())) {
            try {
                for (FileStatus status : files.listAll(dir)) {
                    if (status.isFile() && StateLayout.isTemporary(status.getPath().getName())) {
                        found.add(status.getPath());
                    }
                }
            } catch (IOException e) {
                throw io("cannot list temporary files in", dir, e);
            }
        }
        return found;
    }

    // ---------------------------------------------------------------- history

    /**
     * Writes the history records of {@code version} (the paths and components it created), before that
     * version's manifest is committed. Replaces an orphan left by a crashed attempt of the same version,
     * which is safe because that version was never committed.
     *
     * @throws IllegalStateException if {@code version} is already committed (its history is final)
     */
    public void writeHistory(long version, byte[] jsonl) {
        Path file = layout.history(version);
        Objects.requireNonNull(jsonl, "jsonl");
        if (exists(layout.manifest(version)) || exists(layout.delta(version))) {
            throw new IllegalStateException("cannot write history " + file + ": version " + version
                    + " already committed, and its history is final; write the history of the next version");
        }
        try {
            files.publish(file, jsonl, true);
        } catch (IOException e) {
            throw io("cannot write history", file, e);
        }
    }

    /**
     * The committed versions that have a history file, ascending: every version up to the latest, the
     * ones {@link Retention} dropped included (the history is kept whole). A history file above the
     * latest version (a crashed commit's) describes nothing in the state and is left out.
     */
    public List<Long> historyVersions() {
        long latest = latestVersion().orElse(0);
        TreeSet<Long> versions = new TreeSet<>();
        for (String name : names(layout.historyDir())) {
            OptionalLong v = StateLayout.historyVersion(name);
            if (v.isPresent() && v.getAsLong() <= latest) {
                versions.add(v.getAsLong());
            }
        }
        return List.copyOf(versions);
    }

    /**
     * The history records of {@code version}.
     *
     * @throws IllegalArgumentException naming the file when there is none
     */
    public byte[] readHistory(long version) {
        Path file = layout.history(version);
        try {
            return files.read(file);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("no history for version " + version + ": " + file
                    + " does not exist (versions with history: " + historyVersions() + ")", e);
        } catch (IOException e) {
            throw io("cannot read history", file, e);
        }
    }

    // ---------------------------------------------------------------- runs

    /**
     * Records a finished run ({@code runs/<name>.json}): what it introduced, revisited, improved and
     * skipped, and why it stopped. Small, never rewritten, never needed to read the system; only
     * while holding the {@link RunLock}.
     */
    public void putRunRecord(String name, byte[] json) {
        requireWellFormedJson(json, layout.run(name));
        try {
            files.publish(layout.run(name), json, false);
        } catch (IOException e) {
            throw io("cannot record the run", layout.run(name), e);
        }
    }

    /** The newest {@code count} run records, newest first; none for a state written before runs were recorded. */
    public List<byte[]> latestRunRecords(int count) {
        List<byte[]> out = new ArrayList<>();
        try {
            List<String> names = new ArrayList<>();
            for (String n : files.listNames(layout.runsDir())) {
                if (n.endsWith(".json") && !n.startsWith(".")) {
                    names.add(n);
                }
            }
            names.sort(java.util.Comparator.reverseOrder());
            for (String n : names.subList(0, Math.min(count, names.size()))) {
                out.add(files.read(new Path(layout.runsDir(), n)));
            }
        } catch (IOException e) {
            throw io("cannot read run records", layout.runsDir(), e);
        }
        return out;
    }

    // ---------------------------------------------------------------- garbage

    /**
     * Component files that {@code referenced} does not name, ascending. Not an error: a crash between
     * promotion and the manifest commit leaves such files, and they are garbage.
     */
    public List<Long> unreferencedComponents(Set<Long> referenced) {
        TreeSet<Long> orphans = new TreeSet<>();
        for (String name : names(layout.componentsDir())) {
            OptionalLong id = StateLayout.componentId(name);
            if (id.isPresent() && !referenced.contains(id.getAsLong())) {
                orphans.add(id.getAsLong());
            }
        }
        return List.copyOf(orphans);
    }

    /** The ids of every component file present (one listing of {@code components/}). */
    public Set<Long> componentFiles() {
        Set<Long> ids = new TreeSet<>();
        for (String name : names(layout.componentsDir())) {
            StateLayout.componentId(name).ifPresent(ids::add);
        }
        return ids;
    }

    // ---------------------------------------------------------------- helpers

    /** The outcome of checking one file against an expected SHA-256; {@code problem} is null when fine. */
    private record Check(String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private Check check(Path file, String expected) {
        long id = StateLayout.componentId(file.getName()).orElse(-1);
        byte[] bytes;
        try {
            bytes = files.readForOwnVerification(file);
        } catch (FileNotFoundException e) {
            return new Check(missing(id, file, expected));
        } catch (IOException e) {
            return new Check("component " + id + ": cannot read " + file + ": " + e.getMessage());
        }
        String actual = Sha256.hex(bytes);
        return new Check(actual.equals(expected) ? null : mismatch(id, file, expected, actual));
    }

    private static String missing(long id, Path file, String expected) {
        return "component " + id + ": " + file + " missing (expected sha256 " + expected + ")";
    }

    private static String mismatch(long id, Path file, String expected, String actual) {
        return "component " + id + ": " + file + " is corrupt: expected sha256 " + expected + ", actual sha256 "
                + actual;
    }

    private void requireAbsentComponent(long id, Path target) {
        if (exists(target)) {
            throw new IllegalStateException("component " + id + " already exists at " + target
                    + "; component files are immutable and never rewritten: give the new component a new id");
        }
    }

    /** Every committed version still kept (a checkpoint or delta manifest present), ascending. */
    public Set<Long> manifestVersions() {
        return manifestKinds().navigableKeySet();
    }

    private List<String> names(Path dir) {
        try {
            return files.listNames(dir);
        } catch (IOException e) {
            throw io("cannot list", dir, e);
        }
    }

    private boolean exists(Path path) {
        try {
            return files.exists(path);
        } catch (IOException e) {
            throw io("cannot check", path, e);
        }
    }

    private static void requireWellFormedJson(byte[] json, Path file) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("manifest for " + file + " is not well-formed JSON: "
                    + e.getMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException("manifest for " + file + " is empty: a manifest is one JSON document");
        }
    }

    private static String describe(Set<Long> versions) {
        return versions.size() <= 12 ? versions.toString()
                : ComponentAudit.versions(new TreeSet<>(versions)).replaceFirst("^versions? ", "");
    }

    private static String describe(OptionalLong version) {
        return version.isPresent() ? Long.toString(version.getAsLong()) : "none";
    }

    private static UncheckedIOException io(String action, Path path, IOException e) {
        return new UncheckedIOException(action + " " + path + ": " + e.getMessage(), e);
    }
}

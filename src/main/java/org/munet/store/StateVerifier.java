package org.munet.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * The state's fsck. A full check reads every kept version, not only the latest, because resuming,
 * rolling back and the history notebooks all read older versions, and a damaged old version is
 * invisible until the day someone needs it. An incremental check (the default of {@code fsck} and
 * what {@code evolve} runs before it writes) checks what was committed since the last healthy check
 * ({@link FsckRecord}), so that its cost follows the work and not the state's age.
 *
 * <p>For each kept version N checked: its manifest decodes (a delta with the checkpoint below it) and
 * says it is version N, its paths reference live components and parents and its seeds are live paths,
 * every component it references exists with the SHA-256 it recorded (each file is hashed once however
 * many versions share it; incrementally, only files created since the last check are hashed and the
 * others' presence is checked by one listing), and its history file holds one JSON document per
 * non-blank line. The history is kept whole: every version from 1 to the latest has one. The latest
 * version is always decoded, and {@code config.yaml} exists once any version is committed. What a
 * crash leaves behind is listed apart as {@link Leftover}s, which are not errors.
 *
 * <p>Read-only and lock-free, so it can run beside an evolve; files that run writes meanwhile may
 * then show up as leftovers. The only file it writes is its own record, after a healthy check.
 */
public final class StateVerifier {

    /** How much a check reads. */
    public enum Mode {
        /** What was committed since the last healthy check, plus the latest version; everything when there was none. */
        INCREMENTAL,
        /** Every kept version, every referenced component file hashed. */
        FULL
    }

    /** How many errors {@link #requireHealthy} puts in its message; fsck lists all. */
    private static final int ERRORS_IN_MESSAGE = 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private StateVerifier() {}

    /** A full check ({@link Mode#FULL}). */
    public static StateReport verify(StateStore store) {
        return verify(store, Mode.FULL);
    }

    /**
     * Checks {@code store} and lists what is damaged and what is left over; a healthy check is recorded
     * for the next incremental one.
     *
     * @throws UncheckedIOException if a directory of the state cannot be listed
     */
    public static StateReport verify(StateStore state, Mode mode) {
        StateStore store = state.snapshot(); // one listing of each directory for the whole check
        NavigableMap<Long, ManifestKind> kinds = store.manifestKinds();
        long latest = kinds.isEmpty() ? 0 : kinds.lastKey();
        FsckRecord record = mode == Mode.INCREMENTAL ? FsckRecord.read(store) : null;
        boolean full = record == null || record.verifiedThrough() > latest;
        long from = full ? 1 : record.verifiedThrough() + 1;
        long hashFrom = full ? 0 : record.nextComponentId();
        List<String> errors = new ArrayList<>();
        ComponentAudit audit = new ComponentAudit(store, hashFrom, state);
        OptionalLong nextComponentId = kinds.isEmpty() ? OptionalLong.of(0) : OptionalLong.empty();
        int checked = 0;
        Checkpoints checkpoints = new Checkpoints(store, kinds, errors);
        for (Map.Entry<Long, ManifestKind> e : kinds.entrySet()) {
            long v = e.getKey();
            if (v < from && v != latest) {
                if (e.getValue() == ManifestKind.DELTA && !kinds.containsKey(checkpoints.baseVersion(v))) {
                    errors.add(store.layout().delta(v) + " has no checkpoint below it to apply to");
                }
                continue;
            }
            Population population = checkManifest(store, v, e.getValue(), checkpoints, audit, errors);
            checked++;
            if (population != null && v == latest) {
                nextComponentId = OptionalLong.of(population.nextComponentId());
            }
        }
        checkHistory(store, latest, from, kinds, errors);
        if (latest > 0 && !exists(store, store.layout().config())) {
            errors.add(store.layout().config() + " is missing: it holds the config the state was created with, "
                    + "which evolve needs to resume");
        }
        errors.addAll(audit.check());
        List<Leftover> leftovers = LeftoverScan.all(store, kinds.keySet(), nextComponentId,
                full ? Optional.of(audit.referenced()) : Optional.empty());
        return new StateReport(store.uri(), latest, checked, audit.filesHashed(), audit.bytesHashed(),
                errors, leftovers, List.of(), full ? Mode.FULL : Mode.INCREMENTAL, from,
                nextComponentId.orElse(-1), null);
    }

    /**
     * Records a healthy check in the state ({@link FsckRecord}) so that the next incremental one starts
     * after it; returns the report, with a note when the record could not be written (a state the user
     * may only read). Nothing is recorded for a damaged state or an empty one.
     */
    public static StateReport record(StateStore store, StateReport report) {
        if (!report.healthy() || report.latestVersion() == 0 || report.nextComponentId() < 0) {
            return report;
        }
        String note = FsckRecord.now(report.latestVersion(), report.nextComponentId(),
                report.mode() == Mode.FULL).write(store);
        return report.withNote(note);
    }

    /**
     * Refuses a damaged state: meant for evolve to call before it changes anything, so that a run never
     * builds new versions on top of a missing or corrupt file. Leftovers are fine (evolve clears them).
     * A state that does not exist yet is healthy. The check is incremental ({@link Mode#INCREMENTAL}):
     * a file damaged after an earlier healthy check is found by {@code fsck --full}, and by whoever
     * reads it, since every component read is checked against its SHA-256. Writes nothing: the caller
     * {@link #record}s the check once it has committed.
     *
     * @return the check, for {@link #record}
     *
     * @throws CorruptStateException listing the errors, the fsck command and the fix
     */
    public static StateReport requireHealthy(StateStore store) {
        StateReport report = verify(store, Mode.INCREMENTAL);
        if (report.healthy()) {
            return report;
        }
        List<String> errors = report.errors();
        StringBuilder m = new StringBuilder(store.uri() + " is damaged, so evolution does not start: "
                + errors.size() + (errors.size() == 1 ? " error" : " errors") + ":");
        errors.stream().limit(ERRORS_IN_MESSAGE).forEach(e -> m.append("\n  ").append(e));
        if (errors.size() > ERRORS_IN_MESSAGE) {
            m.append("\n  ... and ").append(errors.size() - ERRORS_IN_MESSAGE).append(" more");
        }
        m.append("\nRun 'deploy/munet fsck --state ").append(store.uri()).append("' for the full report, and restore ")
                .append("the named files from a backup (or start a new state with --continue-from from a healthy one).");
        throw new CorruptStateException(m.toString());
    }

    /** Checks manifest {@code v} and records its component references; null when it cannot be decoded. */
    private static Population checkManifest(StateStore store, long v, ManifestKind kind, Checkpoints checkpoints,
            ComponentAudit audit, List<String> errors) {
        Path file = store.layout().manifest(v, kind);
        SystemManifest.Loaded loaded;
        if (kind == ManifestKind.CHECKPOINT) {
            loaded = checkpoints.get(v);
        } else {
            SystemManifest.Loaded base = checkpoints.get(checkpoints.baseVersion(v));
            byte[] bytes = read(store, file, errors);
            if (base == null || bytes == null) {
                if (base == null && bytes != null) {
                    errors.add(file + " cannot be decoded: the checkpoint it applies to is missing or damaged");
                }
                return null;
            }
            try {
                loaded = ManifestDelta.apply(base, bytes, file.toString());
            } catch (CorruptStateException e) {
                errors.add(e.getMessage());
                return null;
            }
        }
        if (loaded == null) {
            return null;
        }
        if (loaded.version() != v) {
            errors.add(file + " records version " + loaded.version() + ", not the " + v + " its name says: "
                    + "a manifest was copied or renamed over another");
        }
        Population population = loaded.population();
        for (Component c : population.components()) {
            audit.expect(c.id(), c.sha256(), v, file);
        }
        // Decoding already refuses paths whose components are not live; parents and seeds it does not check.
        for (TaskPath p : population.paths()) {
            if (p.parentId() != null && !population.hasPath(p.parentId())) {
                errors.add(file + ": " + p + " has parent " + p.parentId() + ", which is not a live path");
            }
        }
        for (long seed : population.seeds()) {
            if (!population.hasPath(seed)) {
                errors.add(file + ": seed " + seed + " is not a live path");
            }
        }
        return population;
    }

    /**
     * The checkpoints deltas apply to, decoded when first needed and kept while versions are checked in
     * order (a visit's deltas share one), with their errors reported once.
     */
    private static final class Checkpoints {
        private final StateStore store;
        private final NavigableMap<Long, ManifestKind> kinds;
        private final List<String> errors;
        private long decodedVersion = -1;
        private SystemManifest.Loaded decoded;

        Checkpoints(StateStore store, NavigableMap<Long, ManifestKind> kinds, List<String> errors) {
            this.store = store;
            this.kinds = kinds;
            this.errors = errors;
        }

        /** The newest checkpoint below a delta, or 0 when there is none. */
        long baseVersion(long delta) {
            Long v = kinds.lowerKey(delta);
            while (v != null && kinds.get(v) != ManifestKind.CHECKPOINT) {
                v = kinds.lowerKey(v);
            }
            return v == null ? 0 : v;
        }

        /** Checkpoint {@code v} decoded, or null after reporting why it cannot be. */
        SystemManifest.Loaded get(long v) {
            if (v == decodedVersion) {
                return decoded;
            }
            decodedVersion = v;
            decoded = null;
            Path file = store.layout().manifest(v);
            if (v == 0 || !kinds.containsKey(v)) {
                return null;
            }
            byte[] bytes = read(store, file, errors);
            if (bytes == null) {
                return null;
            }
            try {
                decoded = SystemManifest.decode(bytes, file.toString());
            } catch (CorruptStateException e) {
                errors.add(e.getMessage());
            }
            return decoded;
        }
    }

    /**
     * Every version up to the latest has a history file (the history is kept whole); the ones from
     * {@code from} on are parsed.
     */
    private static void checkHistory(StateStore store, long latest, long from, NavigableMap<Long, ManifestKind> kinds,
            List<String> errors) {
        java.util.Set<Long> present = new java.util.HashSet<>(store.historyVersions());
        java.util.Set<Long> v1Generations = StateFormat.v1Generations(store);
        List<Long> missing = new ArrayList<>();
        for (long v = 1; v <= latest; v++) {
            if (!present.contains(v)) {
                missing.add(v);
            } else if (v >= from) {
                String written = checkHistory(store, v, errors);
                // Retention drops deltas and a migrated state's old generations; a checkpoint stays forever.
                boolean checkpoint = written == null ? !v1Generations.contains(v) : written.equals("checkpoint");
                if (checkpoint && !kinds.containsKey(v)) {
                    errors.add(store.layout().manifest(v) + " is missing: version " + v + " was written as a"
                            + " checkpoint (a task end, or the first version), which the state keeps for good;"
                            + " restore it from a backup");
                }
            }
        }
        if (!missing.isEmpty()) {
            errors.add(store.layout().historyDir() + " lacks " + ComponentAudit.versions(new java.util.TreeSet<>(missing))
                    + ": every committed version keeps its history file, so "
                    + (missing.size() == 1 ? "it was" : "they were") + " lost; restore from a backup");
        }
    }

    /** Checks history file {@code v}; returns how its version's manifest was written, or null when it does not say. */
    private static String checkHistory(StateStore store, long v, List<String> errors) {
        Path file = store.layout().history(v);
        byte[] bytes = read(store, file, errors);
        if (bytes == null) {
            return null;
        }
        String written = null;
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        int bad = 0;
        String first = null;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                com.fasterxml.jackson.databind.JsonNode line = JSON.readTree(lines[i]);
                if (line.has("system")) {
                    written = line.get("system").path("manifest").asText(null);
                }
            } catch (IOException e) {
                bad++;
                if (first == null) {
                    first = "line " + (i + 1) + " (" + e.getMessage().lines().findFirst().orElse("") + ")";
                }
            }
        }
        if (bad > 0) {
            errors.add(file + " is damaged: " + bad + (bad == 1 ? " line is" : " lines are") + " not JSON, first "
                    + first);
        }
        return written;
    }

    /** The whole file, or null after adding an error naming it. */
    private static byte[] read(StateStore store, Path file, List<String> errors) {
        try {
            // Past Hadoop's .crc sibling: the content checks here say more than "checksum error".
            return store.files().readForOwnVerification(file);
        } catch (FileNotFoundException e) {
            if (file.getParent().equals(store.layout().manifestDir())) {
                // Listed when the check began and gone now: a writer's collection dropped it meanwhile
                // (fsck takes no lock), which retention does by design.
                return null;
            }
            errors.add(file + " is missing: every committed version has one");
        } catch (IOException e) {
            errors.add(file + " cannot be read: " + e.getMessage());
        }
        return null;
    }

    private static boolean exists(StateStore store, Path file) {
        try {
            return store.files().exists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + file + ": " + e.getMessage(), e);
        }
    }
}

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
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * The state's fsck: checks every committed version, not only the latest, because resuming, rolling
 * back and the history notebooks all read older versions, and a damaged old version is invisible
 * until the day someone needs it.
 *
 * <p>For each committed version N: {@code manifest/N.json} parses and says it is version N, its paths
 * reference live components and parents and its seeds are live paths, every component it references
 * exists with the SHA-256 it recorded (each file is hashed once however many versions share it), and
 * {@code history/N.jsonl} exists with one JSON document per non-blank line. Versions run 1..latest
 * without gaps, and {@code config.yaml} exists once any version is committed. What a crash leaves
 * behind is listed apart as {@link Leftover}s, which are not errors.
 *
 * <p>Read-only and lock-free, so it can run beside an evolve; files that run writes meanwhile may
 * then show up as leftovers.
 */
public final class StateVerifier {

    /** How many errors {@link #requireHealthy} puts in its message; fsck lists all. */
    private static final int ERRORS_IN_MESSAGE = 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private StateVerifier() {}

    /**
     * Checks {@code store} and lists what is damaged and what is left over. Reads every manifest,
     * history file and referenced component file in full.
     *
     * @throws UncheckedIOException if a directory of the state cannot be listed
     */
    public static StateReport verify(StateStore store) {
        Set<Long> committed = store.manifestVersions();
        long latest = committed.stream().mapToLong(Long::longValue).max().orElse(0);
        List<String> errors = new ArrayList<>();
        ComponentAudit audit = new ComponentAudit(store);
        OptionalLong nextComponentId = committed.isEmpty() ? OptionalLong.of(0) : OptionalLong.empty();
        for (long v = 1; v <= latest; v++) {
            if (!committed.contains(v)) {
                errors.add(store.layout().manifest(v) + " is missing: versions are committed one after another and "
                        + "version " + latest + " exists, so it was lost");
                continue;
            }
            Population population = checkManifest(store, v, audit, errors);
            if (population != null) {
                nextComponentId = OptionalLong.of(population.nextComponentId()); // the highest readable wins
            }
            checkHistory(store, v, errors);
        }
        if (latest > 0 && !exists(store, store.layout().config())) {
            errors.add(store.layout().config() + " is missing: it holds the config the state was created with, "
                    + "which evolve needs to resume");
        }
        errors.addAll(audit.check());
        List<Leftover> leftovers = LeftoverScan.all(store, committed, nextComponentId, audit.referenced());
        return new StateReport(store.uri(), latest, committed.size(), audit.filesHashed(), audit.bytesHashed(),
                errors, leftovers, List.of());
    }

    /**
     * Refuses a damaged state: meant for evolve to call before it changes anything, so that a run never
     * builds new versions on top of a missing or corrupt file. Leftovers are fine (evolve clears them).
     * A state that does not exist yet is healthy.
     *
     * @throws CorruptStateException listing the errors, the fsck command and the fix
     */
    public static void requireHealthy(StateStore store) {
        StateReport report = verify(store);
        if (report.healthy()) {
            return;
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
    private static Population checkManifest(StateStore store, long v, ComponentAudit audit, List<String> errors) {
        Path file = store.layout().manifest(v);
        byte[] bytes = read(store, file, errors);
        if (bytes == null) {
            return null;
        }
        SystemManifest.Loaded loaded;
        try {
            loaded = SystemManifest.decode(bytes, file.toString());
        } catch (CorruptStateException e) {
            errors.add(e.getMessage());
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

    private static void checkHistory(StateStore store, long v, List<String> errors) {
        Path file = store.layout().history(v);
        byte[] bytes = read(store, file, errors);
        if (bytes == null) {
            return;
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        int bad = 0;
        String first = null;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                JSON.readTree(lines[i]);
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
    }

    /** The whole file, or null after adding an error naming it. */
    private static byte[] read(StateStore store, Path file, List<String> errors) {
        try {
            // Past Hadoop's .crc sibling: the content checks here say more than "checksum error".
            return store.files().readForOwnVerification(file);
        } catch (FileNotFoundException e) {
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

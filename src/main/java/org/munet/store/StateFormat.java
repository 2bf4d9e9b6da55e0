package org.munet.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state's {@code format.json}: which manifest format the state is written in, and, for a state
 * migrated from {@value SystemManifest#FORMAT_V1}, which of its old checkpoints were generations
 * rather than task ends.
 *
 * <p>Why the list: {@link Retention} keeps every checkpoint, because from format
 * {@value SystemManifest#FORMAT} on a checkpoint is written only at a task end (or as the first
 * version), and it tells checkpoints from deltas by their file names alone, so that collecting after a
 * commit reads no old manifest. A v1 state wrote every generation whole; migrating it reads each of
 * its manifests once and records the generations here, so that they are dropped like deltas.
 *
 * <p>Migration changes no committed file: it only writes this one, so a crash during it leaves a v1
 * state that the next writer migrates again.
 */
public final class StateFormat {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StateFormat() {}

    /**
     * Makes the state's format current before a writer commits: a state without versions gets the
     * marker, a v1 state is migrated (one read of each manifest, once). Only while holding the lock.
     */
    public static void ensureCurrent(StateStore store) {
        if (read(store) != null) {
            return;
        }
        Set<Long> generations = new TreeSet<>();
        for (Map.Entry<Long, ManifestKind> e : store.manifestKinds().entrySet()) {
            if (e.getValue() == ManifestKind.CHECKPOINT) {
                SystemManifest.Loaded v = SystemManifest.decode(store.readManifest(e.getKey(), ManifestKind.CHECKPOINT),
                        store.layout().manifest(e.getKey()).toString());
                if (!SystemManifest.isTaskEnd(v.state())) {
                    generations.add(e.getKey());
                }
            }
        }
        ObjectNode marker = JSON.createObjectNode();
        marker.put("format", SystemManifest.FORMAT);
        marker.set("v1_generations", JSON.valueToTree(generations));
        try {
            store.files().publish(store.layout().format(), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(marker), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + store.layout().format() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The checkpoints of a migrated v1 state that were generations (dropped like deltas once outside
     * the kept window); empty for a state created in the current format, or not yet migrated.
     */
    public static Set<Long> v1Generations(StateStore store) {
        JsonNode marker = read(store);
        Set<Long> out = new TreeSet<>();
        if (marker != null) {
            marker.path("v1_generations").forEach(v -> out.add(v.asLong()));
        }
        return out;
    }

    /** The marker, or null when the state has none (a v1 state, or no state yet). */
    private static JsonNode read(StateStore store) {
        try {
            JsonNode marker = JSON.readTree(store.files().read(store.layout().format()));
            if (!SystemManifest.FORMAT.equals(marker.path("format").asText())) {
                throw new CorruptStateException(store.layout().format() + " names format '"
                        + marker.path("format").asText() + "', not " + SystemManifest.FORMAT
                        + ": was the state written by a newer munet?");
            }
            return marker;
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + store.layout().format() + ": " + e.getMessage(), e);
        }
    }
}

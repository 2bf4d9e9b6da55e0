package org.munet.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state's {@code collection.json}: what a garbage collection is about to delete, written before
 * it deletes anything and removed once everything is gone.
 *
 * <p>Why: a collection deletes the dropped versions' manifests first and then the component files
 * only they referenced (the other order would leave a kept manifest naming a missing file). A crash
 * between the two leaves component files that no kept version references, and finding them again
 * would take reading every kept version. The journal names them, so the next collection (or
 * {@code fsck --repair}) finishes the job by reading one small file, and fsck lists them as leftovers.
 * Finishing is idempotent: what is already gone is skipped.
 *
 * @param manifests the versions to drop and how each is written
 * @param components the component files no kept version references once those versions are gone
 */
record CollectionJournal(SortedMap<Long, ManifestKind> manifests, SortedSet<Long> components) {

    private static final ObjectMapper JSON = new ObjectMapper();

    CollectionJournal {
        manifests = new TreeMap<>(manifests);
        components = new TreeSet<>(components);
    }

    /** Writes the journal (atomically: a torn journal cannot exist). */
    void write(StateStore store) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode m = root.putArray("manifests");
        manifests.forEach((v, kind) -> m.addObject().put("version", v).put("kind", kind.name().toLowerCase()));
        root.set("components", JSON.valueToTree(components));
        try {
            store.files().publish(store.layout().collection(), JSON.writeValueAsBytes(root), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + store.layout().collection() + ": " + e.getMessage(), e);
        }
    }

    /** The journal of a collection a crash interrupted, or null when none is pending. */
    static CollectionJournal read(StateStore store) {
        byte[] bytes;
        try {
            bytes = store.files().read(store.layout().collection());
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + store.layout().collection() + ": " + e.getMessage(), e);
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            SortedMap<Long, ManifestKind> manifests = new TreeMap<>();
            for (JsonNode n : root.get("manifests")) {
                manifests.put(n.get("version").asLong(), ManifestKind.valueOf(n.get("kind").asText().toUpperCase()));
            }
            SortedSet<Long> components = new TreeSet<>();
            root.get("components").forEach(c -> components.add(c.asLong()));
            return new CollectionJournal(manifests, components);
        } catch (IOException | RuntimeException e) {
            throw new CorruptStateException(store.layout().collection() + " is damaged (" + e.getMessage()
                    + "): it lists what an interrupted garbage collection was deleting; delete it, then run"
                    + " 'munet fsck --full' to list unreferenced files", e);
        }
    }

    /** Deletes everything listed, manifests first, then the journal itself. */
    void finish(StateStore store, java.util.function.Consumer<String> phases) {
        phases.accept("collect");
        for (Map.Entry<Long, ManifestKind> e : manifests.entrySet()) {
            store.deleteManifest(e.getKey(), e.getValue());
        }
        phases.accept("collect-components");
        for (long id : components) {
            store.deleteComponent(id);
        }
        try {
            store.files().delete(store.layout().collection());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + store.layout().collection() + ": " + e.getMessage(), e);
        }
    }

    /** The listed files that still exist, as leftovers for fsck. */
    List<Leftover> leftovers(StateStore store, java.util.Set<Long> manifestVersions, java.util.Set<Long> componentFiles) {
        List<Leftover> out = new ArrayList<>();
        manifests.forEach((v, kind) -> {
            if (manifestVersions.contains(v)) {
                out.add(new Leftover(Leftover.Kind.PENDING_COLLECTION, store.layout().manifest(v, kind).toString()));
            }
        });
        for (long id : components) {
            if (componentFiles.contains(id)) {
                out.add(new Leftover(Leftover.Kind.PENDING_COLLECTION, store.layout().component(id).toString()));
            }
        }
        return out;
    }
}

package org.munet.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Retention and garbage collection, run by the writer after each commit: drops the manifests its
 * {@link Retention} no longer keeps and deletes the component files that only they referenced.
 *
 * <p>Which versions go is decided from one listing of {@code manifest/}: a version is kept when it is
 * among the newest {@code keep_last} ones, when it is a checkpoint (task ends and the first version;
 * the generations of a migrated v1 state excepted, {@link StateFormat}), or when a kept delta is
 * written against it.
 *
 * <p>Which component files go, without reading every kept version: a component lives from the
 * version that promotes it until the version that drops it, and never comes back (ids are never
 * reused). So a component live in a dropped version is live in some kept version exactly when it is
 * live in the nearest kept version below or above it; only those three manifests are read (the
 * checkpoints among them once per run).
 *
 * <p>Crash safety: what goes is journaled first ({@link CollectionJournal}), manifests are deleted
 * before components, and a component is never deleted while a kept version references it, so a kill
 * anywhere leaves a readable state plus files the next collection removes. Only while holding the
 * state's {@link RunLock}. Staging is not touched: kept candidates' files are in {@code staging/}
 * until their commit, and the commit that references them is the newest version, always kept.
 */
public final class StateCollection {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many versions' component sets are remembered between collections: a visit's checkpoints. */
    private static final int REMEMBERED = 8;

    private final StateStore store;
    private final Retention retention;
    private final Consumer<String> phases;
    private final Set<Long> v1Generations;
    private final Map<Long, Set<Long>> liveSets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Set<Long>> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * @param phases told the phase a collection enters ("collect", "collect-components"), for the
     *     fault-injection tests that kill a writer there
     */
    public StateCollection(StateStore store, Retention retention, Consumer<String> phases) {
        this.store = store;
        this.retention = retention;
        this.phases = phases;
        this.v1Generations = StateFormat.v1Generations(store);
    }

    /** What one collection removed. */
    public record Collected(int manifests, int components) {}

    /**
     * Finishes an interrupted collection, then drops what the retention no longer keeps and the
     * component files only the dropped versions referenced.
     */
    public Collected collect() {
        CollectionJournal pending = CollectionJournal.read(store);
        if (pending != null) {
            pending.finish(store, phases);
        }
        if (retention.keepAll()) {
            return new Collected(0, 0);
        }
        NavigableMap<Long, ManifestKind> kinds = store.manifestKinds();
        SortedMap<Long, ManifestKind> dropped = dropped(kinds);
        if (dropped.isEmpty()) {
            return new Collected(0, 0);
        }
        NavigableMap<Long, ManifestKind> kept = new TreeMap<>(kinds);
        dropped.keySet().forEach(kept::remove);
        SortedSet<Long> dead = new TreeSet<>();
        for (Map.Entry<Long, ManifestKind> w : dropped.entrySet()) {
            Set<Long> only = new HashSet<>(live(w.getKey(), kinds));
            Map.Entry<Long, ManifestKind> below = kept.lowerEntry(w.getKey());
            if (below != null) {
                only.removeAll(live(below.getKey(), kinds));
            }
            only.removeAll(live(kept.higherKey(w.getKey()), kinds)); // the latest is kept: there is one above
            dead.addAll(only);
        }
        Set<Long> latest = live(kept.lastKey(), kinds);
        for (long id : dead) {
            if (latest.contains(id)) {
                throw new IllegalStateException("garbage collection would delete component " + id + ", which the"
                        + " latest version " + kept.lastKey() + " of " + store.uri() + " uses: refusing (a bug;"
                        + " the state is unchanged)");
            }
        }
        new CollectionJournal(dropped, dead).write(store);
        new CollectionJournal(dropped, dead).finish(store, phases);
        dropped.keySet().forEach(liveSets::remove);
        return new Collected(dropped.size(), dead.size());
    }

    /** The versions the retention no longer keeps, from the listing alone. */
    SortedMap<Long, ManifestKind> dropped(NavigableMap<Long, ManifestKind> kinds) {
        Set<Long> keep = new HashSet<>();
        Iterator<Long> newest = kinds.descendingKeySet().iterator();
        for (int i = 0; i < retention.keepLast() && newest.hasNext(); i++) {
            keep.add(newest.next());
        }
        for (Map.Entry<Long, ManifestKind> e : kinds.entrySet()) {
            if (e.getValue() == ManifestKind.CHECKPOINT && !v1Generations.contains(e.getKey())) {
                keep.add(e.getKey());
            }
        }
        for (long v : new ArrayList<>(keep)) {
            if (kinds.get(v) == ManifestKind.DELTA) {
                keep.add(store.baseOf(v, kinds));
            }
        }
        SortedMap<Long, ManifestKind> out = new TreeMap<>();
        kinds.forEach((v, kind) -> {
            if (!keep.contains(v)) {
                out.put(v, kind);
            }
        });
        return out;
    }

    /** The ids of the components version {@code v} holds (a delta's from its checkpoint's). */
    private Set<Long> live(long v, NavigableMap<Long, ManifestKind> kinds) {
        Set<Long> known = liveSets.get(v);
        if (known != null) {
            return known;
        }
        Set<Long> ids = new HashSet<>();
        JsonNode root = tree(v, kinds.get(v));
        if (kinds.get(v) == ManifestKind.CHECKPOINT) {
            root.get("components").forEach(c -> ids.add(c.get("id").asLong()));
        } else {
            ids.addAll(live(store.baseOf(v, kinds), kinds));
            root.get("components_removed").forEach(id -> ids.remove(id.asLong()));
            root.get("components_set").forEach(c -> ids.add(c.get("id").asLong()));
        }
        liveSets.put(v, ids);
        return ids;
    }

    private JsonNode tree(long v, ManifestKind kind) {
        try {
            return JSON.readTree(store.readManifest(v, kind));
        } catch (IOException e) {
            throw new CorruptStateException(store.layout().manifest(v, kind) + ": unreadable manifest ("
                    + e.getMessage() + "); run 'munet fsck --full'", e);
        }
    }

    /** The collection's own view of which versions it keeps, for fsck and tests: every listed one not dropped. */
    List<Long> kept() {
        NavigableMap<Long, ManifestKind> kinds = store.manifestKinds();
        List<Long> out = new ArrayList<>(kinds.keySet());
        out.removeAll(dropped(kinds).keySet());
        return out;
    }
}

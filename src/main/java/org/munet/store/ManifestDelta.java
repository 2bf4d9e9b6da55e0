package org.munet.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.munet.system.Component;
import org.munet.system.TaskPath;

/**
 * A version written as its changes from a checkpoint ({@code manifest/<N>.delta.json}): the header a
 * checkpoint has (progress, counters, seeds, identity), then only the components and paths that are
 * new or changed since the checkpoint ({@code components_set}, {@code paths_set}), the ids gone since
 * ({@code components_removed}, {@code paths_removed}) and the class names recorded since.
 *
 * <p>Why against the checkpoint and not the previous version: reading any version then takes two
 * files, and dropping an old version never breaks a newer one (only its checkpoint must stay). A
 * visit's deltas grow with what the visit did, which is bounded by its generations, and the visit's
 * end writes the next checkpoint.
 *
 * <p>The population keeps insertion order, and a delta reproduces it: entries of the checkpoint keep
 * their places (changed ones in place, removed ones dropped) and new entries follow in order. Every
 * change the engine makes has that shape; a change that does not is written as a checkpoint instead
 * ({@link #encode} returns empty).
 */
public final class ManifestDelta {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestDelta() {}

    /**
     * A checkpoint in memory, indexed for computing deltas against it: built once per task visit.
     *
     * @param version the checkpoint's version
     * @param state the system it holds
     */
    public record Base(long version, org.munet.system.SystemState state, Map<Long, Integer> componentIndex,
            Map<Long, Integer> pathIndex) {

        public static Base of(long version, org.munet.system.SystemState state) {
            Map<Long, Integer> components = new HashMap<>();
            for (Component c : state.population().components()) {
                components.put(c.id(), components.size());
            }
            Map<Long, Integer> paths = new HashMap<>();
            for (TaskPath p : state.population().paths()) {
                paths.put(p.id(), paths.size());
            }
            return new Base(version, state, components, paths);
        }
    }

    /**
     * Version {@code version} of {@code state} as changes from {@code base}, or empty when the change
     * does not keep the population's order (then the caller writes a checkpoint).
     */
    public static Optional<byte[]> encode(long version, Base base, org.munet.system.SystemState state) {
        ObjectNode root = SystemManifest.header(version, "delta", state);
        root.put("base", base.version());
        Optional<Changes> components = changes(state.population().components(),
                base.state().population().components(), base.componentIndex(), Component::id,
                SystemManifest::component);
        Optional<Changes> paths = changes(state.population().paths(), base.state().population().paths(),
                base.pathIndex(), TaskPath::id, SystemManifest::path);
        if (components.isEmpty() || paths.isEmpty()) {
            return Optional.empty();
        }
        root.set("components_removed", JSON.valueToTree(components.get().removed()));
        root.set("components_set", components.get().set());
        root.set("paths_removed", JSON.valueToTree(paths.get().removed()));
        root.set("paths_set", paths.get().set());
        ObjectNode names = JSON.createObjectNode();
        Map<String, List<String>> baseNames = base.state().classNames();
        state.classNames().forEach((task, list) -> {
            if (!list.equals(baseNames.get(task))) {
                names.set(task, JSON.valueToTree(list));
            }
        });
        if (!newKeysFollow(baseNames, state.classNames())) {
            return Optional.empty();
        }
        root.set("class_names_set", names);
        try {
            return Optional.of(JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Applies a delta to the checkpoint it was written against.
     *
     * @throws CorruptStateException when the delta names another base, removes what the base lacks,
     *     or is not a delta
     */
    public static SystemManifest.Loaded apply(SystemManifest.Loaded base, byte[] bytes, String source) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (!SystemManifest.FORMAT.equals(root.path("format").asText())
                    || !"delta".equals(root.path("kind").asText())) {
                throw new CorruptStateException(source + ": not a " + SystemManifest.FORMAT + " delta manifest");
            }
            long recordedBase = root.path("base").asLong(-1);
            if (recordedBase != base.version()) {
                throw new CorruptStateException(source + " was written against checkpoint " + recordedBase
                        + ", but the checkpoint below it is version " + base.version() + ": manifest/"
                        + recordedBase + ".json is missing; restore it from a backup");
            }
            List<Component> components = applied(base.population().components(), Component::id,
                    root.get("components_removed"), root.get("components_set"), SystemManifest::readComponent,
                    "component", source, base.version());
            List<TaskPath> paths = applied(base.population().paths(), TaskPath::id, root.get("paths_removed"),
                    root.get("paths_set"), SystemManifest::readPath, "path", source, base.version());
            Map<String, List<String>> names = new LinkedHashMap<>(base.state().classNames());
            names.putAll(JSON.convertValue(root.get("class_names_set"),
                    new TypeReference<LinkedHashMap<String, List<String>>>() {}));
            return SystemManifest.loaded(root, components, paths, names);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptStateException ce) {
                throw ce;
            }
            throw new CorruptStateException(source + ": unreadable delta manifest (" + e.getMessage() + ")", e);
        }
    }

    /** Reads one entry of a manifest (a component or a path). */
    private interface EntryReader<T> {
        T read(JsonNode json) throws IOException;
    }

    /**
     * The base's entries with a delta's removals and settings applied: removed ones dropped, set ones
     * replaced in place or, when new, appended in the delta's order (the order {@link #changes} expects).
     */
    private static <T> List<T> applied(List<T> base, java.util.function.ToLongFunction<T> id, JsonNode removed,
            JsonNode set, EntryReader<T> reader, String what, String source, long baseVersion) throws IOException {
        Map<Long, T> entries = new LinkedHashMap<>();
        base.forEach(e -> entries.put(id.applyAsLong(e), e));
        for (JsonNode gone : removed) {
            if (entries.remove(gone.asLong()) == null) {
                throw new CorruptStateException(source + " removes " + what + " " + gone.asLong()
                        + ", which its checkpoint " + baseVersion + " does not hold");
            }
        }
        for (JsonNode json : set) {
            T entry = reader.read(json);
            entries.put(id.applyAsLong(entry), entry);
        }
        return new ArrayList<>(entries.values());
    }

    /** One kind of entry's changes: the base's ids gone, in the base's order, and the entries new or changed. */
    private record Changes(List<Long> removed, ArrayNode set) {}

    /**
     * What changed from {@code before} (the base's entries) to {@code now}, or empty when {@code now}
     * is not in the order {@link #apply} rebuilds. Entries are compared by value, shared ones by
     * reference first (most are the very objects the base holds).
     */
    private static <T> Optional<Changes> changes(List<T> now, List<T> before, Map<Long, Integer> baseIndex,
            java.util.function.ToLongFunction<T> id, java.util.function.Function<T, ObjectNode> json) {
        List<Long> live = new ArrayList<>();
        if (!inOrder(now, id, baseIndex, live)) {
            return Optional.empty();
        }
        Map<Long, T> byId = new HashMap<>();
        before.forEach(e -> byId.put(id.applyAsLong(e), e));
        ArrayNode set = JSON.createArrayNode();
        for (T entry : now) {
            T old = byId.get(id.applyAsLong(entry));
            if (old != entry && !entry.equals(old)) {
                set.add(json.apply(entry));
            }
        }
        return Optional.of(new Changes(removed(baseIndex, live), set));
    }

    /**
     * Whether {@code entries} list the base's surviving entries in the base's order, then the new ones:
     * the order {@link #apply} rebuilds. Collects every entry's id into {@code ids}.
     */
    private static <T> boolean inOrder(List<T> entries, java.util.function.ToLongFunction<T> id,
            Map<Long, Integer> baseIndex, List<Long> ids) {
        int last = -1;
        boolean sawNew = false;
        for (T entry : entries) {
            long key = id.applyAsLong(entry);
            ids.add(key);
            Integer at = baseIndex.get(key);
            if (at == null) {
                sawNew = true;
            } else if (sawNew || at < last) {
                return false;
            } else {
                last = at;
            }
        }
        return true;
    }

    /** The base's ids that {@code live} no longer holds, in the base's order. */
    private static List<Long> removed(Map<Long, Integer> baseIndex, List<Long> live) {
        java.util.Set<Long> alive = new java.util.HashSet<>(live);
        List<Map.Entry<Long, Integer>> gone = new ArrayList<>();
        for (Map.Entry<Long, Integer> e : baseIndex.entrySet()) {
            if (!alive.contains(e.getKey())) {
                gone.add(e);
            }
        }
        gone.sort(Map.Entry.comparingByValue());
        List<Long> out = new ArrayList<>();
        gone.forEach(e -> out.add(e.getKey()));
        return out;
    }

    /** Whether {@code now} holds the base's tasks first, in the base's order, then the ones recorded since. */
    private static boolean newKeysFollow(Map<String, List<String>> base, Map<String, List<String>> now) {
        List<String> tasks = List.copyOf(now.keySet());
        return tasks.size() >= base.size() && tasks.subList(0, base.size()).equals(List.copyOf(base.keySet()));
    }
}

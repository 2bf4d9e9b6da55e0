package org.munet.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.munet.system.Component;
import org.munet.system.Hyperparams;
import org.munet.system.PathMetrics;
import org.munet.system.Population;
import org.munet.system.Progress;
import org.munet.system.SystemState;
import org.munet.system.TaskPath;

/**
 * One system version as JSON (the manifest): every live component with its locks and checksum,
 * every live path with hyperparameters and metrics in population order, the seed list, the id
 * counters and the run's progress. Plain JSON so that notebooks and other tools can read it.
 *
 * <p>This class writes and reads checkpoints, the whole system; {@link ManifestDelta} writes the
 * versions between them as changes. {@link #read} decodes a version however it was written.
 * Format {@value #FORMAT} adds {@code kind} and {@code task_end} to {@value #FORMAT_V1}, whose
 * manifests (all of them checkpoints) are read as they are.
 */
public final class SystemManifest {

    public static final String FORMAT = "munet-state-v2";
    /** The format of states written before deltas and retention: every version a whole manifest. */
    public static final String FORMAT_V1 = "munet-state-v1";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** A decoded version: its number and the system it holds. */
    public record Loaded(long version, SystemState state) {

        public Population population() {
            return state.population();
        }

        public Progress progress() {
            return state.progress();
        }

        /** Checksum of the configuration (and baseline) the state was created with. */
        public String configSha256() {
            return state.identity();
        }

        public long rootParams() {
            return state.rootParams();
        }

        public String continuedFrom() {
            return state.continuedFrom();
        }
    }

    private SystemManifest() {}

    /** Version {@code version} of a system as a checkpoint (the whole system). */
    public static byte[] encode(long version, SystemState state) {
        Population population = state.population();
        ObjectNode root = header(version, "checkpoint", state);
        root.put("task_end", isTaskEnd(state));
        // Per task, its class names in label order (absent in states written before they were kept).
        if (!state.classNames().isEmpty()) {
            root.set("class_names", JSON.valueToTree(state.classNames()));
        }
        ArrayNode components = root.putArray("components");
        for (Component c : population.components()) {
            components.add(component(c));
        }
        ArrayNode paths = root.putArray("paths");
        for (TaskPath p : population.paths()) {
            paths.add(path(p));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The fields every manifest opens with, checkpoint or delta: what version, how written, and the
     * system's small values (identity, progress, counters, seeds).
     */
    static ObjectNode header(long version, String kind, SystemState state) {
        Population population = state.population();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("kind", kind);
        root.put("version", version);
        root.put("written_at", Instant.now().toString());
        root.put("config_sha256", state.identity());
        root.put("root_params", state.rootParams());
        root.put("continued_from", state.continuedFrom());
        root.set("progress", JSON.valueToTree(state.progress()));
        root.put("next_path_id", population.nextPathId());
        root.put("next_component_id", population.nextComponentId());
        root.set("seeds", JSON.valueToTree(population.seeds()));
        return root;
    }

    /**
     * Whether a system stands between task visits: the end of a task (or a new system), which a state
     * keeps forever and writes as a checkpoint.
     */
    public static boolean isTaskEnd(SystemState state) {
        return !state.progress().taskStarted() && state.progress().generation() == 0;
    }

    public static ObjectNode component(Component c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", c.id());
        n.put("name", c.name());
        n.put("shape", c.shape());
        n.put("params", c.parameterCount());
        n.put("created_by_path", c.createdByPath());
        n.put("sha256", c.sha256());
        n.set("locks", JSON.valueToTree(c.locks()));
        return n;
    }

    public static ObjectNode path(TaskPath p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", p.id());
        n.put("task", p.task());
        if (p.parentId() == null) {
            n.putNull("parent");
        } else {
            n.put("parent", p.parentId());
        }
        n.set("components", JSON.valueToTree(p.componentIds()));
        n.set("hparams", JSON.valueToTree(p.hparams().asMap()));
        n.set("metrics", JSON.valueToTree(p.metrics()));
        return n;
    }

    /**
     * Reads and decodes committed version {@code version} of a state, a checkpoint or a delta (then
     * with the checkpoint it applies to).
     */
    public static Loaded read(StateStore store, long version) {
        return readWithBase(store, version).loaded();
    }

    /** A decoded version and the checkpoint it was written against (itself when it is one). */
    public record Chain(Loaded loaded, Loaded base) {}

    /** Reads {@code version} and its checkpoint; see {@link #read}. */
    public static Chain readWithBase(StateStore store, long version) {
        java.util.NavigableMap<Long, ManifestKind> kinds = store.manifestKinds();
        ManifestKind kind = kinds.get(version);
        if (kind != ManifestKind.DELTA) {
            Loaded loaded = decode(store.readManifest(version, ManifestKind.CHECKPOINT),
                    store.layout().manifest(version).toString());
            return new Chain(loaded, loaded);
        }
        long baseVersion = store.baseOf(version, kinds);
        Loaded base = decode(store.readManifest(baseVersion, ManifestKind.CHECKPOINT),
                store.layout().manifest(baseVersion).toString());
        return new Chain(ManifestDelta.apply(base, store.readManifest(version, ManifestKind.DELTA),
                store.layout().delta(version).toString()), base);
    }

    /** Decodes a checkpoint (either format). */
    public static Loaded decode(byte[] bytes, String source) {
        try {
            JsonNode root = JSON.readTree(bytes);
            String format = root.path("format").asText();
            if (!FORMAT.equals(format) && !FORMAT_V1.equals(format)) {
                throw new CorruptStateException(source + ": not a " + FORMAT + " or " + FORMAT_V1 + " manifest"
                        + (format.startsWith("munet-state-") ? " but " + format + ": written by a newer munet?" : ""));
            }
            if (FORMAT.equals(format) && !"checkpoint".equals(root.path("kind").asText())) {
                throw new CorruptStateException(source + ": a checkpoint's name holds a manifest of kind '"
                        + root.path("kind").asText() + "': a delta was renamed over a checkpoint");
            }
            List<Component> components = new ArrayList<>();
            for (JsonNode c : root.get("components")) {
                components.add(readComponent(c));
            }
            List<TaskPath> paths = new ArrayList<>();
            for (JsonNode p : root.get("paths")) {
                paths.add(readPath(p));
            }
            JsonNode names = root.get("class_names");
            Map<String, List<String>> classNames = names == null ? Map.of()
                    : JSON.convertValue(names, new TypeReference<LinkedHashMap<String, List<String>>>() {});
            return loaded(root, components, paths, classNames);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptStateException ce) {
                throw ce;
            }
            throw new CorruptStateException(source + ": unreadable manifest (" + e.getMessage() + ")", e);
        }
    }

    /** A version from its header's small values and its entries, checked as a population checks them. */
    static Loaded loaded(JsonNode root, List<Component> components, List<TaskPath> paths,
            Map<String, List<String>> classNames) throws IOException {
        List<Long> seeds = new ArrayList<>();
        root.get("seeds").forEach(s -> seeds.add(s.asLong()));
        Population population = Population.restore(components, paths, seeds, root.get("next_path_id").asLong(),
                root.get("next_component_id").asLong());
        Progress progress = JSON.treeToValue(root.get("progress"), Progress.class);
        JsonNode from = root.get("continued_from");
        return new Loaded(root.get("version").asLong(), new SystemState(population, progress,
                root.get("config_sha256").asText(), root.get("root_params").asLong(),
                from == null || from.isNull() ? null : from.asText(), classNames));
    }

    static Component readComponent(JsonNode c) {
        TreeSet<String> locks = new TreeSet<>();
        c.get("locks").forEach(l -> locks.add(l.asText()));
        return new Component(c.get("id").asLong(), c.get("name").asText(), c.get("shape").asText(),
                c.get("params").asLong(), c.get("created_by_path").asLong(), c.get("sha256").asText(), locks);
    }

    public static TaskPath readPath(JsonNode p) throws IOException {
        List<Long> ids = new ArrayList<>();
        p.get("components").forEach(c -> ids.add(c.asLong()));
        Map<String, Object> h = JSON.convertValue(p.get("hparams"), new TypeReference<LinkedHashMap<String, Object>>() {});
        PathMetrics metrics = JSON.treeToValue(p.get("metrics"), PathMetrics.class);
        JsonNode parent = p.get("parent");
        return new TaskPath(p.get("id").asLong(), p.get("task").asText(),
                parent == null || parent.isNull() ? null : parent.asLong(), ids, Hyperparams.of(h), metrics);
    }
}

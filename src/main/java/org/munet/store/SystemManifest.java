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
 */
public final class SystemManifest {

    public static final String FORMAT = "munet-state-v1";
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

    public static byte[] encode(long version, SystemState state) {
        Population population = state.population();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", version);
        root.put("written_at", Instant.now().toString());
        root.put("config_sha256", state.identity());
        root.put("root_params", state.rootParams());
        root.put("continued_from", state.continuedFrom());
        root.set("progress", JSON.valueToTree(state.progress()));
        root.put("next_path_id", population.nextPathId());
        root.put("next_component_id", population.nextComponentId());
        root.set("seeds", JSON.valueToTree(population.seeds()));
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

    /** Reads and decodes committed version {@code version} of a state. */
    public static Loaded read(StateStore store, long version) {
        return decode(store.readManifest(version), store.layout().manifest(version).toString());
    }

    public static Loaded decode(byte[] bytes, String source) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (!FORMAT.equals(root.path("format").asText())) {
                throw new CorruptStateException(source + ": not a " + FORMAT + " manifest");
            }
            Population population = Population.empty(root.get("next_path_id").asLong(),
                    root.get("next_component_id").asLong());
            for (JsonNode c : root.get("components")) {
                TreeSet<String> locks = new TreeSet<>();
                c.get("locks").forEach(l -> locks.add(l.asText()));
                population = population.withComponent(new Component(c.get("id").asLong(), c.get("name").asText(),
                        c.get("shape").asText(), c.get("params").asLong(), c.get("created_by_path").asLong(),
                        c.get("sha256").asText(), locks));
            }
            for (JsonNode p : root.get("paths")) {
                population = population.withPath(readPath(p));
            }
            List<Long> seeds = new ArrayList<>();
            root.get("seeds").forEach(s -> seeds.add(s.asLong()));
            Progress progress = JSON.treeToValue(root.get("progress"), Progress.class);
            JsonNode from = root.get("continued_from");
            JsonNode names = root.get("class_names");
            Map<String, List<String>> classNames = names == null ? Map.of()
                    : JSON.convertValue(names, new TypeReference<LinkedHashMap<String, List<String>>>() {});
            return new Loaded(root.get("version").asLong(), new SystemState(population.withSeeds(seeds), progress,
                    root.get("config_sha256").asText(), root.get("root_params").asLong(),
                    from == null || from.isNull() ? null : from.asText(), classNames));
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptStateException ce) {
                throw ce;
            }
            throw new CorruptStateException(source + ": unreadable manifest (" + e.getMessage() + ")", e);
        }
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

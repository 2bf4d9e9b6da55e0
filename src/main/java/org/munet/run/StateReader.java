package org.munet.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.munet.store.HadoopConf;
import org.munet.store.StateStore;
import org.munet.store.SystemManifest;

/** Read-only views of a state: the leaderboard and the history. Its consistency is {@code StateVerifier}'s to check. */
public final class StateReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateStore store;
    private final SystemManifest.Loaded latest;

    /** With this JVM's Hadoop configuration ({@link HadoopConf#forThisJvm()}). */
    public StateReader(String stateUri) {
        this(stateUri, HadoopConf.forThisJvm());
    }

    /** @param hadoop the command's Hadoop configuration */
    public StateReader(String stateUri, Configuration hadoop) {
        this.store = StateStore.open(stateUri, hadoop);
        OptionalLong v = store.latestVersion();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(store.uri() + " holds no committed system: run 'munet evolve"
                    + " --config FILE --state " + stateUri + "' first");
        }
        this.latest = SystemManifest.read(store, v.getAsLong());
    }

    public SystemManifest.Loaded latest() {
        return latest;
    }

    public StateStore store() {
        return store;
    }

    /** Each committed version's history file, by version; read once, since a report asks for it several ways. */
    private java.util.SortedMap<Long, String> historyTexts;

    private java.util.SortedMap<Long, String> historyTexts() {
        if (historyTexts == null) {
            java.util.SortedMap<Long, String> texts = new java.util.TreeMap<>();
            for (long v : store.historyVersions()) {
                texts.put(v, new String(store.readHistory(v), StandardCharsets.UTF_8));
            }
            historyTexts = texts;
        }
        return historyTexts;
    }

    /** Every path record ever written to the history, oldest first. */
    public List<Map<String, Object>> historyPaths() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<Long, String> history : historyTexts().entrySet()) {
            long v = history.getKey();
            for (String line : history.getValue().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Map<String, Object> record = JSON.readValue(line, new TypeReference<Map<String, Object>>() {});
                    if (record.get("path") instanceof Map<?, ?> p) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> path = (Map<String, Object>) p;
                        out.add(path);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(store.layout().history(v) + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    /**
     * Every test pass recorded at a task end ({@code {"test": ...}} history lines), oldest first;
     * none in states written before they were recorded.
     */
    public List<org.munet.evolution.TestRecord> historyTests() {
        List<org.munet.evolution.TestRecord> out = new ArrayList<>();
        // historyVersions leaves out a crashed commit's history: its tests never happened as far as the state knows
        for (Map.Entry<Long, String> history : historyTexts().entrySet()) {
            long v = history.getKey();
            for (String line : history.getValue().split("\n")) {
                if (line.isBlank() || !line.startsWith("{\"test\"")) {
                    continue;
                }
                try {
                    out.add(JSON.treeToValue(JSON.readTree(line).get("test"), org.munet.evolution.TestRecord.class));
                } catch (IOException e) {
                    throw new IllegalStateException(store.layout().history(v) + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    /**
     * Each version's size from its history's {"system": ...} line, by version; versions written before
     * those lines were recorded are absent (their manifests, where kept, say the same).
     */
    public java.util.SortedMap<Long, SystemSize> historySizes() {
        java.util.SortedMap<Long, SystemSize> out = new java.util.TreeMap<>();
        for (Map.Entry<Long, String> history : historyTexts().entrySet()) {
            long v = history.getKey();
            String text = history.getValue();
            int at = text.lastIndexOf("{\"system\":");
            if (at < 0) {
                continue;
            }
            String line = text.substring(at).strip();
            try {
                out.put(v, JSON.treeToValue(JSON.readTree(line).get("system"), SystemSize.class));
            } catch (IOException e) {
                throw new IllegalStateException(store.layout().history(v) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    public Leaderboard.Table leaderboard() {
        return Leaderboard.of(latest.population(), Leaderboard.computeByTask(historyPaths()),
                latest.progress().computeSeconds(), latest.version());
    }
}

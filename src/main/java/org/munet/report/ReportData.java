package org.munet.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.munet.run.Leaderboard;
import org.munet.evolution.TestRecord;
import org.munet.run.RunRecord;
import org.munet.run.StateReader;
import org.munet.run.SystemSize;
import org.munet.store.SystemManifest;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * Everything the morning report shows, read from one state (and optionally a baseline state): the
 * leaderboard, every version's size (growth), each task's best path's lineage with its validation
 * rounds (learning curves), which components each best path activates and who trained them
 * (architecture graph, sharing), and the compute spent.
 */
public final class ReportData {

    /** One version's size: what Figure 2 of the paper plots over the task stream. */
    public record Growth(long version, int tasks, long storedParams) {}

    /** One ancestor on a best path's lineage: its task and its validation accuracy after each round. */
    public record LineageStep(long pathId, String task, List<Double> evals) {}

    /** A task's best path's lineage, oldest ancestor first, and the best path's test accuracy. */
    public record Lineage(String task, List<LineageStep> steps, Double test) {}

    private final String stateUri;
    private final SystemManifest.Loaded latest;
    private final Leaderboard.Table leaderboard;
    private final Leaderboard.Table baseline;
    private final List<Growth> growth;
    private final Map<String, Lineage> lineages;
    private final Map<Long, String> trainedBy;
    private final List<RunRecord> runs;
    private final List<ContinualMetrics.Row> accuracyMatrix;

    private ReportData(String stateUri, SystemManifest.Loaded latest, Leaderboard.Table leaderboard,
            Leaderboard.Table baseline, List<Growth> growth, Map<String, Lineage> lineages,
            Map<Long, String> trainedBy, List<RunRecord> runs, List<ContinualMetrics.Row> accuracyMatrix) {
        this.runs = runs;
        this.accuracyMatrix = accuracyMatrix;
        this.stateUri = stateUri;
        this.latest = latest;
        this.leaderboard = leaderboard;
        this.baseline = baseline;
        this.growth = growth;
        this.lineages = lineages;
        this.trainedBy = trainedBy;
    }

    /** How many of the latest runs the report lists. */
    static final int RUNS = 10;

    /** @param baselineState a state to compare with (e.g. {@code evolve --baseline finetune_all}), or null */
    public static ReportData read(String state, String baselineState, Configuration hadoop) {
        StateReader reader = new StateReader(state, hadoop);
        List<Map<String, Object>> history = reader.historyPaths();
        SystemManifest.Loaded latest = reader.latest();
        List<Growth> growth = new ArrayList<>();
        // Sizes come from the history, which every version keeps; a version written before sizes were
        // recorded there is read from its manifest, when the state still keeps it.
        java.util.SortedMap<Long, SystemSize> sizes = reader.historySizes();
        java.util.Set<Long> kept = reader.store().manifestVersions();
        for (long v : new TreeSet<>(reader.store().historyVersions())) {
            SystemSize size = sizes.get(v);
            if (size == null && kept.contains(v)) {
                Population p = v == latest.version() ? latest.population()
                        : SystemManifest.read(reader.store(), v).population();
                size = SystemSize.of(p);
            }
            if (size != null) {
                growth.add(new Growth(v, size.tasks(), size.params()));
            }
        }
        Leaderboard.Table table = reader.leaderboard();
        Map<Long, Map<String, Object>> byId = new HashMap<>();
        for (Map<String, Object> h : history) {
            byId.put(((Number) h.get("id")).longValue(), h);
        }
        Map<String, Lineage> lineages = new LinkedHashMap<>();
        for (Leaderboard.Row row : table.rows()) {
            lineages.put(row.task(), lineage(row, byId));
        }
        Map<Long, String> trainedBy = new HashMap<>();
        for (Component c : latest.population().components()) {
            Map<String, Object> creator = byId.get(c.createdByPath());
            trainedBy.put(c.id(), creator == null ? Component.NOT_TRAINABLE : (String) creator.get("task"));
        }
        Leaderboard.Table base = baselineState == null ? null : new StateReader(baselineState, hadoop).leaderboard();
        return new ReportData(reader.store().uri().toString(), latest, table, base, growth, lineages, trainedBy,
                RunRecord.latest(reader.store(), RUNS), accuracyMatrix(reader.historyTests()));
    }

    /** R's rows: one per task end, each task's recorded test accuracy then, in the order they ended. */
    private static List<ContinualMetrics.Row> accuracyMatrix(List<TestRecord> tests) {
        Map<Integer, ContinualMetrics.Row> rows = new java.util.TreeMap<>();
        for (TestRecord t : tests) {
            rows.computeIfAbsent(t.visitIndex(), v -> new ContinualMetrics.Row(v, t.endedTask(), new LinkedHashMap<>()))
                    .accuracy().put(t.task(), t.accuracy());
        }
        return new ArrayList<>(rows.values());
    }

    /** Follows the recorded parents from the best path back to the root. */
    @SuppressWarnings("unchecked")
    private static Lineage lineage(Leaderboard.Row row, Map<Long, Map<String, Object>> byId) {
        List<LineageStep> steps = new ArrayList<>();
        Long id = row.pathId();
        while (id != null && byId.containsKey(id)) {
            Map<String, Object> p = byId.get(id);
            Map<String, Object> metrics = (Map<String, Object>) p.get("metrics");
            List<Double> evals = new ArrayList<>();
            for (Object e : (List<Object>) metrics.getOrDefault("evals", List.of())) {
                evals.add(((Number) e).doubleValue());
            }
            steps.add(0, new LineageStep(id, (String) p.get("task"), evals));
            Object parent = p.get("parent");
            id = parent == null ? null : ((Number) parent).longValue();
        }
        return new Lineage(row.task(), steps, row.test());
    }

    /** The continual-learning accuracy matrix's rows (empty for states written before tests were recorded). */
    public List<ContinualMetrics.Row> accuracyMatrix() {
        return accuracyMatrix;
    }

    /** Each task's class count, from its best path. */
    public Map<String, Integer> classCounts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        bestPaths().forEach((task, p) -> out.put(task, p.hparams().getInt(org.munet.system.HparamKeys.NUM_CLASSES)));
        return out;
    }

    /** The latest runs, newest first (none for a state written before runs were recorded). */
    public List<RunRecord> runs() {
        return runs;
    }

    public String stateUri() {
        return stateUri;
    }

    public SystemManifest.Loaded latest() {
        return latest;
    }

    public Leaderboard.Table leaderboard() {
        return leaderboard;
    }

    /** The baseline's leaderboard, or null when none was given. */
    public Leaderboard.Table baseline() {
        return baseline;
    }

    public List<Growth> growth() {
        return growth;
    }

    public Map<String, Lineage> lineages() {
        return lineages;
    }

    /** The task whose path created a live component ({@code NOT_TRAINABLE} for the root's). */
    public String trainedBy(long componentId) {
        return trainedBy.getOrDefault(componentId, Component.NOT_TRAINABLE);
    }

    /** The best live path of each task, in the leaderboard's order. */
    public Map<String, TaskPath> bestPaths() {
        Map<String, TaskPath> out = new LinkedHashMap<>();
        for (Leaderboard.Row row : leaderboard.rows()) {
            out.put(row.task(), latest.population().path(row.pathId()));
        }
        return out;
    }

    /** Parameters two tasks' best paths share (the same components), by task pair. */
    public long sharedParams(String a, String b) {
        TaskPath pa = bestPaths().get(a);
        TaskPath pb = bestPaths().get(b);
        long shared = 0;
        for (long id : pa.componentIds()) {
            if (pb.componentIds().contains(id)) {
                shared += latest.population().component(id).parameterCount();
            }
        }
        return shared;
    }

    /** The task's class names as recorded, or none. */
    public List<String> classNames(String task) {
        return latest.state().classNames().getOrDefault(task, List.of());
    }
}

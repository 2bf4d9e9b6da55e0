package org.munet.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * The morning report's table: per task its best live path with validation and test accuracy,
 * components, activated parameters, parameters new to the task and shared with others, and totals.
 */
public final class Leaderboard {

    /** One task's row. */
    public record Row(String task, long pathId, Double validation, Double test, int components,
            long activatedParams, long newParams, long sharedParams, int generation, double computeSeconds) {}

    /** The table and the system's totals. */
    public record Table(List<Row> rows, long storedParams, int tasks, double computeSeconds, long version) {}

    private Leaderboard() {}

    /**
     * @param computeByTask summed candidate training seconds per task (from the history)
     */
    public static Table of(Population population, Map<String, Double> computeByTask, double computeSeconds,
            long version) {
        List<Row> rows = new ArrayList<>();
        for (String task : population.tasks()) {
            TaskPath best = population.bestPath(task,
                    p -> p.metrics().quality() == null ? Double.NEGATIVE_INFINITY : p.metrics().quality());
            long activated = 0;
            long own = 0;
            for (Component c : population.componentsOf(best)) {
                activated += c.parameterCount();
                if (ownedOnlyBy(c, task)) {
                    own += c.parameterCount();
                }
            }
            rows.add(new Row(task, best.id(), best.metrics().quality(), best.metrics().testQuality(),
                    best.componentIds().size(), activated, own, activated - own, best.metrics().generation(),
                    computeByTask.getOrDefault(task, 0.0)));
        }
        long stored = 0;
        for (Component c : population.components()) {
            stored += c.parameterCount();
        }
        return new Table(rows, stored, rows.size(), computeSeconds, version);
    }

    /** A component is the task's own when no other task and not the root use it. */
    static boolean ownedOnlyBy(Component c, String task) {
        for (String lock : c.locks()) {
            if (!lock.equals(task)) {
                return false;
            }
        }
        return true;
    }

    /** Per-task compute from history lines' path records. */
    public static Map<String, Double> computeByTask(List<Map<String, Object>> historyPaths) {
        Map<String, Double> out = new HashMap<>();
        for (Map<String, Object> p : historyPaths) {
            Object metrics = p.get("metrics");
            if (metrics instanceof Map<?, ?> m && m.get("trainSeconds") instanceof Number n) {
                out.merge((String) p.get("task"), n.doubleValue(), Double::sum);
            }
        }
        return new LinkedHashMap<>(out);
    }
}

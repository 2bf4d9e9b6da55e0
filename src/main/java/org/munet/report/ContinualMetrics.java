package org.munet.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The continual-learning summaries of an accuracy matrix R (a row per task end, in order; a column
 * per task, filled once the task has been introduced), as Avalanche and Lopez-Paz &amp; Ranzato
 * define them, adapted to tasks that are revisited:
 *
 * <ul>
 *   <li>ACC: the mean of the last row;</li>
 *   <li>BWT: for every task whose last iteration ended before the last row, the last row's accuracy
 *       minus the accuracy right after that last iteration, averaged; µ2Net freezes a task's path at
 *       its end, so a measured non-zero BWT is a bug;</li>
 *   <li>forgetting per task: the largest drop from any row after its last iteration to the last row;</li>
 *   <li>FWT against the root: each task's accuracy when it was first introduced minus chance
 *       (1 / classes), i.e. what starting from the system beat starting from nothing; averaged.</li>
 * </ul>
 */
public record ContinualMetrics(double acc, double bwt, double fwt, Map<String, Double> forgetting) {

    /** One row of R: after which task's iteration, and each introduced task's test accuracy then. */
    public record Row(int visitIndex, String endedTask, Map<String, Double> accuracy) {}

    /**
     * @param rows R's rows in order
     * @param classes each task's class count (for chance)
     */
    public static ContinualMetrics of(List<Row> rows, Map<String, Integer> classes) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no task has ended yet: no accuracy matrix");
        }
        Row last = rows.get(rows.size() - 1);
        double acc = last.accuracy().values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        List<Double> transfers = new ArrayList<>();
        Map<String, Double> forgetting = new LinkedHashMap<>();
        List<Double> forward = new ArrayList<>();
        for (String task : last.accuracy().keySet()) {
            int trained = -1;
            int first = -1;
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).endedTask().equals(task)) {
                    trained = i;
                    first = first < 0 ? i : first;
                }
            }
            double end = last.accuracy().get(task);
            double worst = 0;
            for (int i = Math.max(trained, 0); i < rows.size(); i++) {
                Double a = rows.get(i).accuracy().get(task);
                if (a != null) {
                    worst = Math.max(worst, a - end);
                }
            }
            forgetting.put(task, worst);
            if (trained >= 0 && trained < rows.size() - 1) {
                transfers.add(end - rows.get(trained).accuracy().get(task));
            }
            Integer k = classes.get(task);
            if (first >= 0 && k != null && k > 0) {
                forward.add(rows.get(first).accuracy().get(task) - 1.0 / k);
            }
        }
        return new ContinualMetrics(acc, mean(transfers), mean(forward), forgetting);
    }

    private static double mean(List<Double> values) {
        return values.isEmpty() ? 0.0 : values.stream().mapToDouble(Double::doubleValue).average().orElse(0.0);
    }
}

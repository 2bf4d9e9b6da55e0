package org.munet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContinualMetricsTest {

    private static ContinualMetrics.Row row(int visit, String ended, Object... taskAccuracy) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < taskAccuracy.length; i += 2) {
            m.put((String) taskAccuracy[i], (Double) taskAccuracy[i + 1]);
        }
        return new ContinualMetrics.Row(visit, ended, m);
    }

    @Test
    void summariesOfAMatrixWithARevisitAndAForgottenTask() {
        List<ContinualMetrics.Row> rows = List.of(
                row(0, "a", "a", 0.80),
                row(1, "b", "a", 0.80, "b", 0.60),
                row(2, "a", "a", 0.90, "b", 0.55),  // a revisited and improved; b dropped (a bug in µ2Net)
                row(3, "c", "a", 0.90, "b", 0.50, "c", 0.70));
        ContinualMetrics m = ContinualMetrics.of(rows, Map.of("a", 10, "b", 2, "c", 4));
        assertEquals((0.90 + 0.50 + 0.70) / 3, m.acc(), 1e-12);
        // a: last trained at row 2 (0.90), final 0.90 -> 0; b: last trained at row 1 (0.60), final 0.50.
        assertEquals((0.0 + -0.10) / 2, m.bwt(), 1e-12);
        // At introduction: a 0.80 - 0.1, b 0.60 - 0.5, c 0.70 - 0.25.
        assertEquals((0.70 + 0.10 + 0.45) / 3, m.fwt(), 1e-12);
        assertEquals(0.0, m.forgetting().get("a"), 1e-12);
        assertEquals(0.10, m.forgetting().get("b"), 1e-12);
        assertEquals(0.0, m.forgetting().get("c"), 1e-12);
    }

    @Test
    void frozenTasksHaveNoBackwardTransfer() {
        ContinualMetrics m = ContinualMetrics.of(List.of(row(0, "a", "a", 0.8), row(1, "b", "a", 0.8, "b", 0.7)),
                Map.of("a", 10, "b", 10));
        assertEquals(0.0, m.bwt());
        assertThrows(IllegalArgumentException.class, () -> ContinualMetrics.of(List.of(), Map.of()));
    }
}

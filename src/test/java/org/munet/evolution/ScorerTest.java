package org.munet.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.munet.system.Component;
import org.munet.system.PathMetrics;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/** The score and 1/k parameter accounting (spec §4, §10.1-2). */
class ScorerTest {

    private static final String NT = Component.NOT_TRAINABLE;

    private static Component c(long params, String... locks) {
        return new Component(1, "x", "[1]", params, -1, "sha", Set.of(locks));
    }

    @Test
    void accountedParamsSplitAmongOwners() {
        assertEquals(100.0, Scorer.accountedParams(List.of(c(100, "A")), "A"));             // {A}
        assertEquals(50.0, Scorer.accountedParams(List.of(c(100, "A")), "B"));              // {A,B}
        assertEquals(100.0 / 3, Scorer.accountedParams(List.of(c(100, "A", "B", "C")), "A"), 1e-12); // 33.33
        assertEquals(100.0, Scorer.accountedParams(List.of(c(100, NT)), "A"));              // root excluded
        assertEquals(50.0, Scorer.accountedParams(List.of(c(100, NT, "B")), "A"));          // {A,B}
        assertEquals(100.0, Scorer.accountedParams(List.of(c(100)), "A"));                  // new component
        // a sum over components: 100/2 + 60/1 = 110
        assertEquals(110.0, Scorer.accountedParams(List.of(c(100, "B"), c(60, "A")), "A"));
    }

    @Test
    void rootPathIsNaN() {
        assertTrue(Double.isNaN(Scorer.accountedParams(List.of(c(100, NT)), NT)));
    }

    @Test
    void scoreFormula() {
        Scorer s = new Scorer(0.9, 1000);
        // 0.8 * 0.9^(500/1000) = 0.8 * sqrt(0.9) = 0.8 * 0.9486832980505138 = 0.7589466384404111
        assertEquals(0.7589466384404111, s.score(0.8, 500), 1e-12);
        // all own params: 0.8 * 0.9^1 = 0.72
        assertEquals(0.72, s.score(0.8, 1000), 1e-12);
        assertEquals(0.8, s.score(0.8, 0), 1e-15);
    }

    @Test
    void baseOneIsPlainQuality() {
        Scorer s = new Scorer(1.0, 1000);
        assertEquals(0.8, s.score(0.8, 500));
        assertEquals(0.8, s.score(0.8, 1e12));
    }

    @Test
    void baseOutOfRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Scorer(0.0, 1000));
        assertThrows(IllegalArgumentException.class, () -> new Scorer(1.01, 1000));
    }

    @Test
    void rootAndUnscoredPathsScoreMinusInfinity() {
        Population pop = new Population(0, 0);
        Scorer s = new Scorer(1.0, 1000);
        PathMetrics rootMetrics = new PathMetrics();
        rootMetrics.quality = 0.9; // even with a quality the root never competes
        TaskPath root = new TaskPath(0, NT, null, List.of(), PolicyFixtures.hparams(0.1), rootMetrics);
        TaskPath none = new TaskPath(1, "A", null, List.of(), PolicyFixtures.hparams(0.1), new PathMetrics());
        PathMetrics nanMetrics = new PathMetrics();
        nanMetrics.quality = Double.NaN;
        TaskPath nan = new TaskPath(2, "A", null, List.of(), PolicyFixtures.hparams(0.1), nanMetrics);
        pop.addPath(root);
        pop.addPath(none);
        pop.addPath(nan);
        assertEquals(Double.NEGATIVE_INFINITY, s.score(pop, root));
        assertEquals(Double.NEGATIVE_INFINITY, s.score(pop, none));
        assertEquals(Double.NEGATIVE_INFINITY, s.score(pop, nan));
    }

    @Test
    void scoreRisesLiveWhenAnotherTaskAdoptsComponents() {
        // root component r (100, {NT}); A's own x (1000). P = 1000, base 0.9.
        Population pop = new Population(0, 0);
        pop.addComponent(new Component(0, "r", "[1]", 100, -1, "s0", Set.of(NT)));
        pop.addComponent(new Component(1, "x", "[1]", 1000, -1, "s1", Set.of()));
        pop.addPath(new TaskPath(0, NT, null, List.of(0L), PolicyFixtures.hparams(0.1), new PathMetrics()));
        PathMetrics ma = new PathMetrics();
        ma.quality = 0.8;
        TaskPath a = new TaskPath(1, "A", 0L, List.of(0L, 1L), PolicyFixtures.hparams(0.1), ma);
        pop.addPath(a);
        Scorer s = new Scorer(0.9, 1000);
        pop.endTask("A", p -> s.score(pop, p));
        // r: owners {A} -> 100; x: {A} -> 1000; 1100 -> 0.8 * 0.9^1.1 = 0.7124538659084744
        assertEquals(1100.0, s.accountedParams(pop, a), 1e-9);
        assertEquals(0.7124538659084744, s.score(pop, a), 1e-12);

        PathMetrics mb = new PathMetrics();
        mb.quality = 0.7;
        pop.addPath(new TaskPath(2, "B", 1L, List.of(0L, 1L), PolicyFixtures.hparams(0.1), mb));
        pop.endTask("B", p -> s.score(pop, p));
        // r: {A,B} -> 50; x: {A,B} -> 500; 550 -> 0.8 * 0.9^0.55 = 0.7549590006926068
        assertEquals(550.0, s.accountedParams(pop, a), 1e-9);
        assertEquals(0.7549590006926068, s.score(pop, a), 1e-12);

        pop.lock(1, "C"); // a third owner: x -> 1000/3; r still 50 -> 383.33
        assertEquals(50 + 1000.0 / 3, s.accountedParams(pop, a), 1e-9);
        assertTrue(s.score(pop, a) > 0.7549590006926068);
    }
}

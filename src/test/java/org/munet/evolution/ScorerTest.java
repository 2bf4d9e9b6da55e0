package org.munet.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.munet.system.Component;
import org.munet.system.PathMetrics;
import org.munet.system.Population;
import org.munet.system.TaskPath;
import org.munet.testing.PopulationBuilder;

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
        Scorer s = new Scorer(1.0, 1000);
        PathMetrics rootMetrics = PolicyFixtures.quality(0.9); // even with a quality the root never competes
        TaskPath root = new TaskPath(0, NT, null, List.of(), PolicyFixtures.hparams(0.1), rootMetrics);
        TaskPath none = new TaskPath(1, "A", null, List.of(), PolicyFixtures.hparams(0.1), PathMetrics.none());
        PathMetrics nanMetrics = PolicyFixtures.quality(Double.NaN);
        TaskPath nan = new TaskPath(2, "A", null, List.of(), PolicyFixtures.hparams(0.1), nanMetrics);
        Population pop = Population.empty(0, 0).withPath(root).withPath(none).withPath(nan);
        assertEquals(Double.NEGATIVE_INFINITY, s.score(pop, root));
        assertEquals(Double.NEGATIVE_INFINITY, s.score(pop, none));
        assertEquals(Double.NEGATIVE_INFINITY, s.score(pop, nan));
    }

    @Test
    void scoreRisesLiveWhenAnotherTaskAdoptsComponents() {
        // root component r (100, {NT}); A's own x (1000). P = 1000, base 0.9.
        Scorer s = new Scorer(0.9, 1000);
        EndedA ended = endedA(s);
        Population duringA = ended.duringA();
        Population pop = ended.afterA();
        TaskPath a = pop.path(1);
        // r: owners {A} -> 100; x: {A} -> 1000; 1100 -> 0.8 * 0.9^1.1 = 0.7124538659084744
        assertEquals(1100.0, s.accountedParams(pop, a), 1e-9);
        assertEquals(0.7124538659084744, s.score(pop, a), 1e-12);
        // the population A's end started from still has x unlocked: r 100 + x 1000 as well
        assertEquals(1100.0, s.accountedParams(duringA, a), 1e-9);

        TaskPath b = new TaskPath(2, "B", 1L, List.of(0L, 1L), PolicyFixtures.hparams(0.1),
                PolicyFixtures.quality(0.7));
        Population duringB = pop.withPath(b);
        Population afterB = duringB.endTask("B", p -> s.score(duringB, p));
        // r: {A,B} -> 50; x: {A,B} -> 500; 550 -> 0.8 * 0.9^0.55 = 0.7549590006926068
        assertEquals(550.0, s.accountedParams(afterB, a), 1e-9);
        assertEquals(0.7549590006926068, s.score(afterB, a), 1e-12);
        assertEquals(0.7124538659084744, s.score(pop, a), 1e-12); // the value before B's end is as it was

        Population adopted = afterB.withLock(1, "C"); // a third owner: x -> 1000/3; r still 50 -> 383.33
        assertEquals(50 + 1000.0 / 3, s.accountedParams(adopted, a), 1e-9);
        assertTrue(s.score(adopted, a) > 0.7549590006926068);
        assertEquals(550.0, s.accountedParams(afterB, a), 1e-9);
    }

    /** The population of the test above before and after the end of A's iteration. */
    private record EndedA(Population duringA, Population afterA) {}

    /** root component r (100, {NT}); A's own x (1000); the root path 0 and A's path 1 (quality 0.8). */
    private static EndedA endedA(Scorer s) {
        PopulationBuilder b = new PopulationBuilder();
        b.addComponent(new Component(0, "r", "[1]", 100, -1, "s0", Set.of(NT)));
        b.addComponent(new Component(1, "x", "[1]", 1000, -1, "s1", Set.of()));
        b.addPath(new TaskPath(0, NT, null, List.of(0L), PolicyFixtures.hparams(0.1), PathMetrics.none()));
        b.addPath(new TaskPath(1, "A", 0L, List.of(0L, 1L), PolicyFixtures.hparams(0.1),
                PolicyFixtures.quality(0.8)));
        Population duringA = b.get();
        return new EndedA(duringA, duringA.endTask("A", p -> s.score(duringA, p)));
    }

    // ---- the keep rule (spec §2.5, §4) ----

    @Test
    void penaltyIsTheScorePerUnitOfQuality() {
        Scorer s = new Scorer(0.9, 1000);
        assertEquals(Math.sqrt(0.9), s.penalty(500), 1e-15);
        assertEquals(0.9, s.penalty(1000), 1e-15);
        assertEquals(1.0, s.penalty(0), 1e-15);
        assertEquals(s.score(0.8, 500), 0.8 * s.penalty(500), 1e-15);
        Scorer one = new Scorer(1.0, 1000);
        assertEquals(1.0, one.penalty(500));
        assertEquals(1.0, one.penalty(1e12));
    }

    @Test
    void keepRuleScoresQualityTimesPenalty() {
        KeepRule rule = new KeepRule(0.9, 0.5);
        assertEquals(0.72, rule.score(0.8), 1e-15);
        assertEquals(0.0, rule.score(0.0));
        assertTrue(Double.isNaN(rule.score(Double.NaN)));
        // the same number the scorer gives for the same accounted parameters
        Scorer s = new Scorer(0.9, 1000);
        assertEquals(s.score(0.8, 500), new KeepRule(s.penalty(500), 0.5).score(0.8), 1e-15);
    }

    @Test
    void keepRuleKeepsAtOrAboveTheScoreToBeat() {
        KeepRule rule = new KeepRule(1.0, 0.7);
        assertTrue(rule.keeps(0.7));                     // ties keep (the later snapshot)
        assertTrue(rule.keeps(0.71));
        assertFalse(rule.keeps(Math.nextDown(0.7)));
        assertFalse(rule.keeps(Double.NaN));             // a NaN score never beats anything
        KeepRule anything = new KeepRule(1.0, Double.NEGATIVE_INFINITY);
        assertTrue(anything.keeps(0.0));
        assertTrue(anything.keeps(Double.NEGATIVE_INFINITY));
    }

    @Test
    void keepRuleImprovedWhenAnyValidationIsKept() {
        KeepRule rule = new KeepRule(0.9, 0.5);
        assertFalse(rule.improved(List.of()));
        assertFalse(rule.improved(List.of(0.5, 0.55)));         // 0.45, 0.495: none reaches 0.5
        assertTrue(rule.improved(List.of(0.3, 0.6, 0.1)));      // 0.54 is kept, wherever it is
        assertTrue(new KeepRule(1.0, 0.7).improved(List.of(0.2, 0.7))); // a tie is kept
        assertFalse(new KeepRule(1.0, 0.7).improved(List.of(Double.NaN)));
        assertTrue(new KeepRule(1.0, Double.NEGATIVE_INFINITY).improved(List.of(0.0)));
    }

    @Test
    void keepRuleBeatsASameTaskParentsScoreAndAnythingOtherwise() {
        Scorer s = new Scorer(0.9, 1000);
        Population pop = endedA(s).afterA();
        TaskPath a = pop.path(1);
        TaskPath root = pop.path(0);

        KeepRule same = s.keepRule(pop, a, "A", 500);
        assertEquals(s.score(pop, a), same.scoreToBeat());
        assertEquals(0.7124538659084744, same.scoreToBeat(), 1e-12);
        assertEquals(s.penalty(500), same.penalty());
        assertEquals(Math.sqrt(0.9), same.penalty(), 1e-15);
        // 0.8 * sqrt(0.9) = 0.7589 >= 0.7125: kept; 0.75 * sqrt(0.9) = 0.7115 < 0.7125: not
        assertTrue(same.improved(List.of(0.8)));
        assertFalse(same.improved(List.of(0.75)));

        KeepRule other = s.keepRule(pop, a, "B", 500); // another task's parent: any validation is kept
        assertEquals(Double.NEGATIVE_INFINITY, other.scoreToBeat());
        assertEquals(s.penalty(500), other.penalty());
        assertTrue(other.improved(List.of(0.01)));
        KeepRule fromRoot = s.keepRule(pop, root, "A", 1000);
        assertEquals(Double.NEGATIVE_INFINITY, fromRoot.scoreToBeat());
        assertEquals(0.9, fromRoot.penalty(), 1e-15);

        // the score to beat follows the live locks: once C adopts x, A's parent scores higher
        Population adopted = pop.withLock(1, "C");
        assertTrue(s.keepRule(adopted, a, "A", 500).scoreToBeat() > same.scoreToBeat());
        assertEquals(0.7124538659084744, s.keepRule(pop, a, "A", 500).scoreToBeat(), 1e-12);
    }
}

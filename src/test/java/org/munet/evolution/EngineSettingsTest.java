package org.munet.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Budget arithmetic (spec §2.1, §2.5) and the per-position random streams. */
class EngineSettingsTest {

    private static EngineSettings settings(int d, int samples, int iterations, int batch, int cap, TaskSpec... tasks) {
        return new EngineSettings(List.of(tasks), null, 1.0, d, samples, iterations, batch, 5, cap, 5120, 1L,
                WorkerCaches.DEFAULTS, 1);
    }

    @Test
    void generationsAreCeilSamplesOverD() {
        TaskSpec t = new TaskSpec("mnist", 10, 57000);
        assertEquals(4, settings(8, 32, 1, 512, 51200, t).generationsPerTask());  // 32/8
        assertEquals(5, settings(8, 33, 1, 512, 51200, t).generationsPerTask());  // ceil(4.125)
        assertEquals(1, settings(8, 7, 1, 512, 51200, t).generationsPerTask());   // ceil(0.875)
        assertEquals(22, settings(3, 64, 1, 512, 51200, t).generationsPerTask()); // ceil(21.33)
        assertEquals(16, settings(8, 128, 1, 512, 51200, t).generationsPerTask()); // ViT-L on 8 devices
        assertEquals(4, settings(32, 128, 1, 512, 51200, t).generationsPerTask()); // ViT-L on 32 cores
    }

    @Test
    void stepsPerValidationAreCeilOfCappedExamplesOverBatch() {
        EngineSettings s = settings(8, 32, 2, 512, 51200);
        assertEquals(100, s.stepsPerValidation(new TaskSpec("mnist", 10, 57000))); // min(57000, 51200)/512
        assertEquals(2, s.stepsPerValidation(new TaskSpec("small", 10, 1000)));    // ceil(1.95)
        assertEquals(1, s.stepsPerValidation(new TaskSpec("b", 10, 512)));
        assertEquals(2, s.stepsPerValidation(new TaskSpec("b", 10, 513)));
        // L config: cap 128,116, B 64 -> ceil(2001.8) = 2002
        assertEquals(2002, settings(32, 128, 1, 64, 128116).stepsPerValidation(new TaskSpec("in", 1000, 1281167)));
    }

    @Test
    void totalVisitsAreIterationsTimesTasks() {
        TaskSpec a = new TaskSpec("a", 10, 100);
        TaskSpec b = new TaskSpec("b", 10, 100);
        TaskSpec c = new TaskSpec("c", 10, 100);
        assertEquals(6, settings(8, 32, 2, 512, 51200, a, b, c).totalVisits());
    }

    /**
     * The streams a run draws from are part of what replay and resume reproduce: the values are
     * pinned, so a change to {@code mix} (constants, order of its inputs) fails here instead of
     * silently changing every evolved system.
     */
    @Test
    void mixKeepsItsPinnedValues() {
        assertEquals(-1110518882549729806L, EvolutionEngine.mix(7, 2, 3, 0));
        assertEquals(3427136223743473302L, EvolutionEngine.mix(7, 2, 3, 1));
        assertEquals(-3573241140134638045L, EvolutionEngine.mix(1, 0, -1, 0));
        assertEquals(-823062725967325811L, EvolutionEngine.mix(1, 0, 0, 0));
        assertEquals(3137568608675321577L, EvolutionEngine.mix(1, 0, 0, 1));
        assertEquals(-9070157597672858994L, EvolutionEngine.mix(3, 1, 2, 0));
    }

    @Test
    void mixSeparatesSeedsLoopsGenerationsAndStreams() {
        Set<Long> seen = new HashSet<>();
        int positions = 0;
        for (long seed = 0; seed < 8; seed++) {
            for (int visitIndex = 0; visitIndex < 40; visitIndex++) {
                for (int gen = -1; gen < 40; gen++) {
                    for (int stream = 0; stream < 2; stream++) {
                        seen.add(EvolutionEngine.mix(seed, visitIndex, gen, stream));
                        positions++;
                    }
                }
            }
        }
        assertEquals(positions, seen.size(), "two positions (seed, visitIndex, generation, stream) share a seed");
        for (int a = 0; a < 40; a++) {
            for (int b = 0; b < 40; b++) {
                if (a != b) {
                    assertNotEquals(EvolutionEngine.mix(7, a, b, 0), EvolutionEngine.mix(7, b, a, 0),
                            "loop and generation swapped: " + a + ", " + b);
                    assertNotEquals(EvolutionEngine.mix(7, a, 0, b), EvolutionEngine.mix(7, b, 0, a),
                            "loop and stream swapped: " + a + ", " + b);
                }
            }
        }
        // The candidate stream (0) and the data stream (1) of one generation are unrelated draws.
        for (int gen = 0; gen < 40; gen++) {
            SplittableRandom candidates = new SplittableRandom(EvolutionEngine.mix(7, 1, gen, 0));
            SplittableRandom data = new SplittableRandom(EvolutionEngine.mix(7, 1, gen, 1));
            assertNotEquals(candidates.nextLong(), data.nextLong(), "generation " + gen);
        }
    }

    /**
     * A run resumed at a position draws what an uninterrupted run draws there: the value depends on
     * the position alone, not on which positions were drawn before it or for which seed.
     */
    @Test
    void aResumedPositionGetsTheUninterruptedValue() {
        List<Long> uninterrupted = new ArrayList<>();
        for (int visitIndex = 0; visitIndex < 4; visitIndex++) {
            for (int gen = -1; gen < 5; gen++) {
                uninterrupted.add(EvolutionEngine.mix(11, visitIndex, gen, 0));
            }
        }
        // Another run in the same JVM, then the resumed run from visit 2, generation 3, backwards.
        for (int gen = -1; gen < 5; gen++) {
            EvolutionEngine.mix(12, 0, gen, 0);
        }
        int resumeAt = 2 * 6 + (3 + 1);
        for (int i = uninterrupted.size() - 1; i >= resumeAt; i--) {
            int visitIndex = i / 6;
            int gen = i % 6 - 1;
            assertEquals(uninterrupted.get(i), EvolutionEngine.mix(11, visitIndex, gen, 0),
                    "visit " + visitIndex + " generation " + gen);
        }
    }
}

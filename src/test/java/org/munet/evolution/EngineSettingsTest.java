package org.munet.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Budget arithmetic (spec §2.1, §2.5) and the per-position random streams. */
class EngineSettingsTest {

    private static EngineSettings settings(int d, int samples, int iterations, int batch, int cap, TaskSpec... tasks) {
        return new EngineSettings(List.of(tasks), null, 1.0, d, samples, iterations, batch, 5, cap, 5120, 1L,
                "data", 1);
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
    void totalLoopsAreIterationsTimesTasks() {
        TaskSpec a = new TaskSpec("a", 10, 100);
        TaskSpec b = new TaskSpec("b", 10, 100);
        TaskSpec c = new TaskSpec("c", 10, 100);
        assertEquals(6, settings(8, 32, 2, 512, 51200, a, b, c).totalLoops());
    }

    @Test
    void mixIsDeterministicAndSeparatesPositions() {
        assertEquals(EvolutionEngine.mix(7, 2, 3, 0), EvolutionEngine.mix(7, 2, 3, 0));
        Set<Long> seen = new HashSet<>();
        for (int loop = 0; loop < 10; loop++) {
            for (int gen = -1; gen < 10; gen++) {
                for (int stream = 0; stream < 2; stream++) {
                    seen.add(EvolutionEngine.mix(7, loop, gen, stream));
                }
            }
        }
        assertEquals(10 * 11 * 2, seen.size());
        assertNotEquals(EvolutionEngine.mix(7, 0, 0, 0), EvolutionEngine.mix(8, 0, 0, 0));
    }
}

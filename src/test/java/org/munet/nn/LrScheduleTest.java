package org.munet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.munet.system.HparamKeys;

class LrScheduleTest {

    private static final double EPS = 1e-12;

    @Test
    void constantIsHalfTheLearningRate() {
        assertEquals(0.05, LrSchedule.CONSTANT.at(0, 0.1, 0.1, 4, 100), EPS);
        assertEquals(0.05, LrSchedule.CONSTANT.at(399, 0.1, 0.1, 4, 100), EPS);
    }

    @Test
    void cosineWarmsUpFromOneHundredthThenDecaysToZero() {
        // T = 4 x 100 = 400 steps, warmup int(0.1 * 400) = 40 steps
        assertEquals(0.001, LrSchedule.COSINE.at(0, 0.1, 0.1, 4, 100), EPS);
        assertEquals(0.001 + 0.099 * 20 / 40, LrSchedule.COSINE.at(20, 0.1, 0.1, 4, 100), EPS);
        assertEquals(0.1, LrSchedule.COSINE.at(40, 0.1, 0.1, 4, 100), EPS);
        // halfway through the 360 decay steps: cos(pi/2) = 0 -> peak / 2
        assertEquals(0.05, LrSchedule.COSINE.at(220, 0.1, 0.1, 4, 100), EPS);
        assertEquals(0.0, LrSchedule.COSINE.at(400, 0.1, 0.1, 4, 100), EPS);
    }

    @Test
    void cosineWithoutWarmupStartsAtPeak() {
        assertEquals(0.2, LrSchedule.COSINE.at(0, 0.2, 0.0, 2, 50), EPS);
        assertEquals(0.1, LrSchedule.COSINE.at(50, 0.2, 0.0, 2, 50), EPS);
    }

    @Test
    void restartsRepeatsOneCyclePerValidation() {
        // Nb = 100, warmup int(0.1 * 100) = 10 steps per cycle
        assertEquals(0.001, LrSchedule.RESTARTS.at(0, 0.1, 0.1, 4, 100), EPS);
        assertEquals(0.1, LrSchedule.RESTARTS.at(10, 0.1, 0.1, 4, 100), EPS);
        assertEquals(0.05, LrSchedule.RESTARTS.at(55, 0.1, 0.1, 4, 100), EPS);
        assertEquals(0.001, LrSchedule.RESTARTS.at(100, 0.1, 0.1, 4, 100), EPS);
        assertEquals(LrSchedule.RESTARTS.at(55, 0.1, 0.1, 4, 100),
                LrSchedule.RESTARTS.at(355, 0.1, 0.1, 4, 100), EPS);
    }

    @Test
    void keysParseAndUnknownKeysFail() {
        assertEquals(LrSchedule.RESTARTS, LrSchedule.fromKey("restarts"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LrSchedule.fromKey("linear"));
        assertEquals("unknown opt_lr_schedule 'linear'; known: constant, cosine, restarts", e.getMessage());
    }

    @Test
    void theConfigAcceptsExactlyTheseSchedules() {
        assertEquals(HparamKeys.LR_SCHEDULES, Arrays.stream(LrSchedule.values()).map(LrSchedule::key).toList());
    }
}

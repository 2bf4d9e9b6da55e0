package org.munet.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunBudgetTest {

    @Test
    void stopsBeforeAGenerationThatWouldNotFit() {
        RunBudget b = new RunBudget(Duration.ofMinutes(10), null);
        assertNull(b.stopBefore(0, 0, 0), "the first generation always runs");
        assertNull(b.stopBefore(5, 400, 100), "400 s + 125 s fits in 600 s");
        String why = b.stopBefore(6, 500, 100);
        assertNotNull(why, "500 s + 125 s does not fit");
        assertTrue(why.startsWith("time budget"), why);
    }

    @Test
    void stopsAfterMaxGenerations() {
        RunBudget b = new RunBudget(null, 3);
        assertNull(b.stopBefore(2, 1e9, 1e9));
        assertEquals("max generations (3) reached", b.stopBefore(3, 0, 0));
        assertNull(RunBudget.unlimited().stopBefore(1000, 1e9, 1e9));
    }

    @Test
    void durationsAsOperatorsWriteThem() {
        assertEquals(Duration.ofHours(6), RunBudget.parseDuration("6h"));
        assertEquals(Duration.ofMinutes(90), RunBudget.parseDuration("1h30m"));
        assertEquals(Duration.ofSeconds(90), RunBudget.parseDuration("90s"));
        assertEquals(Duration.ofDays(2), RunBudget.parseDuration("2d"));
        assertEquals(Duration.ofHours(6), RunBudget.parseDuration("PT6H"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunBudget.parseDuration("6 hours"));
        assertTrue(e.getMessage().contains("e.g. 90s, 45m, 6h"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RunBudget(Duration.ZERO, null));
        assertThrows(IllegalArgumentException.class, () -> new RunBudget(null, 0));
    }
}

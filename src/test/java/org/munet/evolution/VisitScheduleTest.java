package org.munet.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.munet.data.DatasetException;
import org.munet.system.Progress;

class VisitScheduleTest {

    private static TaskSpec spec(String name) {
        if (name.startsWith("bad")) {
            throw new DatasetException(name + ": truncated");
        }
        return new TaskSpec(name, 10, 100);
    }

    /** The tasks a schedule visits from {@code p} on, as a run without budget would. */
    private static List<String> order(VisitSchedule s, Progress p, int max) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            Visit v = s.next(p);
            if (v == null) {
                break;
            }
            out.add(v.task().name() + "#" + v.iteration());
            p = p.startVisit(v.task().name()).endVisit();
        }
        return out;
    }

    @Test
    void onAFixedListItIsTheReferenceRoundRobin() {
        VisitSchedule s = new VisitSchedule(List.of("a", "b", "c"), 2, VisitScheduleTest::spec);
        assertEquals(List.of("a#1", "b#1", "c#1", "a#2", "b#2", "c#2"), order(s, Progress.start(), 10));
    }

    @Test
    void newTasksComeFirstThenTheLeastRecentlyVisited() {
        VisitSchedule first = new VisitSchedule(List.of("a", "b"), null, VisitScheduleTest::spec);
        Progress p = Progress.start();
        for (String t : List.of("a", "b", "a")) { // a night that ended after revisiting a
            Visit v = first.next(p);
            assertEquals(t, v.task().name());
            p = p.startVisit(t).endVisit();
        }
        // The catalog gains c (inserted first): c is new, then b (visited before a's revisit), then a.
        VisitSchedule second = new VisitSchedule(List.of("c", "a", "b"), null, VisitScheduleTest::spec);
        assertEquals(List.of("c#1", "b#2", "a#3", "c#2"), order(second, p, 4));
    }

    @Test
    void badTasksAreSkippedWithTheirErrorAndTheOthersGoOn() {
        VisitSchedule s = new VisitSchedule(List.of("a", "bad-one", "b"), 1, VisitScheduleTest::spec);
        assertEquals(List.of("a#1", "b#1"), order(s, Progress.start(), 10));
        assertEquals(1, s.skipped().size());
        assertEquals("bad-one", s.skipped().get(0).task());
        assertTrue(s.skipped().get(0).reason().contains("truncated"));
    }

    @Test
    void doneWhenEveryTaskHasItsVisits() {
        VisitSchedule s = new VisitSchedule(List.of("a"), 1, VisitScheduleTest::spec);
        Progress p = Progress.start().startVisit("a").endVisit();
        assertNull(s.next(p));
        assertNull(new VisitSchedule(List.of(), null, VisitScheduleTest::spec).next(Progress.start()));
    }

    @Test
    void aTaskRemovedFromTheListIsNotVisitedAgain() {
        Progress p = Progress.start().startVisit("gone").endVisit();
        VisitSchedule s = new VisitSchedule(List.of("a"), 3, VisitScheduleTest::spec);
        assertEquals(List.of("a#1", "a#2", "a#3"), order(s, p, 10));
        assertEquals(1, p.visitsOf("gone"));
    }
}

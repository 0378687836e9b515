package dev.rmpopt.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventSchedulerTest {

    @Test
    void runsInTimeOrderThenSchedulingOrderAndSkipsCancelled() {
        EventScheduler s = new EventScheduler();
        List<String> ran = new ArrayList<>();
        s.schedule(20, () -> ran.add("b@" + s.now()));
        s.schedule(10, () -> ran.add("a@" + s.now()));
        s.schedule(20, () -> ran.add("c@" + s.now()));
        EventScheduler.Event cancelled = s.schedule(15, () -> ran.add("never"));
        cancelled.cancel();
        s.schedule(5, () -> s.schedule(1, () -> ran.add("nested@" + s.now())));
        s.runUntil(100);
        assertEquals(List.of("nested@6", "a@10", "b@20", "c@20"), ran);
        assertEquals(100, s.now());
        assertFalse(s.hasPending());
    }

    @Test
    void timeNeverGoesBack() {
        EventScheduler s = new EventScheduler();
        s.runUntil(50);
        assertThrows(IllegalArgumentException.class, () -> s.runUntil(49));
        assertThrows(IllegalArgumentException.class, () -> s.schedule(-1, () -> { }));
    }
}

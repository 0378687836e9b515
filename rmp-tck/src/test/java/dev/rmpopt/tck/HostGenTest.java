package dev.rmpopt.tck;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostGenTest {

    @Test
    void hostsAreSmallValidAndVaried() {
        SplittableRandom r = new SplittableRandom(5);
        int withHoles = 0;
        int partialTop = 0;
        int unsegmented = 0;
        int smt = 0;
        int twoSegments = 0;
        for (int i = 0; i < 500; i++) {
            HostDescription h = HostGen.hosts().next(r); // the record's constructor validated it
            assertTrue(h.topology().cpuCount() <= 16 && h.ramEnd() <= 6 * Geometry.GIB, h.summary());
            withHoles += h.ram().size() > 1 ? 1 : 0;
            partialTop += Geometry.isAligned(h.ramEnd(), Geometry.GIB) ? 0 : 1;
            unsegmented += h.segmentedRmp() ? 0 : 1;
            smt += h.topology().threadsPerCore() == 2 ? 1 : 0;
            twoSegments += h.rmpTable().size() == 2 ? 1 : 0;
            HotAddresses hot = HotAddresses.of(h, r);
            assertTrue(!hot.pages().isEmpty() && hot.pages().stream().allMatch(h::isRam));
        }
        assertTrue(withHoles > 100 && partialTop > 100 && unsegmented > 10 && smt > 100 && twoSegments > 50,
                withHoles + " " + partialTop + " " + unsegmented + " " + smt + " " + twoSegments);
    }

    @Test
    void aSeedDrawsTheSameScenario() {
        Scenario a = Scenario.draw(99, dev.rmpopt.api.ModelOptions.DEFAULTS);
        Scenario b = Scenario.draw(99, dev.rmpopt.api.ModelOptions.DEFAULTS);
        assertEquals(a.host(), b.host());
        assertEquals(a.options(), b.options());
        assertEquals(a.hot().pages(), b.hot().pages());
    }
}

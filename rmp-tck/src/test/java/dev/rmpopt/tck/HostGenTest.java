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
            HostDescription h = HostGen.smallHosts().next(r); // the record's constructor validated it
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

    /** Wide hosts pass 64 cores with several NUMA nodes; large ones put RAM past 8 TiB cheaply; the kinds mix. */
    @Test
    void wideAndLargeHostsReachEveryWordBoundary() {
        SplittableRandom r = new SplittableRandom(6);
        int wide = 0;
        int over128 = 0;
        int multiNode = 0;
        int high = 0;
        int region64 = 0;
        int boundary = 0;
        long maxRam = 0;
        for (int i = 0; i < 1000; i++) {
            HostDescription h = HostGen.hosts().next(r);
            wide += h.topology().coreCount() > 64 ? 1 : 0;
            over128 += h.topology().coreCount() > 128 ? 1 : 0;
            boundary += java.util.Arrays.asList(HostGen.BOUNDARY_TOPOLOGIES).contains(h.topology()) ? 1 : 0;
            multiNode += h.topology().numaNodesPerSocket() > 1 ? 1 : 0;
            high += h.ramEnd() > 8 * Geometry.TIB ? 1 : 0;
            region64 += h.isRam(64 * Geometry.GIB + Geometry.GIB / 2) || h.isRam(64 * Geometry.GIB) ? 1 : 0;
            maxRam = Math.max(maxRam, h.ramBytes());
            assertTrue(h.topology().cpuCount() <= 320 && h.ramEnd() <= 24 * Geometry.TIB, h.summary());
            HotAddresses hot = HotAddresses.of(h, r);
            assertTrue(hot.pages().size() < 2000 && hot.regions().size() < 80, h.summary() + ": " + hot.regions());
            if (h.topology().coreCount() > 64) {
                for (int core : new int[] {31, 32, 63, 64}) {
                    int cpu = h.topology().cpuOf(core, 0);
                    assertTrue(java.util.Arrays.stream(hot.cpus()).anyMatch(c -> c == cpu), "core " + core + " is hot on " + h.summary());
                }
            }
        }
        assertTrue(wide > 150 && over128 > 30 && multiNode > 100 && high > 80 && region64 > 10,
                wide + " " + over128 + " " + multiNode + " " + high + " " + region64);
        // the fixed topologies at the masks' word ends: 8% of the draws (random wide hosts may match too)
        assertTrue(boundary > 60, "hosts of a boundary topology: " + boundary + " of 1000");
        assertTrue(maxRam <= 64 * Geometry.GIB, "cheap: at most " + (maxRam >> 30) + " GiB of RAM");
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

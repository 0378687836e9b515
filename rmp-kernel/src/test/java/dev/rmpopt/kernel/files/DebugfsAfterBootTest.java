package dev.rmpopt.kernel.files;

import static dev.rmpopt.api.Geometry.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.TestKernel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The debugfs table of a small host after the kernel's boot pass, line by line. */
class DebugfsAfterBootTest {

    @Test
    void tableAfterBootAndAfterAGuestPageIsAssigned() {
        TestKernel sim = new TestKernel(TestKernel.smallHost(8), Policies.bootOnly()).booted();
        assertEquals(List.of(
                "Memory @  0GB: CPU(s): none",
                "Memory @  1GB: CPU(s): 0-7",
                "Memory @  2GB: CPU(s): none",
                "Memory @  3GB: CPU(s): 0-7",
                "Memory @  4GB: CPU(s): 0-7",
                "Memory @  5GB: CPU(s): 0-7",
                "Memory @  6GB: CPU(s): 0-7",
                "Memory @  7GB: CPU(s): none"), DebugfsRmpoptTable.lines(sim.machine, sim.kernel.passRange()));

        sim.assign(5 * GIB + 4096);
        assertEquals("Memory @  5GB: CPU(s): none", DebugfsRmpoptTable.lines(sim.machine, sim.kernel.passRange()).get(5));
    }
}

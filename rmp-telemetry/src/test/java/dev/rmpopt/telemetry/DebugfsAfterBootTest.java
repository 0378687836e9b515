package dev.rmpopt.telemetry;

import static dev.rmpopt.api.Geometry.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.kvm.RegionClearTracker;
import dev.rmpopt.kvm.RmpoptDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The debugfs table of a small host after the kernel's boot pass, line by line. */
class DebugfsAfterBootTest {

    @Test
    void tableAfterBootAndAfterAGuestPageIsAssigned() {
        HostDescription host = HostDescription.standard(new CpuTopology(2, 2, 2), 8 * GIB);
        RegionClearTracker clears = new RegionClearTracker();
        SnpMachine machine = RmpBackendProvider.named("reference").create(host, ModelOptions.DEFAULTS, clears);
        machine.snpInit();
        RmpoptDriver driver = new RmpoptDriver(machine, clears);
        driver.setup();
        assertEquals(List.of(
                "Memory @  0GB: CPU(s): none",
                "Memory @  1GB: CPU(s): 0-7",
                "Memory @  2GB: CPU(s): none",
                "Memory @  3GB: CPU(s): 0-7",
                "Memory @  4GB: CPU(s): 0-7",
                "Memory @  5GB: CPU(s): 0-7",
                "Memory @  6GB: CPU(s): 0-7",
                "Memory @  7GB: CPU(s): none"), DebugfsRmpoptTable.lines(machine, driver.passRange()));

        machine.rmpUpdate(5 * GIB + 4096, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false));
        assertEquals("Memory @  5GB: CPU(s): none", DebugfsRmpoptTable.lines(machine, driver.passRange()).get(5));
    }
}

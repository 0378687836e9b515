package dev.rmpopt.core.scalable;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.TIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageState;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.WrmsrResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 24 TiB host with 2 sockets x 256 cores x 2 threads boots: SNP_INIT makes its 96 GiB of RMP
 * FIRMWARE, the kernel's setup writes RMPOPT_BASE on every primary thread and runs its first full
 * pass over the first 2 TiB (model §7). Surefire runs this class alone in a JVM with a 1 GiB heap
 * (see the pom), so the boot fitting in 1 GiB is checked too; here the machine's own footprint is
 * checked exactly: region objects and 4K detail arrays exist only where the RMP and firmware pages
 * are, not per page of the host.
 */
class HugeHostTest {

    @ParameterizedTest(name = "NPS{0}")
    @ValueSource(ints = {1, 4})
    void a24TiBHostBootsAndRunsTheFirstPass(int nodesPerSocket) {
        CpuTopology topology = new CpuTopology(2, 256, 2, nodesPerSocket);
        HostDescription host = HostDescription.standard(topology, 24 * TIB);
        ScalableSnpMachine machine = (ScalableSnpMachine) new ScalableBackendProvider()
                .create(host, ModelOptions.DEFAULTS, RmpEventListener.NONE);
        assertEquals(FirmwareStatus.SUCCESS, machine.snpInit());

        long rmpRegions = host.rmpTable().stream()
                .mapToLong(r -> Geometry.regionIndex(r.end() - 1) - Geometry.regionIndex(r.start()) + 1).sum();
        int[] footprint = machine.footprint();
        assertTrue(footprint[0] <= rmpRegions + 1, "region objects: " + footprint[0] + " for " + rmpRegions + " RMP regions");
        assertTrue(footprint[1] <= 2 * host.rmpTable().size() + 2, "4K detail arrays: " + footprint[1]);
        PhysRange segment = host.rmpTable().get(0);
        assertEquals(PageState.FIRMWARE, machine.rmpRead(segment.start()).entry().state());
        assertEquals(PageState.FIRMWARE, machine.rmpRead(segment.end() - Geometry.PAGE_4K).entry().state());
        assertEquals(PageState.HYPERVISOR, machine.rmpRead(segment.start() - Geometry.PAGE_4K).entry().state());

        // the kernel's setup (model §7): primary threads, base = lowest RAM aligned down, one full pass
        long base = Geometry.alignDown(host.ramStart(), GIB);
        long end = Math.min(Geometry.alignUp(host.ramEnd(), GIB), base + ModelOptions.DEFAULT_WINDOW_BYTES);
        int[] cores = topology.primaryThreads();
        for (int cpu : cores) {
            assertEquals(WrmsrResult.WRITTEN, machine.wrmsrRmpoptBase(cpu, base | RmpoptBase.ENABLE));
        }
        for (long spa = base; spa < end; spa += GIB) {
            machine.rmpopt(cores[0], spa, RmpoptFunction.VERIFY_AND_REPORT_STATUS);
        }
        for (long spa = base; spa < end; spa += GIB) {
            for (int i = 1; i < cores.length; i++) {
                machine.rmpopt(cores[i], spa, RmpoptFunction.VERIFY_AND_REPORT_STATUS);
            }
        }
        // region 0 holds the firmware pages; with NPS4 the first node's RMP segment lies in the first 2 TiB
        long optimized = 0;
        for (long spa = base; spa < end; spa += GIB) {
            PhysRange region = PhysRange.ofSize(spa, GIB);
            boolean holdsReserved = host.rmpTable().stream().anyMatch(region::overlaps)
                    || host.firmwarePages().stream().anyMatch(region::overlaps);
            boolean set = machine.rmpopt(cores[cores.length - 1], spa, RmpoptFunction.REPORT_STATUS).carry();
            assertEquals(!holdsReserved, set, "region " + (spa >> 30));
            optimized += set ? 1 : 0;
        }
        assertTrue(optimized > 2000, "optimized regions: " + optimized);
        assertEquals(false, machine.rmpopt(1023, base, RmpoptFunction.REPORT_STATUS).carry(), "region 0 holds firmware pages");
        assertEquals(true, machine.rmpopt(1023, base + GIB, RmpoptFunction.REPORT_STATUS).carry(), "CPU 1023 shares core 511's table");
        Runtime rt = Runtime.getRuntime();
        System.out.printf("24 TiB, NPS%d: %d region objects, %d detail arrays, heap max %d MiB, in use %d MiB%n", nodesPerSocket,
                machine.footprint()[0], machine.footprint()[1], rt.maxMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
}

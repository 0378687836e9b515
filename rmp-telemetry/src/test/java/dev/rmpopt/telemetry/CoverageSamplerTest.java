package dev.rmpopt.telemetry;

import static dev.rmpopt.api.Geometry.GIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.kernel.PassTrigger;
import dev.rmpopt.kernel.files.DebugfsRmpoptTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Samples of a small reference host through boot, guest pages and a pass. */
class CoverageSamplerTest {

    /** 2 sockets x 2 cores x 2 threads, 8 GiB: firmware in region 0, an RMP segment in 2 and 7, the hole in 3. */
    static final HostDescription HOST = HostDescription.standard(new CpuTopology(2, 2, 2), 8 * GIB);
    /** Each node spans 4 GiB: its RMP segment is 16 KiB + 1 Mi entries x 16 B, rounded up to 17 MiB. */
    static final long RMP_SEGMENT_PAGES = 17 * 256;
    /** The firmware's pages, [1 MiB, 2 MiB). */
    static final long FIRMWARE_PAGES = 256;

    static final long SECOND = 1_000_000_000L;

    KernelHost host;
    RmpTelemetry telemetry;
    SnpMachine machine;

    @BeforeEach
    void boot() {
        host = new KernelHost(HOST).booted();
        telemetry = host.telemetry;
        machine = host.machine;
    }

    @Test
    void samplesOptimizedCoresAndTheMachinesAssignedPages() {
        CoverageSampler sampler = host.sampler;
        CoverageSample boot = sampler.sample(0);
        assertArrayEquals(new int[] {0, 4, 0, 4, 4, 4, 4, 0}, boot.optimizedCores());
        assertArrayEquals(new long[] {FIRMWARE_PAGES, 0, RMP_SEGMENT_PAGES, 0, 0, 0, 0, RMP_SEGMENT_PAGES}, boot.assignedPages());
        assertEquals(5, boot.regionsOptimizedOnAtLeast(4));
        assertEquals(0, boot.regionsOptimizedOnAtLeast(5));

        assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(5 * GIB, RmpState.guestPrivate(1, 0, PageSize.SIZE_2M, false)));
        assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(6 * GIB + 4096, RmpState.guestPrivate(1, 1L << 21, PageSize.SIZE_4K, false)));
        CoverageSample guests = sampler.sample(10 * SECOND);
        assertArrayEquals(new int[] {0, 4, 0, 4, 4, 0, 0, 0}, guests.optimizedCores());
        assertArrayEquals(new long[] {FIRMWARE_PAGES, 0, RMP_SEGMENT_PAGES, 0, 0, 512, 1, RMP_SEGMENT_PAGES}, guests.assignedPages());

        assertEquals(RmpReturnCode.SUCCESS, machine.psmash(5 * GIB));
        assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(5 * GIB + 4096, RmpState.shared()));
        assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(6 * GIB + 4096, RmpState.shared()));
        host.at(20 * SECOND);
        host.kernel.requestManualPass();
        CoverageSample after = sampler.sample(30 * SECOND);
        assertArrayEquals(new int[] {0, 4, 0, 4, 4, 0, 4, 0}, after.optimizedCores());
        assertEquals(511, after.assignedPages()[5]);
        assertEquals(0, after.assignedPages()[6]);

        TelemetrySnapshot s = telemetry.snapshot(30 * SECOND);
        assertEquals(3, s.coverage().size());
        assertSame(after, s.latestCoverage());
        assertEquals(0L, s.observerRmpopt().get(RmpoptOutcome.REPORT_SET) + s.observerRmpopt().get(RmpoptOutcome.REPORT_CLEAR),
                "a sample reads the telemetry's shadow of the tables and runs no instruction");
        assertArrayEquals(after.optimizedCores(), sampler.sweep(), "the REPORT_STATUS sweep agrees");
        assertEquals(8L * 4, telemetry.observerRmpopt(RmpoptOutcome.REPORT_SET) + telemetry.observerRmpopt(RmpoptOutcome.REPORT_CLEAR),
                "the sweep runs one REPORT per region and core, as an observer");
        assertEquals(0, s.rmpopt().get(RmpoptOutcome.REPORT_SET).total() + s.rmpopt().get(RmpoptOutcome.REPORT_CLEAR).total());
        // The first RMPUPDATE in regions 5 and 6 cleared 4 tables each; later ones found nothing to clear.
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 1, 1, 0}, s.clears().get(ClearCause.RMPUPDATE).events().byRegion());
        assertEquals(8, s.clears().get(ClearCause.RMPUPDATE).tablesCleared());
        assertEquals(0, s.clears().get(ClearCause.PSMASH).events().total());
        assertEquals(2, s.passes().size());
        assertEquals(PassTrigger.MANUAL, s.passes().get(1).trigger());
        assertEquals(20 * SECOND, s.passes().get(1).startNanos());
        assertEquals(new RegionSpan(0, 8), s.host().passRange());
    }

    @Test
    void theWorkloadsVerifiesAreCountedPerRegionAndCore() {
        TelemetrySnapshot s = telemetry.snapshot(0);
        CounterSeries won = s.rmpopt().get(RmpoptOutcome.VERIFY_WON);
        assertArrayEquals(new long[] {0, 4, 0, 4, 4, 4, 4, 0}, won.byRegion(), "the boot pass: leader and 3 followers per clean region");
        assertArrayEquals(new long[] {5, 5, 5, 5}, won.byCore());
        assertEquals(3L * 4, s.rmpopt().get(RmpoptOutcome.VERIFY_FAILED).total());
        assertEquals(32, s.passes().get(0).rmpoptInstructions());
        assertEquals(s.passes().get(0).rmpoptInstructions(), won.total() + s.rmpopt().get(RmpoptOutcome.VERIFY_FAILED).total());
        assertEquals(4, telemetry.rmpoptBaseWrites());
        assertEquals(1L, s.allTablesCleared().get(ClearCause.SNP_INIT));
    }

    @Test
    void debugfsReadsAreObserverReports() {
        var lines = telemetry.observe(() -> DebugfsRmpoptTable.lines(machine, host.kernel.passRange()));
        assertEquals("Memory @  1GB: CPU(s): 0-7", lines.get(1));
        assertEquals(5L * 8, telemetry.observerRmpopt(RmpoptOutcome.REPORT_SET), "5 clean regions x 8 CPUs");
        assertEquals(3L * 8, telemetry.observerRmpopt(RmpoptOutcome.REPORT_CLEAR));
        assertEquals(0, telemetry.rmpopt(RmpoptOutcome.REPORT_SET));
    }

    @Test
    void aSampleBackInTimeRecordsNothing() {
        CoverageSampler sampler = host.sampler;
        sampler.sample(5);
        assertThrows(IllegalArgumentException.class, () -> sampler.sample(4), "time goes forward");
        assertEquals(1, telemetry.snapshot(6).coverage().size());
        assertEquals(0L, telemetry.observerRmpopt(RmpoptOutcome.REPORT_SET) + telemetry.observerRmpopt(RmpoptOutcome.REPORT_CLEAR),
                "samples run no instruction");
    }

    @Test
    void aTelemetryOfAnotherHostIsRefused() {
        RmpTelemetry other = new RmpTelemetry(HostDescription.standard(new CpuTopology(1, 2, 1), 4 * GIB));
        assertThrows(IllegalArgumentException.class, () -> new CoverageSampler(machine, other));
    }
}

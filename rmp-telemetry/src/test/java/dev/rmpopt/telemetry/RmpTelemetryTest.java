package dev.rmpopt.telemetry;

import static dev.rmpopt.api.Geometry.GIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.RmpFault;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.kernel.PassJitter;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.PassShape;
import dev.rmpopt.kernel.PassTrigger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The counters fed event by event, without a machine. */
class RmpTelemetryTest {

    /** 2 sockets x 2 cores x 2 threads: cores 0-3; CPU n and n+4 share core n. 8 regions. */
    static final HostDescription HOST = HostDescription.standard(new CpuTopology(2, 2, 2), 8 * GIB);
    static final RmpFault FAULT = RmpFault.of(Accessor.HYPERVISOR, AccessKind.WRITE);

    @Test
    void hostSideWritesCountByOutcomeRegionAndCore() {
        RmpTelemetry t = new RmpTelemetry(HOST);
        t.onAccess(0, Accessor.HYPERVISOR, AccessKind.WRITE, 5 * GIB, MappingSize.SIZE_4K, AccessOutcome.SKIPPED);
        t.onAccess(4, Accessor.HYPERVISOR, AccessKind.WRITE, 5 * GIB + 8192, MappingSize.SIZE_2M, AccessOutcome.SKIPPED);
        t.onAccess(3, new Accessor.NonSnpGuest(7), AccessKind.WRITE, 1 * GIB, MappingSize.SIZE_4K, AccessOutcome.CHECKED);
        t.onAccess(7, Accessor.HYPERVISOR, AccessKind.WRITE, 7 * GIB + 4096, MappingSize.SIZE_4K, FAULT);
        t.onAccess(1, Accessor.HYPERVISOR, AccessKind.WRITE, 0, MappingSize.SIZE_4K, AccessOutcome.UNCHECKED);
        // Not counted: a host read, an SNP guest's own write.
        t.onAccess(1, Accessor.HYPERVISOR, AccessKind.READ, 2 * GIB, MappingSize.SIZE_4K, AccessOutcome.UNCHECKED);
        t.onAccess(2, new Accessor.SnpGuest(3), AccessKind.WRITE, 2 * GIB, MappingSize.SIZE_4K, AccessOutcome.CHECKED);

        TelemetrySnapshot s = t.snapshot(0);
        CounterSeries skipped = s.writes().get(WriteOutcome.SKIPPED);
        assertEquals(2, skipped.total());
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 2, 0, 0}, skipped.byRegion());
        assertArrayEquals(new long[] {2, 0, 0, 0}, skipped.byCore(), "CPUs 0 and 4 are both core 0");
        CounterSeries checked = s.writes().get(WriteOutcome.CHECKED);
        assertArrayEquals(new long[] {0, 1, 0, 0, 0, 0, 0, 0}, checked.byRegion());
        assertArrayEquals(new long[] {0, 0, 0, 1}, checked.byCore());
        CounterSeries faulted = s.writes().get(WriteOutcome.FAULTED);
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 0, 1}, faulted.byRegion());
        assertArrayEquals(new long[] {0, 0, 0, 1}, faulted.byCore());
        assertEquals(1, s.writes().get(WriteOutcome.UNCHECKED).total());
        assertEquals(5, t.writes(WriteOutcome.SKIPPED) + t.writes(WriteOutcome.CHECKED)
                + t.writes(WriteOutcome.FAULTED) + t.writes(WriteOutcome.UNCHECKED));
    }

    @Test
    void rmpoptCountsByFunctionResultRegionAndCoreWithRegionsBeyondRamApart() {
        RmpTelemetry t = new RmpTelemetry(HOST);
        t.onRmpopt(0, 2 * GIB, RmpoptFunction.VERIFY_AND_REPORT_STATUS, RmpoptResult.CARRY_SET);
        t.onRmpopt(1, 2 * GIB, RmpoptFunction.VERIFY_AND_REPORT_STATUS, RmpoptResult.CARRY_CLEAR);
        t.onRmpopt(5, 2 * GIB, RmpoptFunction.VERIFY_AND_REPORT_STATUS, RmpoptResult.UD);
        t.onRmpopt(2, 3 * GIB, RmpoptFunction.REPORT_STATUS, RmpoptResult.CARRY_SET);
        t.onRmpopt(2, 9 * GIB, RmpoptFunction.REPORT_STATUS, RmpoptResult.CARRY_CLEAR);
        t.onRmpopt(6, 100 * GIB, RmpoptFunction.REPORT_STATUS, RmpoptResult.CARRY_CLEAR);
        t.onRmpopt(3, 0, RmpoptFunction.REPORT_STATUS, RmpoptResult.UD);

        TelemetrySnapshot s = t.snapshot(0);
        assertEquals(1, s.rmpopt().get(RmpoptOutcome.VERIFY_WON).byRegion()[2]);
        assertArrayEquals(new long[] {0, 1, 0, 0}, s.rmpopt().get(RmpoptOutcome.VERIFY_FAILED).byCore());
        assertArrayEquals(new long[] {0, 1, 0, 0}, s.rmpopt().get(RmpoptOutcome.VERIFY_UD).byCore());
        assertEquals(1, s.rmpopt().get(RmpoptOutcome.REPORT_SET).byRegion()[3]);
        CounterSeries clear = s.rmpopt().get(RmpoptOutcome.REPORT_CLEAR);
        assertEquals(2, clear.total());
        assertEquals(2, clear.beyondRam());
        assertArrayEquals(new long[] {0, 0, 2, 0}, clear.byCore());
        assertEquals(1, s.rmpopt().get(RmpoptOutcome.REPORT_UD).byRegion()[0]);
    }

    @Test
    void observerReportsAreCountedApartButObserverVerifiesAreNot() {
        RmpTelemetry t = new RmpTelemetry(HOST);
        int result = t.observe(() -> {
            t.onRmpopt(0, 2 * GIB, RmpoptFunction.REPORT_STATUS, RmpoptResult.CARRY_SET);
            t.onRmpopt(0, 2 * GIB, RmpoptFunction.REPORT_STATUS, RmpoptResult.CARRY_CLEAR);
            t.onRmpopt(0, 2 * GIB, RmpoptFunction.VERIFY_AND_REPORT_STATUS, RmpoptResult.CARRY_SET);
            return t.observe(() -> 42);
        });
        assertEquals(42, result);
        t.onRmpopt(0, 2 * GIB, RmpoptFunction.REPORT_STATUS, RmpoptResult.CARRY_SET);

        assertEquals(1, t.observerRmpopt(RmpoptOutcome.REPORT_SET));
        assertEquals(1, t.observerRmpopt(RmpoptOutcome.REPORT_CLEAR));
        assertEquals(1, t.rmpopt(RmpoptOutcome.REPORT_SET), "the REPORT after observe() is the workload's");
        assertEquals(0, t.rmpopt(RmpoptOutcome.REPORT_CLEAR));
        assertEquals(1, t.rmpopt(RmpoptOutcome.VERIFY_WON));
    }

    @Test
    void clearsUpdatesAndPasses() {
        RmpTelemetry t = new RmpTelemetry(HOST);
        t.onOptimizationCleared(5, ClearCause.RMPUPDATE, 4);
        t.onOptimizationCleared(5, ClearCause.RMPUPDATE, 1);
        t.onOptimizationCleared(6, ClearCause.PSMASH, 2);
        t.onAllTablesCleared(ClearCause.SNP_INIT);
        t.onRmpUpdate(Accessor.HYPERVISOR, 5 * GIB, RmpState.shared(), RmpReturnCode.SUCCESS);
        t.onRmpUpdate(new Accessor.SnpGuest(1), 5 * GIB, RmpState.shared(), RmpReturnCode.FAIL_PERMISSION);
        t.onPsmash(Accessor.HYPERVISOR, 5 * GIB, RmpReturnCode.FAIL_NOT_EXPANDABLE);
        PassRecord boot = new PassRecord(1, PassTrigger.BOOT, PassShape.LEADER_THEN_FOLLOWERS, 0, 1_000, 8, 32, 8, 5, 5, 0, PassJitter.none(0));
        PassRecord manual = new PassRecord(2, PassTrigger.MANUAL, PassShape.LEADER_THEN_FOLLOWERS, 10, 500, 8, 32, 8, 4, 0, 1, PassJitter.none(0));
        PassRecord manual2 = new PassRecord(3, PassTrigger.MANUAL, PassShape.LEADER_THEN_FOLLOWERS, 20, 700, 8, 32, 8, 5, 1, 0, PassJitter.none(0));
        t.onPass(boot);
        t.onPass(manual);
        t.onPass(manual2);

        TelemetrySnapshot s = t.snapshot(99);
        assertEquals(2, s.clears().get(ClearCause.RMPUPDATE).events().byRegion()[5]);
        assertEquals(5, s.clears().get(ClearCause.RMPUPDATE).tablesCleared());
        assertEquals(1, s.clears().get(ClearCause.PSMASH).events().total());
        assertEquals(1L, s.allTablesCleared().get(ClearCause.SNP_INIT));
        assertEquals(1L, s.rmpUpdates().get(RmpReturnCode.SUCCESS));
        assertEquals(1L, s.rmpUpdates().get(RmpReturnCode.FAIL_PERMISSION));
        assertEquals(1L, s.psmashes().get(RmpReturnCode.FAIL_NOT_EXPANDABLE));
        assertEquals(List.of(boot, manual, manual2), s.passes());
        assertEquals(new PassTotals(2, 16, 64, 16, 1_200, 9, 1, 1), s.passTotals().get(PassTrigger.MANUAL));
        assertEquals(PassTotals.NONE, s.passTotals().get(PassTrigger.TARGETED));
        assertEquals(new PassTotals(3, 24, 96, 24, 2_200, 14, 6, 1), s.allPasses());
        assertEquals(99, s.timeNanos());
        assertEquals(List.of(0L, 2L, 7L), s.host().neverOptimizableRegions(), "firmware at 1 MiB, an RMP segment per node");
    }

    @Test
    void aTotalThatIsNotTheSumOfItsPartsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CounterSeries(3, new long[] {1, 1}, 0, new long[0]));
        assertEquals(3, CounterSeries.of(new long[] {1, 1}, 1, new long[] {3}).total());
    }

    @Test
    void coverageSamplesMustFitTheHostAndComeInOrder() {
        RmpTelemetry t = new RmpTelemetry(HOST);
        t.recordCoverage(new CoverageSample(10, new int[8], new long[8]));
        assertThrows(IllegalArgumentException.class, () -> t.recordCoverage(new CoverageSample(5, new int[8], new long[8])));
        assertThrows(IllegalArgumentException.class, () -> t.recordCoverage(new CoverageSample(20, new int[7], new long[7])));
        assertEquals(1, t.snapshot(20).coverage().size());
    }

    @Test
    void totalsAreTheSumOfTheirPartsUnderConcurrentEvents() throws Exception {
        RmpTelemetry t = new RmpTelemetry(HOST);
        int threads = 4;
        int eventsPerThread = 40_000;
        long[][] expectedRegion = new long[WriteOutcome.values().length][8];
        long[][] expectedCore = new long[WriteOutcome.values().length][4];
        AccessOutcome[] outcomes = {AccessOutcome.SKIPPED, AccessOutcome.CHECKED, AccessOutcome.UNCHECKED, FAULT};
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<long[][]>> done = new ArrayList<>();
            for (int th = 0; th < threads; th++) {
                long seed = th;
                done.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    long[][] mine = new long[outcomes.length][8 + 4];
                    go.await();
                    for (int i = 0; i < eventsPerThread; i++) {
                        int cpu = random.nextInt(8);
                        int region = random.nextInt(8);
                        int o = random.nextInt(outcomes.length);
                        t.onAccess(cpu, Accessor.HYPERVISOR, AccessKind.WRITE, region * GIB, MappingSize.SIZE_4K, outcomes[o]);
                        t.onRmpopt(cpu, region * GIB, RmpoptFunction.VERIFY_AND_REPORT_STATUS, RmpoptResult.CARRY_SET);
                        mine[o][region]++;
                        mine[o][8 + cpu % 4]++;
                    }
                    return mine;
                }));
            }
            Future<Integer> snapshots = pool.submit(() -> {
                go.await();
                int taken = 0;
                long last = 0;
                while (writing.get()) {
                    TelemetrySnapshot s = t.snapshot(taken);
                    long total = 0;
                    for (CounterSeries series : s.writes().values()) {
                        total += series.total();
                    }
                    assertTrue(total >= last, "counts never go down");
                    last = total;
                    taken++;
                }
                return taken;
            });
            go.countDown();
            for (Future<long[][]> f : done) {
                long[][] mine = f.get();
                for (int o = 0; o < outcomes.length; o++) {
                    for (int r = 0; r < 8; r++) {
                        expectedRegion[o][r] += mine[o][r];
                    }
                    for (int c = 0; c < 4; c++) {
                        expectedCore[o][c] += mine[o][8 + c];
                    }
                }
            }
            writing.set(false);
            assertTrue(snapshots.get() > 0);
        } finally {
            pool.shutdownNow();
        }

        TelemetrySnapshot s = t.snapshot(0);
        long all = 0;
        for (WriteOutcome o : WriteOutcome.values()) {
            CounterSeries series = s.writes().get(o);
            assertArrayEquals(expectedRegion[o.ordinal()], series.byRegion(), o.name());
            assertArrayEquals(expectedCore[o.ordinal()], series.byCore(), o.name());
            assertEquals(series.total(), series.coreSum(), o.name());
            assertEquals(series.total(), t.writes(o));
            all += series.total();
        }
        assertEquals((long) threads * eventsPerThread, all);
        CounterSeries won = s.rmpopt().get(RmpoptOutcome.VERIFY_WON);
        assertEquals((long) threads * eventsPerThread, won.total());
        assertEquals(won.total(), won.coreSum());
    }
}

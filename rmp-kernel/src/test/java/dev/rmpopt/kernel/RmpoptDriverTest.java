package dev.rmpopt.kernel;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.TIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.api.WrmsrResult;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RmpoptDriverTest {

    /** 2 sockets x 2 cores x 2 threads, 8 GiB: firmware in region 0, RMP segments in regions 2 and 7, hole in 3. */
    final RegionClearTracker clears = new RegionClearTracker();

    /** Every CPU of {@code machine}'s host, online. */
    static java.util.BitSet everyCpu(SnpMachine machine) {
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, machine.host().topology().cpuCount());
        return all;
    }

    /** A driver of {@code machine} with the default costs, time 0 and no listener. */
    RmpoptDriver driver(SnpMachine machine) {
        return new RmpoptDriver(machine, clears, RmpoptCostModel.AMD_PUBLISHED, () -> 0L, KernelListener.NONE);
    }

    /** SNP_INIT, then the kernel's RMPOPT setup with its boot pass, led by CPU 0. */
    RmpoptDriver setUp(SnpMachine machine) {
        machine.snpInit();
        RmpoptDriver driver = driver(machine);
        driver.setup(everyCpu(machine));
        driver.fullPass(PassTrigger.BOOT, PassShape.LEADER_THEN_FOLLOWERS, 0);
        return driver;
    }

    /** A manual v3+ pass led by CPU 0. */
    static PassRecord manual(RmpoptDriver driver) {
        return driver.fullPass(PassTrigger.MANUAL, PassShape.LEADER_THEN_FOLLOWERS, 0);
    }

    /** What the cost model makes of a pass over the 8 regions of the small host, as the machine holds them now. */
    static RmpoptCostModel.PassCost expectedCost(SnpMachine machine, PassShape shape, int targets, java.util.BitSet clean) {
        long[] first = new long[8];
        for (int r = 0; r < 8; r++) {
            first[r] = clean.get(r) ? -1 : Math.max(0, machine.firstAssignedPage(r));
        }
        return RmpoptCostModel.AMD_PUBLISHED.passCost(shape, 0, targets, first);
    }

    SnpMachine smallHost() {
        HostDescription host = HostDescription.standard(new CpuTopology(2, 2, 2), 8 * GIB);
        return RmpBackendProvider.named("reference").create(host, ModelOptions.DEFAULTS, clears);
    }

    @Test
    void setupProgramsPrimaryThreadsAndRunsAFirstPass() {
        SnpMachine machine = smallHost();
        machine.snpInit();
        RmpoptDriver driver = driver(machine);
        SetupResult setup = driver.setup(everyCpu(machine));
        assertEquals(new PhysRange(0, 8 * GIB), setup.passRange());
        assertEquals(4, setup.cpus());
        assertEquals(Optional.empty(), setup.unoptimizedAbove());
        for (int cpu = 0; cpu < 8; cpu++) {
            assertEquals(new RmpoptBase(0, true), machine.rdmsrRmpoptBase(cpu));
        }
        assertEquals(Optional.empty(), setup.bootPass(), "the driver's setup runs no pass; the kernel does");
        // regions 1, 3 (the hole), 4, 5 and 6 are clean; 0, 2 and 7 hold firmware and RMP pages
        PassRecord boot = driver.fullPass(PassTrigger.BOOT, PassShape.LEADER_THEN_FOLLOWERS, 0);
        java.util.BitSet clean = new java.util.BitSet();
        for (int r : new int[] {1, 3, 4, 5, 6}) {
            clean.set(r);
        }
        RmpoptCostModel.PassCost cost = expectedCost(machine, PassShape.LEADER_THEN_FOLLOWERS, 3, clean);
        assertEquals(new PassRecord(1, PassTrigger.BOOT, PassShape.LEADER_THEN_FOLLOWERS, 0, cost.nanos(), 8, 32, 8, 5, 5, 0,
                cost.jitter()), boot);
        assertEquals(256, machine.firstAssignedPage(0), "region 0 fails at the firmware's first page, 1 MiB in");
        assertTrue(boot.modeledNanos() > 0);
        for (long region : new long[] {1, 3, 4, 5, 6}) {
            for (int cpu = 0; cpu < 8; cpu++) {
                assertTrue(machine.rmpopt(cpu, region * GIB, RmpoptFunction.REPORT_STATUS).carry());
            }
        }
        assertFalse(machine.rmpopt(3, 7 * GIB, RmpoptFunction.REPORT_STATUS).carry());
    }

    @Test
    void aLaterPassWinsBackWhatRmpUpdateCleared() {
        SnpMachine machine = smallHost();
        RmpoptDriver driver = setUp(machine);
        machine.rmpUpdate(5 * GIB, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false));
        PassRecord second = manual(driver);
        assertEquals(4, second.regionsClean());
        assertEquals(0, second.regionsWon());
        assertEquals(1, second.regionsLost());
        machine.rmpUpdate(5 * GIB, RmpState.shared());
        assertFalse(machine.rmpopt(0, 5 * GIB, RmpoptFunction.REPORT_STATUS).carry(), "sharing does not re-optimize");
        PassRecord third = manual(driver);
        assertEquals(5, third.regionsClean());
        assertEquals(1, third.regionsWon());
        assertEquals(3, third.sequence());
        assertTrue(machine.rmpopt(0, 5 * GIB, RmpoptFunction.REPORT_STATUS).carry());
    }

    @Test
    void aRegionLostAndCleanAgainBetweenPassesCountsAsLostAndWon() {
        SnpMachine machine = smallHost();
        RmpoptDriver driver = setUp(machine);
        machine.rmpUpdate(5 * GIB, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false));
        machine.rmpUpdate(5 * GIB, RmpState.shared());
        PassRecord pass = manual(driver);
        assertEquals(5, pass.regionsClean());
        assertEquals(1, pass.regionsLost());
        assertEquals(1, pass.regionsWon());
        PassRecord quiet = manual(driver);
        assertEquals(0, quiet.regionsLost() + quiet.regionsWon(), "nothing changed in between");
    }

    @Test
    void aTargetedPassTouchesOnlyItsRegionsInsideTheRange() {
        SnpMachine machine = smallHost();
        RmpoptDriver driver = setUp(machine);
        machine.rmpUpdate(5 * GIB, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false));
        machine.rmpUpdate(5 * GIB, RmpState.shared());
        java.util.BitSet freed = new java.util.BitSet();
        freed.set(5);
        freed.set(40);
        PassRecord targeted = driver.targetedPass(freed, PassShape.LEADER_THEN_FOLLOWERS, 0);
        assertEquals(PassTrigger.TARGETED, targeted.trigger());
        assertEquals(1, targeted.regions());
        assertEquals(4, targeted.rmpoptInstructions());
        assertEquals(1, targeted.regionsClean());
        assertTrue(machine.rmpopt(1, 5 * GIB, RmpoptFunction.REPORT_STATUS).carry());
    }

    @Test
    void setupNeedsSnpInitAndSegmentedRmpAndHappensOnce() {
        SnpMachine machine = smallHost();
        RmpoptDriver driver = driver(machine);
        assertThrows(IllegalStateException.class, () -> driver.setup(everyCpu(machine)));
        assertThrows(IllegalStateException.class, () -> manual(driver));
        assertEquals(RmpoptBase.DISABLED, machine.rdmsrRmpoptBase(0));
        machine.snpInit();
        driver.setup(everyCpu(machine));
        assertThrows(IllegalStateException.class, () -> driver.setup(everyCpu(machine)));
    }

    @Test
    void thePassRangeIsCappedAtTwoTebibytes() {
        HostDescription host = HostDescription.standard(new CpuTopology(1, 2, 1), 3 * TIB);
        SnpMachine machine = mock(SnpMachine.class);
        when(machine.host()).thenReturn(host);
        when(machine.isSnpInitialized()).thenReturn(true);
        when(machine.wrmsrRmpoptBase(anyInt(), anyLong())).thenReturn(WrmsrResult.WRITTEN);
        when(machine.rmpopt(anyInt(), anyLong(), eq(RmpoptFunction.VERIFY_AND_REPORT_STATUS))).thenReturn(RmpoptResult.CARRY_CLEAR);
        // a round is the SPI's default loop over the mocked single instruction
        when(machine.rmpoptOnCpus(any(), anyLong(), any())).thenCallRealMethod();
        RmpoptDriver driver = driver(machine);
        SetupResult setup = driver.setup(everyCpu(machine));
        assertEquals(new PhysRange(0, 2 * TIB), setup.passRange());
        assertEquals(Optional.of(2 * TIB), setup.unoptimizedAbove());
        PassRecord boot = driver.fullPass(PassTrigger.BOOT, PassShape.LEADER_THEN_FOLLOWERS, 0);
        assertEquals(2048, boot.regions());
        assertEquals(4096, boot.rmpoptInstructions());
        assertEquals(0, boot.regionsClean());
        verify(machine, times(2048)).rmpopt(eq(0), anyLong(), eq(RmpoptFunction.VERIFY_AND_REPORT_STATUS));
    }
}

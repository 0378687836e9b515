package dev.rmpopt.kernel;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.TIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

    /** A driver of {@code machine} with the calibrated costs, time 0 and no listener. */
    RmpoptDriver driver(SnpMachine machine) {
        return new RmpoptDriver(machine, clears, RmpoptCostModel.AMD_CALIBRATED, () -> 0L, KernelListener.NONE);
    }

    /** SNP_INIT, then the kernel's RMPOPT setup with its boot pass. */
    RmpoptDriver setUp(SnpMachine machine) {
        machine.snpInit();
        RmpoptDriver driver = driver(machine);
        driver.setup();
        return driver;
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
        SetupResult setup = driver.setup();
        assertEquals(new PhysRange(0, 8 * GIB), setup.passRange());
        assertEquals(4, setup.cpus());
        assertEquals(Optional.empty(), setup.unoptimizedAbove());
        for (int cpu = 0; cpu < 8; cpu++) {
            assertEquals(new RmpoptBase(0, true), machine.rdmsrRmpoptBase(cpu));
        }
        // regions 1, 3 (the hole), 4, 5 and 6 are clean; 0, 2 and 7 hold firmware and RMP pages
        PassRecord boot = setup.firstPass();
        assertEquals(new PassRecord(1, PassTrigger.BOOT, 0, boot.modeledNanos(), 8, 32, 8, 5, 5, 0), boot);
        RmpoptCostModel c = RmpoptCostModel.AMD_CALIBRATED;
        assertEquals(5 * c.leaderNanos(true) + 3 * c.leaderNanos(false)
                + 5 * c.followerRoundNanos(true, 3) + 3 * c.followerRoundNanos(false, 3), boot.modeledNanos());
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
        PassRecord second = driver.fullPass(PassTrigger.MANUAL);
        assertEquals(4, second.regionsClean());
        assertEquals(0, second.regionsWon());
        assertEquals(1, second.regionsLost());
        machine.rmpUpdate(5 * GIB, RmpState.shared());
        assertFalse(machine.rmpopt(0, 5 * GIB, RmpoptFunction.REPORT_STATUS).carry(), "sharing does not re-optimize");
        PassRecord third = driver.fullPass(PassTrigger.MANUAL);
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
        PassRecord pass = driver.fullPass(PassTrigger.MANUAL);
        assertEquals(5, pass.regionsClean());
        assertEquals(1, pass.regionsLost());
        assertEquals(1, pass.regionsWon());
        PassRecord quiet = driver.fullPass(PassTrigger.MANUAL);
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
        PassRecord targeted = driver.targetedPass(freed);
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
        assertThrows(IllegalStateException.class, driver::setup);
        assertThrows(IllegalStateException.class, () -> driver.fullPass(PassTrigger.MANUAL));
        assertEquals(RmpoptBase.DISABLED, machine.rdmsrRmpoptBase(0));
        machine.snpInit();
        driver.setup();
        assertThrows(IllegalStateException.class, driver::setup);
    }

    @Test
    void thePassRangeIsCappedAtTwoTebibytes() {
        HostDescription host = HostDescription.standard(new CpuTopology(1, 2, 1), 3 * TIB);
        SnpMachine machine = mock(SnpMachine.class);
        when(machine.host()).thenReturn(host);
        when(machine.isSnpInitialized()).thenReturn(true);
        when(machine.wrmsrRmpoptBase(anyInt(), anyLong())).thenReturn(WrmsrResult.WRITTEN);
        when(machine.rmpopt(anyInt(), anyLong(), eq(RmpoptFunction.VERIFY_AND_REPORT_STATUS))).thenReturn(RmpoptResult.CARRY_CLEAR);
        SetupResult setup = driver(machine).setup();
        assertEquals(new PhysRange(0, 2 * TIB), setup.passRange());
        assertEquals(Optional.of(2 * TIB), setup.unoptimizedAbove());
        assertEquals(2048, setup.firstPass().regions());
        assertEquals(4096, setup.firstPass().rmpoptInstructions());
        assertEquals(0, setup.firstPass().regionsClean());
        verify(machine, times(2048)).rmpopt(eq(0), anyLong(), eq(RmpoptFunction.VERIFY_AND_REPORT_STATUS));
    }
}

package dev.rmpopt.kvm;

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
import dev.rmpopt.api.RmpEventListener;
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
    static SnpMachine smallHost() {
        HostDescription host = HostDescription.standard(new CpuTopology(2, 2, 2), 8 * GIB);
        return RmpBackendProvider.named("reference").create(host, ModelOptions.DEFAULTS, RmpEventListener.NONE);
    }

    @Test
    void setupProgramsPrimaryThreadsAndRunsAFirstPass() {
        SnpMachine machine = smallHost();
        machine.snpInit();
        RmpoptDriver driver = new RmpoptDriver(machine);
        SetupResult setup = driver.setup();
        assertEquals(new PhysRange(0, 8 * GIB), setup.passRange());
        assertEquals(4, setup.cpus());
        assertEquals(Optional.empty(), setup.unoptimizedAbove());
        for (int cpu = 0; cpu < 8; cpu++) {
            assertEquals(new RmpoptBase(0, true), machine.rdmsrRmpoptBase(cpu));
        }
        // regions 1, 3 (the hole), 4, 5 and 6 are clean; 0, 2 and 7 hold firmware and RMP pages
        assertEquals(new PassResult(8, 32, 8, 5, 20), setup.firstPass());
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
        machine.snpInit();
        RmpoptDriver driver = new RmpoptDriver(machine);
        driver.setup();
        machine.rmpUpdate(5 * GIB, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false));
        assertEquals(4, driver.fullPass().regionsClean());
        machine.rmpUpdate(5 * GIB, RmpState.shared());
        assertFalse(machine.rmpopt(0, 5 * GIB, RmpoptFunction.REPORT_STATUS).carry(), "sharing does not re-optimize");
        assertEquals(5, driver.fullPass().regionsClean());
        assertTrue(machine.rmpopt(0, 5 * GIB, RmpoptFunction.REPORT_STATUS).carry());
    }

    @Test
    void setupNeedsSnpInitAndSegmentedRmpAndHappensOnce() {
        SnpMachine machine = smallHost();
        RmpoptDriver driver = new RmpoptDriver(machine);
        assertThrows(IllegalStateException.class, driver::setup);
        assertThrows(IllegalStateException.class, driver::fullPass);
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
        SetupResult setup = new RmpoptDriver(machine).setup();
        assertEquals(new PhysRange(0, 2 * TIB), setup.passRange());
        assertEquals(Optional.of(2 * TIB), setup.unoptimizedAbove());
        assertEquals(new PassResult(2048, 4096, 2048, 0, 0), setup.firstPass());
        verify(machine, times(2048)).rmpopt(eq(0), anyLong(), eq(RmpoptFunction.VERIFY_AND_REPORT_STATUS));
    }
}

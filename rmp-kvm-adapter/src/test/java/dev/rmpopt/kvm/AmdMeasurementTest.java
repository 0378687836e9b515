package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.TIB;
import static dev.rmpopt.kernel.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.PassTrigger;
import dev.rmpopt.kernel.Policies;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * AMD's measurement geometry (SPEC 8): 2 TiB, 2 sockets x 256 cores x 2 threads, on the scalable
 * backend. The modelled pass times are printed beside AMD's figures; the assertions bound them.
 */
class AmdMeasurementTest {

    static final HostDescription HOST = HostDescription.standard(new CpuTopology(2, 256, 2), 2 * TIB);

    static Sim host() {
        return new Sim(HOST, "scalable", UnaryOperator.identity(), Policies.debouncedAfterLastDestroy(),
                PlacementPolicy.packSnpRegions());
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    @Test
    void tearingDownTwo100GibGuestsThenOnePassOver2TibOn512Cores() {
        Sim host = host();
        PassRecord boot = host.hypervisor.bootSnp().firstPass();
        host.scheduler.runUntil(SECOND);
        Vm first = host.hypervisor.launch(VmSpec.snp(100 * GIB, 16));
        Vm second = host.hypervisor.launch(VmSpec.snp(100 * GIB, 16));
        host.hypervisor.acceptMemory(first, 0, 100 * GIB);
        host.hypervisor.acceptMemory(second, 0, 100 * GIB);
        assertEquals(2037 - 200, host.regionsOptimizedEverywhere(),
                "2037 clean at boot, less the 200 regions the two packed guests fill");
        host.hypervisor.destroy(first);
        host.hypervisor.destroy(second);
        host.scheduler.runUntil(20 * SECOND);
        PassRecord teardown = host.passes().get(1);
        assertEquals(PassTrigger.VM_DESTROY_DEBOUNCED, teardown.trigger());
        assertEquals(2048, teardown.regions());
        assertEquals(512 * 2048, teardown.rmpoptInstructions());
        assertTrue(teardown.regionsWon() >= 99, "won " + teardown.regionsWon());
        System.out.printf("[AMD geometry] boot pass %.1f ms; pass after tearing down two 100 GiB guests %.1f ms "
                + "(AMD measured 317-369 ms leader-first, 391-457 ms naive)%n", ms(boot.modeledNanos()), ms(teardown.modeledNanos()));
        assertTrue(ms(teardown.modeledNanos()) > 250 && ms(teardown.modeledNanos()) < 460, ms(teardown.modeledNanos()) + " ms");
    }

    @Test
    void theReviewersWorstCaseAt2TibCostsOnlyEarlyExits() {
        Sim host = host();
        host.hypervisor.bootSnp();
        for (long region = 0; region < 2048; region++) {
            long spa = Geometry.regionBase(region) + (1L << 21);
            if (HOST.isRam(spa) && !host.machine.rmpRead(spa).entry().assigned()) {
                assertEquals(RmpReturnCode.SUCCESS, host.machine.rmpUpdate(spa, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false)));
            }
        }
        host.scheduler.runUntil(SECOND);
        host.kernel.requestManualPass();
        PassRecord pass = host.passes().get(1);
        long holes = 1; // [3, 4) GiB has no RAM to assign
        assertEquals(holes, pass.regionsClean());
        assertEquals(0, pass.regionsWon());
        System.out.printf("[AMD geometry] one private 4K page in every 1 GiB region: pass %.1f ms "
                + "(AMD measured 95.3 ms with every region failing at its first entry)%n", ms(pass.modeledNanos()));
        assertTrue(ms(pass.modeledNanos()) > 90 && ms(pass.modeledNanos()) < 100, ms(pass.modeledNanos()) + " ms");
    }
}

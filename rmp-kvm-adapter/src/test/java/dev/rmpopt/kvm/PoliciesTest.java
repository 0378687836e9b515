package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.kvm.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernel's trigger policies on the simulated clock (SPEC 7). */
class PoliciesTest {

    static BitSet regions(int... indices) {
        BitSet set = new BitSet();
        for (int i : indices) {
            set.set(i);
        }
        return set;
    }

    static List<Long> passTimes(Sim sim) {
        return sim.kernel.passes().stream().map(PassRecord::startNanos).toList();
    }

    /** Destroys at 0 s, 5 s and 8 s after boot, then lets 60 s pass. */
    static Sim destroysAt0And5And8(RmpoptPolicy policy) {
        Sim sim = new Sim(policy, PlacementPolicy.scatter(1));
        sim.hypervisor.bootSnp();
        sim.kernel.onSnpVmDestroyed(regions(5));
        sim.scheduler.runUntil(5 * SECOND);
        sim.kernel.onSnpVmDestroyed(regions(6));
        sim.scheduler.runUntil(8 * SECOND);
        sim.kernel.onSnpVmDestroyed(regions(9));
        sim.scheduler.runUntil(60 * SECOND);
        return sim;
    }

    @Test
    void v3ToV7RunsTenSecondsAfterTheFirstDestroyAndDropsRequestsWhilePending() {
        Sim sim = destroysAt0And5And8(Policies.delayedAfterDestroy());
        assertEquals(List.of(0L, 10 * SECOND), passTimes(sim));
        assertEquals(PassTrigger.VM_DESTROY_DELAYED, sim.kernel.passes().get(1).trigger());
    }

    @Test
    void v8ToV10RunsTenSecondsAfterTheLastDestroy() {
        Sim sim = destroysAt0And5And8(Policies.debouncedAfterLastDestroy());
        assertEquals(List.of(0L, 18 * SECOND), passTimes(sim));
        assertEquals(PassTrigger.VM_DESTROY_DEBOUNCED, sim.kernel.passes().get(1).trigger());
        assertEquals(16, sim.kernel.passes().get(1).regions());
    }

    @Test
    void targetedPassesCoverOnlyTheRegionsFreedSinceTheLastPass() {
        Sim sim = destroysAt0And5And8(Policies.targetedFreedRegions());
        assertEquals(List.of(0L, 18 * SECOND), passTimes(sim));
        PassRecord targeted = sim.kernel.passes().get(1);
        assertEquals(PassTrigger.TARGETED, targeted.trigger());
        assertEquals(3, targeted.regions());
        assertEquals(3 * 4, targeted.rmpoptInstructions());
        sim.kernel.onSnpVmDestroyed(regions(10));
        sim.scheduler.runUntil(100 * SECOND);
        assertEquals(1, sim.kernel.passes().get(2).regions(), "the bitmap was cleared by the pass");
    }

    @Test
    void bootOnlyNeverReoptimizes() {
        Sim sim = destroysAt0And5And8(Policies.bootOnly());
        assertEquals(List.of(0L), passTimes(sim));
    }

    @Test
    void aManualPassIsIgnoredWhileOneIsInProgress() {
        Sim sim = new Sim(Policies.bootOnly(), PlacementPolicy.scatter(1));
        sim.hypervisor.bootSnp();
        assertTrue(sim.kernel.isPassInProgress(), "the boot pass takes modelled time");
        assertFalse(sim.kernel.requestManualPass());
        sim.scheduler.runUntil(SECOND);
        assertFalse(sim.kernel.isPassInProgress());
        assertTrue(sim.kernel.requestManualPass());
        assertEquals(PassTrigger.MANUAL, sim.kernel.passes().get(1).trigger());
    }

    @Test
    void aPassThatComesDueDuringAnotherWaitsForItsEnd() {
        Sim sim = new Sim(Policies.debouncedAfterLastDestroy(), PlacementPolicy.scatter(1));
        sim.hypervisor.bootSnp();
        long bootEnd = sim.kernel.passes().get(0).modeledNanos();
        sim.kernel.queueFullPass(PassTrigger.VM_DESTROY_DEBOUNCED, 1, true);
        sim.scheduler.runUntil(SECOND);
        assertEquals(List.of(0L, bootEnd), passTimes(sim));
    }

    @Test
    void passesTheKernelCannotRunBeforeSetupAreRefusedOrIgnored() {
        Sim sim = new Sim(Policies.debouncedAfterLastDestroy(), PlacementPolicy.scatter(1));
        sim.kernel.onSnpVmDestroyed(regions(1));
        assertFalse(sim.scheduler.hasPending(), "no RMPOPT before setup");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, sim.kernel::requestManualPass);
        assertEquals(16 * GIB, sim.machine.host().ramEnd());
    }
}

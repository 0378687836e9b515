package dev.rmpopt.kernel;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.kernel.EventScheduler.SECOND;
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

    static List<Long> passTimes(TestKernel sim) {
        return sim.passTimes();
    }

    /** A 16 GiB host under {@code policy}. */
    static TestKernel sim(RmpoptPolicy policy) {
        return new TestKernel(TestKernel.smallHost(16), policy);
    }

    /** Destroys at 0 s, 5 s and 8 s after boot, then lets 60 s pass. */
    static TestKernel destroysAt0And5And8(RmpoptPolicy policy) {
        TestKernel sim = sim(policy).booted();
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
        TestKernel sim = destroysAt0And5And8(Policies.delayedAfterDestroy());
        assertEquals(List.of(0L, 10 * SECOND), passTimes(sim));
        assertEquals(PassTrigger.VM_DESTROY_DELAYED, sim.passes.get(1).trigger());
    }

    @Test
    void v8ToV10RunsTenSecondsAfterTheLastDestroy() {
        TestKernel sim = destroysAt0And5And8(Policies.debouncedAfterLastDestroy());
        assertEquals(List.of(0L, 18 * SECOND), passTimes(sim));
        assertEquals(PassTrigger.VM_DESTROY_DEBOUNCED, sim.passes.get(1).trigger());
        assertEquals(16, sim.passes.get(1).regions());
    }

    @Test
    void targetedPassesCoverOnlyTheRegionsFreedSinceTheLastPass() {
        TestKernel sim = destroysAt0And5And8(Policies.targetedFreedRegions());
        assertEquals(List.of(0L, 18 * SECOND), passTimes(sim));
        PassRecord targeted = sim.passes.get(1);
        assertEquals(PassTrigger.TARGETED, targeted.trigger());
        assertEquals(3, targeted.regions());
        assertEquals(3 * 4, targeted.rmpoptInstructions());
        sim.kernel.onSnpVmDestroyed(regions(10));
        sim.scheduler.runUntil(100 * SECOND);
        assertEquals(1, sim.passes.get(2).regions(), "the bitmap was cleared by the pass");
    }

    @Test
    void bootOnlyNeverReoptimizes() {
        TestKernel sim = destroysAt0And5And8(Policies.bootOnly());
        assertEquals(List.of(0L), passTimes(sim));
    }

    @Test
    void aManualPassIsIgnoredWhileOneIsInProgress() {
        TestKernel sim = sim(Policies.bootOnly()).booted();
        assertTrue(sim.kernel.isPassInProgress(), "the boot pass takes modelled time");
        assertFalse(sim.kernel.requestManualPass());
        sim.scheduler.runUntil(SECOND);
        assertFalse(sim.kernel.isPassInProgress());
        assertTrue(sim.kernel.requestManualPass());
        assertEquals(PassTrigger.MANUAL, sim.passes.get(1).trigger());
    }

    @Test
    void aPassThatComesDueDuringAnotherWaitsForItsEnd() {
        TestKernel sim = sim(Policies.debouncedAfterLastDestroy()).booted();
        long bootEnd = sim.passes.get(0).modeledNanos();
        sim.kernel.queue(PassRequest.full(PassTrigger.VM_DESTROY_DEBOUNCED, 1, true));
        sim.scheduler.runUntil(SECOND);
        assertEquals(List.of(0L, bootEnd), passTimes(sim));
    }

    @Test
    void passesTheKernelCannotRunBeforeSetupAreRefusedOrIgnored() {
        TestKernel sim = sim(Policies.debouncedAfterLastDestroy());
        sim.kernel.onSnpVmDestroyed(regions(1));
        assertFalse(sim.scheduler.hasPending(), "no RMPOPT before setup");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, sim.kernel::requestManualPass);
        assertEquals(16 * GIB, sim.machine.host().ramEnd());
    }

    @Test
    void aParameterizedDelayMovesThePassAndNamesItself() {
        TestKernel v8 = destroysAt0And5And8(Policies.debouncedAfterLastDestroy(4 * SECOND));
        assertEquals(List.of(0L, 4 * SECOND, 12 * SECOND), passTimes(v8));
        assertEquals("v8-v10(delay=3s)", Policies.debouncedAfterLastDestroy(3 * SECOND).name());
        TestKernel v3 = destroysAt0And5And8(Policies.delayedAfterDestroy(4 * SECOND));
        assertEquals(List.of(0L, 4 * SECOND, 9 * SECOND), passTimes(v3));
        assertEquals("v8-v10", Policies.debouncedAfterLastDestroy(Policies.WORK_TIMEOUT_NANOS).name());
        assertEquals("targeted(delay=3s,no-debounce)", Policies.targetedFreedRegions(3 * SECOND, false).name());
        TestKernel targeted = destroysAt0And5And8(Policies.targetedFreedRegions(20 * SECOND, false));
        assertEquals(List.of(0L, 20 * SECOND), passTimes(targeted));
        assertEquals(3, targeted.passes.get(1).regions(), "the pending pass covers every region freed meanwhile");
    }
}

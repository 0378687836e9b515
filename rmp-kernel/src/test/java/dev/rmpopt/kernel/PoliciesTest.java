package dev.rmpopt.kernel;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.kernel.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernel's trigger policies on the simulated clock (model §7). */
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
    void everyVersionIsNamedAndAnUnknownNameIsAClearError() {
        assertEquals(List.of("v1", "v2", "v3-v7", "v8-v10", "targeted", "boot-only"), Policies.names());
        for (String name : Policies.names()) {
            assertEquals(name, Policies.named(name).name());
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Policies.named("v11"));
        assertTrue(e.getMessage().contains("v11") && e.getMessage().contains("v8-v10"), e.getMessage());
    }

    @Test
    void v1PassesOnThePrimaryThreadsWithNoLeaderAndOnlyWhenAsked() {
        TestKernel sim = destroysAt0And5And8(Policies.v1());
        assertEquals(List.of(0L), passTimes(sim), "no destroy trigger");
        PassRecord boot = sim.passes.get(0);
        assertEquals(PassShape.PRIMARY_THREADS_NO_LEADER, boot.shape());
        assertEquals(16 * 4, boot.rmpoptInstructions(), "every core VERIFYs every region, the issuer too");
        assertEquals(3, boot.jitter().targets());
        assertTrue(sim.kernel.requestManualPass(), "configfs");
        assertEquals(PassTrigger.MANUAL, sim.passes.get(1).trigger());
    }

    @Test
    void v2PassesOnEveryOnlineCpuWhenGuestMemfdMemoryIsFreed() {
        TestKernel sim = destroysAt0And5And8(Policies.v2());
        long bootEnd = sim.passes.get(0).modeledNanos();
        assertEquals(List.of(0L, bootEnd, 5 * SECOND, 8 * SECOND), passTimes(sim),
                "a pass at once after each destroy; the first waits for the boot pass to end");
        PassRecord pass = sim.passes.get(1);
        assertEquals(PassTrigger.GUEST_MEMFD_FREE, pass.trigger());
        assertEquals(PassShape.ALL_CPUS_NO_LEADER, pass.shape());
        assertEquals(16 * 8, pass.rmpoptInstructions(), "all 8 logical CPUs on every region");
        assertEquals(7, pass.jitter().targets());
    }

    @Test
    void fromV8TheBootPassIsDelayedWorkThatADestroyPushesOut() {
        TestKernel sim = sim(Policies.debouncedAfterLastDestroy());
        sim.machine.snpInit();
        assertTrue(sim.kernel.boot().bootPass().isEmpty(), "queued, not run");
        assertEquals(List.of(), sim.passes);
        sim.kernel.onSnpVmDestroyed(regions(5));
        sim.advance(60 * SECOND);
        assertEquals(List.of(10 * SECOND), passTimes(sim), "mod_delayed_work moved the one work item to 10 s");
        assertEquals(PassTrigger.VM_DESTROY_DEBOUNCED, sim.passes.get(0).trigger());
        assertEquals(16, sim.passes.get(0).regions());
    }

    @Test
    void beforeV8TheBootPassRunsDuringSetup() {
        TestKernel sim = sim(Policies.delayedAfterDestroy());
        sim.machine.snpInit();
        assertEquals(PassTrigger.BOOT, sim.kernel.boot().bootPass().orElseThrow().trigger());
    }

    @Test
    void aTargetedRequestWhileTheFullBootPassIsPendingLeavesItFull() {
        TestKernel sim = sim(Policies.targetedFreedRegions());
        sim.machine.snpInit();
        sim.kernel.boot();
        sim.kernel.onSnpVmDestroyed(regions(5));
        sim.advance(60 * SECOND);
        assertEquals(1, sim.passes.size());
        assertEquals(16, sim.passes.get(0).regions(), "the boot pass still covers everything");
        sim.kernel.onSnpVmDestroyed(regions(6));
        sim.advance(60 * SECOND);
        assertEquals(1, sim.passes.get(1).regions(), "the bitmap was cleared by the full pass");
    }

    @Test
    void noPassIsQueuedWhenDecommissionFailed() {
        TestKernel sim = sim(Policies.debouncedAfterLastDestroy()).booted();
        sim.kernel.onSnpVmDestroyed(regions(5), false);
        sim.advance(60 * SECOND);
        assertEquals(1, sim.passes.size(), "the boot pass only");
    }

    @Test
    void theLeaderIsTheCpuRunningTheWorkAndItsSiblingIsLeftOutOfTheFollowers() {
        // CPU 4 is the second thread of core 0 (Linux numbers the primary threads first)
        TestKernel sim = new TestKernel(TestKernel.smallHost(8), Policies.bootOnly(), pass -> 4).booted();
        PassRecord boot = sim.passes.get(0);
        assertEquals(4, boot.jitter().issuerCpu());
        assertEquals(3, boot.jitter().targets(), "cores 1-3; core 0 is the leader's");
        assertEquals(8 * 4, boot.rmpoptInstructions());
        for (int cpu = 0; cpu < 8; cpu++) {
            assertTrue(sim.machine.rmpopt(cpu, 1L << 30, dev.rmpopt.api.RmpoptFunction.REPORT_STATUS).carry(),
                    "the leader's VERIFY set its core's table, which CPU 0 shares: CPU " + cpu);
        }
    }

    @Test
    void hotplugIsRefusedWhileSnpIsActiveAndTheCallerSeesIt() {
        TestKernel sim = sim(Policies.debouncedAfterLastDestroy());
        assertEquals(new HotplugResult.Done(3, false), sim.kernel.setCpuOnline(3, false), "before SNP, hotplug works");
        sim.machine.snpInit();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, sim.kernel::boot);
        assertTrue(e.getMessage().contains("every present CPU online"), e.getMessage());
        assertFalse(sim.kernel.isSetUp(), "nothing was set up");
        assertEquals(new HotplugResult.Done(3, true), sim.kernel.setCpuOnline(3, true));
        sim.kernel.boot();
        HotplugResult refused = sim.kernel.setCpuOnline(5, false);
        assertTrue(refused instanceof HotplugResult.Refused r && r.reason().contains("disabled while SNP is active"), refused.toString());
        assertTrue(sim.kernel.isCpuOnline(5), "nothing changed");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> sim.kernel.setCpuOnline(8, false));
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

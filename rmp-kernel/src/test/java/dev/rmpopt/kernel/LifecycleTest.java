package dev.rmpopt.kernel;

import static dev.rmpopt.api.Geometry.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.ShutdownKind;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * The kernel's side of SNP's lifecycle, v5-v10 (model §7.5), end to end on the reference machine:
 * both shutdown paths, re-initialization after each, hotplug re-enabled only by the full shutdown,
 * the cancelled work, and a kexec into a kernel that finds SnpEn set.
 */
class LifecycleTest {

    private static final long SECOND = 1_000_000_000L;

    private static TestKernel booted(RmpoptPolicy policy) {
        return new TestKernel(TestKernel.smallHost(8), policy).booted();
    }

    private static BitSet region(int r) {
        BitSet b = new BitSet();
        b.set(r);
        return b;
    }

    @Test
    void x86SnpShutdownCleansUpThenReinitSetsUpAgainWithABootPass() {
        TestKernel sim = booted(Policies.debouncedAfterLastDestroy());
        assertEquals(1, sim.passes.size(), "the boot pass");
        assertTrue(sim.machine.rmpopt(0, GIB, RmpoptFunction.REPORT_STATUS).carry());
        sim.advance(SECOND); // the boot pass is over
        assertEquals(FirmwareStatus.SUCCESS, sim.machine.snpShutdown(ShutdownKind.X86_SNP_SHUTDOWN));
        assertFalse(sim.machine.snpEnabled(0));
        assertTrue(sim.kernel.onSnpShutdown(), "SnpEn is clear: rmpopt_cleanup runs");
        assertFalse(sim.kernel.isSetUp(), "the workqueue is gone");
        for (int cpu : sim.kernel.cpuSet()) {
            assertEquals(RmpoptBase.DISABLED, sim.machine.rdmsrRmpoptBase(cpu), "the kernel wrote 0 on CPU " + cpu);
        }
        assertEquals(new HotplugResult.Done(5, false), sim.kernel.setCpuOnline(5, false), "hotplug is enabled again");
        assertEquals(new HotplugResult.Done(5, true), sim.kernel.setCpuOnline(5, true));
        // re-init: SNP_INIT sets SnpEn again, the setup runs in full, with its boot pass
        assertEquals(FirmwareStatus.SUCCESS, sim.machine.snpInit());
        SetupResult again = sim.kernel.boot();
        assertFalse(again.skippedByGuard());
        sim.advance(0);
        assertEquals(2, sim.passes.size(), "a second boot pass");
        assertEquals(PassTrigger.BOOT, sim.passes.get(1).trigger());
        assertTrue(sim.machine.rmpopt(0, GIB, RmpoptFunction.REPORT_STATUS).carry());
        assertInstanceOf(HotplugResult.Refused.class, sim.kernel.setCpuOnline(5, false), "SNP is active again");
    }

    @Test
    void aPassStillQueuedAtTheX86ShutdownIsCancelledNotRunIntoUd() {
        TestKernel sim = booted(Policies.debouncedAfterLastDestroy());
        sim.kernel.onSnpVmDestroyed(region(2));
        sim.advance(SECOND);
        assertEquals(FirmwareStatus.SUCCESS, sim.machine.snpShutdown(ShutdownKind.X86_SNP_SHUTDOWN));
        assertEquals(RmpoptResult.UD, sim.machine.rmpopt(0, GIB, RmpoptFunction.VERIFY_AND_REPORT_STATUS),
                "without SnpEn RMPOPT is #UD: the pass must not run");
        sim.kernel.onSnpShutdown();
        sim.advance(20 * SECOND); // the driver throws on #UD; the pass was cancelled, so nothing runs
        assertEquals(1, sim.passes.size(), "only the boot pass ran");
    }

    @Test
    void legacyShutdownKeepsEverythingAndTheGuardSkipsTheNextSetup() {
        TestKernel sim = booted(Policies.debouncedAfterLastDestroy());
        sim.kernel.onSnpVmDestroyed(region(2));
        assertEquals(FirmwareStatus.SUCCESS, sim.machine.snpShutdown(ShutdownKind.LEGACY_SNP_SHUTDOWN_EX));
        assertTrue(sim.machine.snpEnabled(0));
        assertFalse(sim.kernel.onSnpShutdown(), "SnpEn is still set: no cleanup");
        assertTrue(sim.kernel.isSetUp(), "the workqueue still exists");
        assertEquals(new RmpoptBase(0, true), sim.machine.rdmsrRmpoptBase(0), "nobody wrote RMPOPT_BASE = 0");
        assertInstanceOf(HotplugResult.Refused.class, sim.kernel.setCpuOnline(5, false), "hotplug stays disabled");
        // re-init: SNP_INIT zeroes the tables; the guard skips the setup, so no boot pass runs
        assertEquals(FirmwareStatus.SUCCESS, sim.machine.snpInit());
        assertFalse(sim.machine.rmpopt(0, GIB, RmpoptFunction.REPORT_STATUS).carry(), "SNP_INIT zeroed the table");
        SetupResult skipped = sim.kernel.boot();
        assertTrue(skipped.skippedByGuard());
        assertTrue(skipped.bootPass().isEmpty());
        assertEquals(1, sim.passes.size(), "no boot pass after the legacy re-init");
        // the destroy's pass queued before the shutdown still runs, on enabled cores: no #UD
        sim.advance(10 * SECOND);
        assertEquals(2, sim.passes.size());
        assertEquals(PassTrigger.VM_DESTROY_DEBOUNCED, sim.passes.get(1).trigger());
        assertTrue(sim.machine.rmpopt(0, GIB, RmpoptFunction.REPORT_STATUS).carry(), "the destroy's pass optimized again");
    }

    @Test
    void afterALegacyShutdownTheNextPassIsALaterDestroys() {
        TestKernel sim = booted(Policies.delayedAfterDestroy());
        sim.machine.snpShutdown(ShutdownKind.LEGACY_SNP_SHUTDOWN_EX);
        sim.kernel.onSnpShutdown();
        sim.machine.snpInit();
        sim.kernel.boot();
        sim.advance(30 * SECOND);
        assertEquals(1, sim.passes.size(), "nothing until a destroy");
        sim.kernel.onSnpVmDestroyed(region(2));
        sim.advance(10 * SECOND);
        assertEquals(2, sim.passes.size());
        assertTrue(sim.passes.get(1).regionsClean() > 0);
    }

    @Test
    void theCleanupNeedsTheFirmwaresShutdownFirst() {
        TestKernel sim = booted(Policies.debouncedAfterLastDestroy());
        assertThrows(IllegalStateException.class, sim.kernel::onSnpShutdown);
        assertTrue(sim.kernel.isSetUp(), "nothing changed");
    }

    @Test
    void aKexecIntoAKernelWithSnpEnSetDisablesHotplugAtOnce() {
        TestKernel first = booted(Policies.debouncedAfterLastDestroy());
        first.machine.snpShutdown(ShutdownKind.LEGACY_SNP_SHUTDOWN_EX);
        // kexec: a new kernel on the same machine, which the legacy shutdown left with SnpEn set
        KernelRmpopt second = new KernelRmpopt(first.machine, first.clears, first.scheduler, Policies.debouncedAfterLastDestroy(),
                RmpoptCostModel.AMD_PUBLISHED, pass -> { });
        assertTrue(second.bootedByKexec());
        assertInstanceOf(HotplugResult.Refused.class, second.setCpuOnline(2, false));
        assertTrue(second.isCpuOnline(2));
        // its own setup runs in full after SNP_INIT: the guard is the earlier kernel's, gone with it
        first.machine.snpInit();
        assertFalse(second.boot().skippedByGuard());
    }

    @Test
    void aKexecAfterTheFullShutdownLeavesHotplugEnabled() {
        TestKernel first = booted(Policies.debouncedAfterLastDestroy());
        first.machine.snpShutdown(ShutdownKind.X86_SNP_SHUTDOWN);
        KernelRmpopt second = new KernelRmpopt(first.machine, first.clears, first.scheduler, Policies.debouncedAfterLastDestroy(),
                RmpoptCostModel.AMD_PUBLISHED, pass -> { });
        assertFalse(second.bootedByKexec(), "SnpEn is clear");
        assertEquals(new HotplugResult.Done(2, false), second.setCpuOnline(2, false));
    }
}

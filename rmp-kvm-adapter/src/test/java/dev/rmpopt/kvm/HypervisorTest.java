package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.PAGE_2M;
import static dev.rmpopt.api.Geometry.PAGE_4K;
import static dev.rmpopt.kernel.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PageState;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.ShutdownKind;
import dev.rmpopt.kernel.HotplugResult;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.telemetry.WriteOutcome;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** The hypervisor's flows end to end on a 16 GiB host with the reference backend. */
class HypervisorTest {

    static RmpEntry entry(Sim sim, Vm vm, long gpa) {
        return sim.machine.rmpRead(vm.spaOf(gpa)).entry();
    }

    @Test
    void anSnpGuestLaunchesAcceptsConvertsAndIsDestroyed() {
        Sim sim = new Sim(Policies.debouncedAfterLastDestroy(), PlacementPolicy.packSnpRegions());
        sim.boot();
        int boot = sim.regionsOptimizedEverywhere();
        assertEquals(13, boot, "all but region 0 (firmware) and 7 and 15 (RMP segments)");

        Vm vm = sim.hypervisor.launch(VmSpec.snp(GIB, 2));
        assertEquals(1, vm.asid());
        assertEquals(PageState.GUEST_VALID, entry(sim, vm, 0).state(), "launch pages are measured");
        assertEquals(PageState.HYPERVISOR, entry(sim, vm, 32L << 20).state(), "the rest is not accepted yet");
        long region = Geometry.regionIndex(vm.spaOf(0));
        assertFalse(sim.machine.rmpopt(0, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS).carry(),
                "launch RMPUPDATEs cleared the guest's region");

        sim.hypervisor.acceptMemory(vm, 0, 64L << 20);
        RmpEntry large = entry(sim, vm, 32L << 20);
        assertEquals(new RmpEntry(true, PageSize.SIZE_2M, false, true, false, 1, 32L << 20), large,
                "a wholly shared 2M range becomes one validated 2M entry");
        assertEquals(PageSize.SIZE_4K, entry(sim, vm, PAGE_4K * 3000).pageSize(), "the launch image's 2M ranges stay 4K");
        assertEquals((64L << 20), vm.privateBytes());
        assertTrue(sim.machine.assignedPages(region) >= vm.privateBytes() / PAGE_4K);

        sim.hypervisor.convertToShared(vm, (32L << 20) + PAGE_4K, PAGE_4K);
        assertEquals(PageSize.SIZE_4K, entry(sim, vm, 32L << 20).pageSize(), "PSMASH split the 2M entry");
        assertFalse(entry(sim, vm, (32L << 20) + PAGE_4K).assigned());
        assertTrue(entry(sim, vm, (32L << 20) + 2 * PAGE_4K).validated());
        assertEquals(AccessOutcome.CHECKED, sim.hypervisor.deviceWrite(vm, 0, (32L << 20) + PAGE_4K));
        assertEquals(AccessOutcome.CHECKED, sim.hypervisor.guestWrite(vm, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> sim.hypervisor.deviceWrite(vm, 0, 0), "private page");

        sim.hypervisor.convertToPrivate(vm, (32L << 20) + PAGE_4K, PAGE_4K);
        sim.hypervisor.convertToShared(vm, 34L << 20, PAGE_2M);
        assertFalse(entry(sim, vm, 34L << 20).assigned(), "a whole 2M entry goes in one RMPUPDATE");

        long checkedBefore = sim.hostWrites(WriteOutcome.CHECKED);
        BitSet freed = sim.hypervisor.destroy(vm);
        assertTrue(freed.get((int) region));
        assertEquals(512, sim.hostWrites(WriteOutcome.CHECKED) - checkedBefore, "freed frames are zeroed before any pass");
        assertEquals(PageState.HYPERVISOR, entry(sim, vm, 0).state());
        assertEquals(0, sim.hypervisor.runningVms().size());
        long rmpSegment = sim.machine.host().rmpTable().stream()
                .filter(r -> Geometry.regionIndex(r.start()) == region).mapToLong(r -> r.size() / PAGE_4K).sum();
        assertEquals(rmpSegment, sim.machine.assignedPages(region), "only the RMP segment the region may hold is left");
        assertEquals(256, sim.machine.assignedPages(0), "the firmware's [1, 2) MiB");
        sim.scheduler.runUntil(11 * SECOND);
        assertEquals(2, sim.passes().size());
        assertEquals(boot, sim.regionsOptimizedEverywhere(), "the pass won it back");
        assertEquals(0, sim.hostWrites(WriteOutcome.FAULTED));
    }

    @Test
    void legacyGuestsOn1GPagesSkipTheCheckOnOptimizedRegions() {
        Sim sim = new Sim(Policies.debouncedAfterLastDestroy(), PlacementPolicy.scatter(1));
        sim.boot();
        Vm vm = sim.hypervisor.launch(VmSpec.legacy(GIB, 1, MappingSize.SIZE_1G));
        assertEquals(AccessOutcome.SKIPPED, sim.hypervisor.guestWrite(vm, 0, 12345 * PAGE_4K));
        assertEquals(AccessOutcome.SKIPPED, sim.hypervisor.deviceWrite(vm, 0, 0));
        assertEquals(2, sim.hostWrites(WriteOutcome.SKIPPED), "the legacy guest's own write and the device write");
        sim.hypervisor.destroy(vm);
        assertEquals(3, sim.hostWrites(WriteOutcome.SKIPPED), "zeroing the freed 1G frame as one 2M write");
        assertFalse(sim.scheduler.hasPending(), "legacy VMs do not trigger RMPOPT");
    }

    @Test
    void aPageInEveryRegionOptimizesNothingAndEachVerifyStopsAtIt() {
        Sim sim = new Sim(Policies.debouncedAfterLastDestroy(), PlacementPolicy.scatter(1));
        sim.boot();
        for (long region = 0; region < 16; region++) {
            long spa = region * GIB + 512 * PAGE_4K * 3;
            if (sim.machine.host().isRam(spa) && !sim.machine.rmpRead(spa).entry().assigned()) {
                assertEquals(dev.rmpopt.api.RmpReturnCode.SUCCESS,
                        sim.machine.rmpUpdate(spa, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false)));
            }
        }
        sim.scheduler.runUntil(SECOND);
        assertTrue(sim.kernel.requestManualPass());
        PassRecord pass = sim.passes().get(1);
        int hole = 1;
        assertEquals(hole, pass.regionsClean(), "only the MMIO hole region has no RMP entry to assign");
        PassRecord boot = sim.passes().get(0);
        assertTrue(pass.modeledNanos() < boot.modeledNanos(),
                "scans that stop 6 MiB into each region cost less than whole scans: " + pass.modeledNanos() + " vs " + boot.modeledNanos());
        assertEquals(hole, sim.regionsOptimizedEverywhere());
    }

    @Test
    void badRequestsAreRejectedAndChangeNothing() {
        Sim sim = new Sim(Policies.debouncedAfterLastDestroy(), PlacementPolicy.scatter(1));
        assertThrows(IllegalStateException.class, () -> sim.hypervisor.launch(VmSpec.snp(GIB, 1)), "SNP_INIT first");
        sim.boot();
        long free = sim.frames.freeBytes();
        assertThrows(IllegalStateException.class, () -> sim.hypervisor.launch(VmSpec.snp(64 * GIB, 1)));
        assertEquals(free, sim.frames.freeBytes());
        Vm legacy = sim.hypervisor.launch(VmSpec.legacy(GIB, 1, MappingSize.SIZE_2M));
        assertThrows(IllegalArgumentException.class, () -> sim.hypervisor.acceptMemory(legacy, 0, PAGE_2M));
        Vm snp = sim.hypervisor.launch(VmSpec.snp(GIB, 1));
        assertThrows(IllegalArgumentException.class, () -> sim.hypervisor.convertToShared(snp, 100, PAGE_4K));
        assertThrows(IllegalArgumentException.class, () -> sim.hypervisor.convertToShared(snp, GIB, PAGE_4K));
        sim.hypervisor.destroy(snp);
        assertThrows(IllegalArgumentException.class, () -> sim.hypervisor.destroy(snp));
        assertThrows(IllegalArgumentException.class, () -> VmSpec.snp(GIB + PAGE_4K, 1));
        assertThrows(IllegalArgumentException.class, () -> new VmSpec(true, GIB, 1, MappingSize.SIZE_1G, 0));
        assertInstanceOf(IllegalArgumentException.class, assertThrows(RuntimeException.class, () -> legacy.spaOf(GIB)));
    }

    @Test
    void snpShutsDownBothWaysAndReinitializes() {
        Sim sim = new Sim(Policies.debouncedAfterLastDestroy(), PlacementPolicy.packSnpRegions());
        sim.boot();
        Vm vm = sim.hypervisor.launch(VmSpec.snp(GIB, 2));
        assertThrows(IllegalStateException.class, () -> sim.hypervisor.shutdownSnp(ShutdownKind.X86_SNP_SHUTDOWN),
                "an SNP guest runs");
        sim.hypervisor.destroy(vm);
        // the legacy path: no cleanup, the guard skips the next setup, the destroy's pass comes later
        assertFalse(sim.hypervisor.shutdownSnp(ShutdownKind.LEGACY_SNP_SHUTDOWN_EX));
        assertTrue(sim.hypervisor.bootSnp().skippedByGuard());
        assertEquals(0, sim.regionsOptimizedEverywhere(), "SNP_INIT zeroed the tables and no boot pass ran");
        sim.scheduler.runUntil(sim.scheduler.now() + 10 * SECOND);
        assertEquals(13, sim.regionsOptimizedEverywhere(), "the destroy's pass, queued before the shutdown, ran");
        // the X86 path: cleanup, hotplug back, a full setup with a boot pass at the next SNP_INIT
        sim.scheduler.runUntil(sim.scheduler.now() + SECOND); // the destroy's pass is over
        assertTrue(sim.hypervisor.shutdownSnp(ShutdownKind.X86_SNP_SHUTDOWN));
        assertFalse(sim.machine.rmpChecksEnabled());
        assertEquals(AccessOutcome.UNCHECKED, sim.machine.write(0, dev.rmpopt.api.Accessor.HYPERVISOR, 2 * GIB, MappingSize.SIZE_4K));
        assertInstanceOf(HotplugResult.Done.class, sim.kernel.setCpuOnline(3, false));
        assertInstanceOf(HotplugResult.Done.class, sim.kernel.setCpuOnline(3, true));
        int passes = sim.passes().size();
        sim.boot();
        assertEquals(passes + 1, sim.passes().size(), "a boot pass after the re-init");
        assertEquals(13, sim.regionsOptimizedEverywhere());
        Vm again = sim.hypervisor.launch(VmSpec.snp(GIB, 2));
        assertEquals(1, again.asid(), "SNP works again");
    }

    /** A machine that answers every other RMPUPDATE and PSMASH with FAIL_INUSE, as if another CPU were changing the entry. */
    private static dev.rmpopt.api.SnpMachine inUseEveryOtherTime(dev.rmpopt.api.SnpMachine machine, int[] inUse) {
        boolean[] busy = {false};
        return (dev.rmpopt.api.SnpMachine) java.lang.reflect.Proxy.newProxyInstance(HypervisorTest.class.getClassLoader(),
                new Class<?>[] {dev.rmpopt.api.SnpMachine.class}, (proxy, method, args) -> {
                    boolean changes = method.getName().equals("rmpUpdate") || method.getName().equals("psmash");
                    // the hypervisor's calls: RMPUPDATE and PSMASH by the hypervisor (the SPI's short forms)
                    if (changes && args.length == (method.getName().equals("rmpUpdate") ? 2 : 1)) {
                        busy[0] = !busy[0];
                        if (busy[0]) {
                            inUse[0]++;
                            return dev.rmpopt.api.RmpReturnCode.FAIL_INUSE;
                        }
                    }
                    try {
                        return method.invoke(machine, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void theHypervisorRetriesFailInUseAsLinuxDoes() {
        int[] inUse = {0};
        Sim sim = new Sim(dev.rmpopt.api.HostDescription.standard(new dev.rmpopt.api.CpuTopology(2, 2, 2), 16 * GIB), "scalable",
                m -> inUseEveryOtherTime(m, inUse), Policies.debouncedAfterLastDestroy(), PlacementPolicy.packSnpRegions());
        sim.boot();
        Vm vm = sim.hypervisor.launch(VmSpec.snp(GIB, 2));
        sim.hypervisor.acceptMemory(vm, 0, 64L << 20);
        sim.hypervisor.convertToShared(vm, (32L << 20) + PAGE_4K, PAGE_4K); // a PSMASH, then 4K RMPUPDATEs
        sim.hypervisor.destroy(vm);
        assertTrue(inUse[0] > 100, "FAIL_INUSE met and retried " + inUse[0] + " times");
        sim.scheduler.runUntil(sim.scheduler.now() + 10 * SECOND);
        assertEquals(13, sim.regionsOptimizedEverywhere(), "the destroy's pass optimized everything again");
    }

    /**
     * A secure processor whose SNP_DECOMMISSION of {@code asid} fails with INVALID_GUEST_STATE, changing
     * nothing (model §4.8: a failed command changes nothing); every other call goes to {@code machine}.
     */
    private static dev.rmpopt.api.SnpMachine decommissionFails(dev.rmpopt.api.SnpMachine machine, int asid) {
        return (dev.rmpopt.api.SnpMachine) java.lang.reflect.Proxy.newProxyInstance(HypervisorTest.class.getClassLoader(),
                new Class<?>[] {dev.rmpopt.api.SnpMachine.class}, (proxy, method, args) -> {
                    if (method.getName().equals("decommission") && (Integer) args[0] == asid) {
                        return dev.rmpopt.api.FirmwareStatus.INVALID_GUEST_STATE;
                    }
                    try {
                        return method.invoke(machine, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aFailedDecommissionLeaksTheVmAsKvmDoesAndQueuesNoPass() {
        Sim sim = new Sim(dev.rmpopt.api.HostDescription.standard(new dev.rmpopt.api.CpuTopology(2, 2, 2), 16 * GIB), "reference",
                m -> decommissionFails(m, 1), Policies.debouncedAfterLastDestroy(), PlacementPolicy.packSnpRegions());
        sim.boot();
        sim.scheduler.runUntil(sim.scheduler.now() + SECOND);
        int boot = sim.regionsOptimizedEverywhere();
        int passes = sim.passes().size();
        Vm vm = sim.hypervisor.launch(VmSpec.snp(GIB, 2));
        assertEquals(1, vm.asid());
        sim.hypervisor.acceptMemory(vm, 0, 64L << 20);
        long free = sim.hypervisor.frames().freeBytes();
        long checked = sim.hostWrites(WriteOutcome.CHECKED);

        BitSet freed = sim.hypervisor.destroy(vm);

        assertTrue(freed.isEmpty(), "nothing freed");
        assertFalse(sim.hypervisor.runningVms().contains(vm), "no longer running");
        assertEquals(java.util.List.of(vm), sim.hypervisor.leakedVms(), "the failure is counted, the VM kept as leaked");
        assertFalse(vm.isDestroyed());
        assertEquals(PageState.GUEST_VALID, entry(sim, vm, 0).state(), "launch pages stay assigned to the live context");
        assertTrue(entry(sim, vm, 32L << 20).assigned(), "accepted pages stay assigned");
        assertEquals(free, sim.hypervisor.frames().freeBytes(), "no frame freed, the context page neither");
        assertEquals(checked, sim.hostWrites(WriteOutcome.CHECKED), "nothing zeroed");
        sim.scheduler.runUntil(sim.scheduler.now() + 11 * SECOND);
        assertEquals(passes, sim.passes().size(), "v5+: no RMPOPT pass after a failed DECOMMISSION");
        assertTrue(sim.regionsOptimizedEverywhere() < boot, "the guest's regions stay unoptimized");
        assertThrows(IllegalArgumentException.class, () -> sim.hypervisor.destroy(vm), "a leaked VM is not destroyed again");
        assertThrows(IllegalStateException.class, () -> sim.hypervisor.shutdownSnp(ShutdownKind.X86_SNP_SHUTDOWN),
                "the leaked context keeps SNP_SHUTDOWN refused");

        Vm next = sim.hypervisor.launch(VmSpec.snp(GIB, 2));
        assertEquals(2, next.asid(), "the leaked ASID is never reused");
        sim.hypervisor.destroy(next);
        assertTrue(sim.hypervisor.runningVms().isEmpty());
        assertEquals(1, sim.hypervisor.leakedVms().size(), "a DECOMMISSION that succeeds is not counted");
        sim.scheduler.runUntil(sim.scheduler.now() + 11 * SECOND);
        assertEquals(passes + 1, sim.passes().size(), "a destroy that decommissioned queues its pass");
    }
}

package dev.rmpopt.kernel;

import static dev.rmpopt.api.Geometry.GIB;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.SnpMachine;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small reference host with the kernel's RMPOPT side wired by hand, as {@link KernelModule} would
 * wire it, and every pass it runs kept in {@link #passes} (the kernel keeps none).
 */
public final class TestKernel {

    public final SnpMachine machine;
    public final EventScheduler scheduler = new EventScheduler();
    public final RegionClearTracker clears = new RegionClearTracker();
    public final List<PassRecord> passes = new CopyOnWriteArrayList<>();
    public final KernelRmpopt kernel;

    /** 2 sockets x 2 cores x 2 threads and {@code gib} GiB of RAM (firmware in region 0, the hole in region 3). */
    public static HostDescription smallHost(int gib) {
        return HostDescription.standard(new CpuTopology(2, 2, 2), gib * GIB);
    }

    /** The kernel on a reference machine of {@code host}, not yet booted. */
    public TestKernel(HostDescription host, RmpoptPolicy policy) {
        this(host, policy, pass -> 0);
    }

    /** As above, with pass {@code n}'s work running on CPU {@code issuerOfPass(n)}. */
    public TestKernel(HostDescription host, RmpoptPolicy policy, java.util.function.IntUnaryOperator issuerOfPass) {
        machine = RmpBackendProvider.named("reference").create(host, ModelOptions.DEFAULTS, clears);
        kernel = new KernelRmpopt(machine, clears, scheduler, policy, RmpoptCostModel.AMD_PUBLISHED, passes::add, issuerOfPass);
    }

    /** SNP_INIT, then the kernel's setup and boot pass (run at once, or as delayed work with no delay). */
    public TestKernel booted() {
        machine.snpInit();
        kernel.boot();
        advance(0);
        return this;
    }

    /** The hypervisor assigns the 4 KiB page at {@code spa} to ASID 1. */
    public void assign(long spa) {
        expect(machine.rmpUpdate(spa, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false)));
    }

    /** The hypervisor makes the 4 KiB page at {@code spa} shared again. */
    public void share(long spa) {
        expect(machine.rmpUpdate(spa, RmpState.shared()));
    }

    /** Lets {@code nanos} of simulated time pass, running what comes due. */
    public void advance(long nanos) {
        scheduler.runUntil(scheduler.now() + nanos);
    }

    /** The pass started at these times, boot first. */
    public List<Long> passTimes() {
        return passes.stream().map(PassRecord::startNanos).toList();
    }

    private static void expect(RmpReturnCode code) {
        if (code != RmpReturnCode.SUCCESS) {
            throw new IllegalStateException("RMPUPDATE failed: " + code);
        }
    }
}

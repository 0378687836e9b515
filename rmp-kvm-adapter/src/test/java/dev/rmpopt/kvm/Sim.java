package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.GIB;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.SnpMachine;

/** A small simulated host wired by hand, as {@link KvmModule} would wire it. */
final class Sim {
    final SnpMachine machine;
    final EventScheduler scheduler = new EventScheduler();
    final RegionClearTracker clears = new RegionClearTracker();
    final RmpoptDriver driver;
    final KernelRmpopt kernel;
    final HostFrameAllocator frames;
    final Hypervisor hypervisor;

    Sim(RmpoptPolicy policy, PlacementPolicy placement) {
        this(HostDescription.standard(new CpuTopology(2, 2, 2), 16 * GIB), policy, placement);
    }

    /** 2 sockets x 2 cores x 2 threads: firmware in region 0, RMP segments in regions 7 and 15, hole in 3. */
    Sim(HostDescription host, RmpoptPolicy policy, PlacementPolicy placement) {
        machine = RmpBackendProvider.named("reference").create(host, ModelOptions.DEFAULTS, clears);
        driver = new RmpoptDriver(machine, clears, RmpoptCostModel.AMD_CALIBRATED, scheduler::now, PassListener.NONE);
        kernel = new KernelRmpopt(driver, scheduler, policy);
        frames = new HostFrameAllocator(host, placement);
        hypervisor = new Hypervisor(machine, frames, kernel);
    }

    Coverage coverage() {
        return Coverage.measure(machine, driver, scheduler.now());
    }
}

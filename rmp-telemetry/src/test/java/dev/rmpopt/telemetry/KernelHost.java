package dev.rmpopt.telemetry;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.KernelRmpopt;
import dev.rmpopt.kernel.PassRequest;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.RegionClearTracker;
import dev.rmpopt.kernel.RmpoptCostModel;

/**
 * A reference host with the kernel's RMPOPT side, observed by one {@link RmpTelemetry} from the
 * machine's creation on: as the command line wires it, without Guice. Passes run when the test
 * moves the clock ({@link #at}) and asks for them.
 */
final class KernelHost {

    final HostDescription host;
    final RmpTelemetry telemetry;
    final RegionClearTracker clears = new RegionClearTracker();
    final SnpMachine machine;
    final EventScheduler scheduler = new EventScheduler();
    final KernelRmpopt kernel;
    final CoverageSampler sampler;

    KernelHost(HostDescription host) {
        this(host, "reference");
    }

    /** The same on the backend named {@code backend}. */
    KernelHost(HostDescription host, String backend) {
        this.host = host;
        telemetry = new RmpTelemetry(host);
        machine = RmpBackendProvider.named(backend).create(host, ModelOptions.DEFAULTS, RmpEventListener.compose(telemetry, clears));
        kernel = new KernelRmpopt(machine, clears, scheduler, Policies.bootOnly(), RmpoptCostModel.AMD_PUBLISHED, telemetry);
        sampler = new CoverageSampler(machine, telemetry);
    }

    /** SNP_INIT, then the kernel's setup and boot pass at time 0. */
    KernelHost booted() {
        machine.snpInit();
        kernel.boot();
        return this;
    }

    /** Moves the simulated clock to {@code nanos}, running what comes due. */
    void at(long nanos) {
        scheduler.runUntil(nanos);
    }

    /** A pass the kernel queues for now (as a policy would ask), run before this returns. */
    void passNow(PassRequest request) {
        kernel.queue(request);
        scheduler.runUntil(scheduler.now());
    }
}

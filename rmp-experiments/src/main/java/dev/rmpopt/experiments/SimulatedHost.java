package dev.rmpopt.experiments;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.core.RmpCoreModule;
import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.KernelListener;
import dev.rmpopt.kernel.RmpoptPolicy;
import dev.rmpopt.kernel.SetupResult;
import dev.rmpopt.kvm.Hypervisor;
import dev.rmpopt.kvm.KvmModule;
import dev.rmpopt.kvm.PlacementPolicy;
import dev.rmpopt.telemetry.CoverageSampler;
import dev.rmpopt.telemetry.RmpTelemetry;

/**
 * One simulated host, wired and booted: the backend, the kernel's RMPOPT driver with its policy,
 * the hypervisor with its frame placement, and telemetry listening to both the RMP and the
 * kernel. Nothing is shared between hosts, so hosts on different threads do not meet.
 *
 * @param hypervisor the hypervisor, SNP initialized
 * @param scheduler  the host's simulated clock, at the end of boot
 * @param telemetry  what the host's RMP and kernel reported, from before SNP_INIT on
 * @param sampler    coverage samples of this host's machine into {@code telemetry}
 * @param setup      what the kernel's setup found at boot (model §7.1)
 */
public record SimulatedHost(Hypervisor hypervisor, EventScheduler scheduler, RmpTelemetry telemetry, CoverageSampler sampler,
                            SetupResult setup) {

    /**
     * Wires a fresh host and boots it: SNP_INIT and the kernel's setup (model §7.1), then runs
     * what is due at that instant, so that a boot pass queued with no delay (v8+) is done.
     *
     * @param host      the host's shape
     * @param backend   the RMP backend's name, as {@link RmpCoreModule#selectBackend} takes it
     * @param policy    the kernel's RMPOPT policy
     * @param placement the hypervisor's frame placement
     * @return the booted host
     */
    public static SimulatedHost boot(HostDescription host, String backend, RmpoptPolicy policy, PlacementPolicy placement) {
        RmpTelemetry telemetry = new RmpTelemetry(host);
        Injector injector = Guice.createInjector(new RmpCoreModule(), new KvmModule(), new AbstractModule() {
            @Override
            protected void configure() {
                bind(HostDescription.class).toInstance(host);
                RmpCoreModule.selectBackend(binder(), backend);
                RmpCoreModule.addListener(binder(), telemetry);
                Multibinder.newSetBinder(binder(), KernelListener.class).addBinding().toInstance(telemetry);
                OptionalBinder.newOptionalBinder(binder(), RmpoptPolicy.class).setBinding().toInstance(policy);
                OptionalBinder.newOptionalBinder(binder(), PlacementPolicy.class).setBinding().toInstance(placement);
            }
        });
        Hypervisor hypervisor = injector.getInstance(Hypervisor.class);
        EventScheduler scheduler = injector.getInstance(EventScheduler.class);
        SetupResult setup = hypervisor.bootSnp();
        scheduler.runUntil(scheduler.now()); // a boot pass queued with no delay (v8+) runs now
        CoverageSampler sampler = new CoverageSampler(hypervisor.machine(), telemetry);
        return new SimulatedHost(hypervisor, scheduler, telemetry, sampler, setup);
    }
}

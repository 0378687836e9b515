package dev.rmpopt.kvm;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;
import java.util.List;
import java.util.Set;

/**
 * Binds the hypervisor side on top of an {@link SnpMachine} (from {@code RmpCoreModule} or the
 * user): the simulated clock, the kernel's RMPOPT driver and policy, the frame allocator and the
 * hypervisor. Each choice is an {@link OptionalBinder} a user replaces:
 * <ul>
 *   <li>{@link RmpoptPolicy}: default {@link Policies#debouncedAfterLastDestroy()} (v8-v10);</li>
 *   <li>{@link PlacementPolicy}: default {@link PlacementPolicy#scatter(long)} with seed 1;</li>
 *   <li>{@link RmpoptCostModel}: default {@link RmpoptCostModel#AMD_CALIBRATED};</li>
 * </ul>
 * and {@link PassListener}s are a {@link Multibinder}. The {@link RegionClearTracker} the driver
 * needs joins the machine's {@link RmpEventListener} set.
 */
public final class KvmModule extends AbstractModule {

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), RmpoptPolicy.class).setDefault()
                .toInstance(Policies.debouncedAfterLastDestroy());
        OptionalBinder.newOptionalBinder(binder(), PlacementPolicy.class).setDefault()
                .toInstance(PlacementPolicy.scatter(1));
        OptionalBinder.newOptionalBinder(binder(), RmpoptCostModel.class).setDefault()
                .toInstance(RmpoptCostModel.AMD_CALIBRATED);
        Multibinder.newSetBinder(binder(), PassListener.class);
        bind(RegionClearTracker.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), RmpEventListener.class).addBinding().to(RegionClearTracker.class);
    }

    @Provides
    @Singleton
    static EventScheduler scheduler() {
        return new EventScheduler();
    }

    @Provides
    @Singleton
    static RmpoptDriver driver(SnpMachine machine, RegionClearTracker clears, RmpoptCostModel costs, EventScheduler scheduler,
                               Set<PassListener> listeners) {
        List<PassListener> all = List.copyOf(listeners);
        return new RmpoptDriver(machine, clears, costs, scheduler::now, pass -> all.forEach(l -> l.onPass(pass)));
    }

    @Provides
    @Singleton
    static KernelRmpopt kernel(RmpoptDriver driver, EventScheduler scheduler, RmpoptPolicy policy) {
        return new KernelRmpopt(driver, scheduler, policy);
    }

    @Provides
    @Singleton
    static HostFrameAllocator frames(SnpMachine machine, PlacementPolicy placement) {
        return new HostFrameAllocator(machine.host(), placement);
    }

    @Provides
    @Singleton
    static Hypervisor hypervisor(SnpMachine machine, HostFrameAllocator frames, KernelRmpopt kernel) {
        return new Hypervisor(machine, frames, kernel);
    }
}

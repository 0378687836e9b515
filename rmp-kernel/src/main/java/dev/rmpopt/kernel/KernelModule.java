package dev.rmpopt.kernel;

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
 * Binds the kernel's RMPOPT side on top of an {@link SnpMachine} (from {@code RmpCoreModule} or the
 * user): the simulated clock and {@link KernelRmpopt}. Each choice is an {@link OptionalBinder} a user
 * replaces:
 * <ul>
 *   <li>{@link RmpoptPolicy}: default {@link Policies#debouncedAfterLastDestroy()} (v8-v10);</li>
 *   <li>{@link RmpoptCostModel}: default {@link RmpoptCostModel#AMD_PUBLISHED};</li>
 * </ul>
 * and {@link KernelListener}s are a {@link Multibinder}. The {@link RegionClearTracker} the kernel
 * needs joins the machine's {@link RmpEventListener} set. Installing the module twice is harmless.
 */
public final class KernelModule extends AbstractModule {

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), RmpoptPolicy.class).setDefault()
                .toInstance(Policies.debouncedAfterLastDestroy());
        OptionalBinder.newOptionalBinder(binder(), RmpoptCostModel.class).setDefault()
                .toInstance(RmpoptCostModel.AMD_PUBLISHED);
        Multibinder.newSetBinder(binder(), KernelListener.class);
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
    static KernelRmpopt kernel(SnpMachine machine, RegionClearTracker clears, EventScheduler scheduler, RmpoptPolicy policy,
                               RmpoptCostModel costs, Set<KernelListener> listeners) {
        List<KernelListener> all = List.copyOf(listeners);
        KernelListener each = new KernelListener() {
            @Override
            public void onSetup(SetupResult setup) {
                all.forEach(l -> l.onSetup(setup));
            }

            @Override
            public void onPass(PassRecord pass) {
                all.forEach(l -> l.onPass(pass));
            }
        };
        return new KernelRmpopt(machine, clears, scheduler, policy, costs, each);
    }

    /** Every instance is the same module, so Guice installs it once however often it is installed. */
    @Override
    public boolean equals(Object other) {
        return other instanceof KernelModule;
    }

    @Override
    public int hashCode() {
        return KernelModule.class.hashCode();
    }
}

package dev.rmpopt.kvm;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.kernel.KernelModule;
import dev.rmpopt.kernel.KernelRmpopt;

/**
 * Binds the hypervisor side on top of an {@link SnpMachine} (from {@code RmpCoreModule} or the
 * user) and the kernel's {@link KernelModule}, which it installs: the frame allocator and the
 * hypervisor. The {@link PlacementPolicy} is an {@link OptionalBinder} a user replaces; its default
 * is {@link PlacementPolicy#scatter(long)} with seed 1. The kernel's policy, cost model and
 * listeners are bound as {@link KernelModule} describes.
 */
public final class KvmModule extends AbstractModule {

    @Override
    protected void configure() {
        install(new KernelModule());
        OptionalBinder.newOptionalBinder(binder(), PlacementPolicy.class).setDefault()
                .toInstance(PlacementPolicy.scatter(1));
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

package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.kernel.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.KernelListener;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.PassRequest;
import dev.rmpopt.kernel.PassTrigger;
import dev.rmpopt.kernel.RmpoptPolicy;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.core.RmpCoreModule;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hypervisor wired by Guice, and a user overriding the kernel's policy. */
class KvmModuleTest {

    /** A policy a user might try: re-optimize right away, with no delay. */
    static final class ImmediatePolicy implements RmpoptPolicy {
        @Override
        public String name() {
            return "immediate";
        }

        @Override
        public Optional<PassRequest> onSnpVmDestroyed(BitSet freedRegions) {
            return Optional.of(PassRequest.full(PassTrigger.VM_DESTROY_DEBOUNCED, 0, true));
        }
    }

    static Injector injector(AbstractModule user) {
        return Guice.createInjector(new RmpCoreModule(), new KvmModule(), new AbstractModule() {
            @Override
            protected void configure() {
                bind(HostDescription.class).toInstance(HostDescription.standard(new CpuTopology(1, 2, 2), 8 * GIB));
            }
        }, user);
    }

    @Test
    void defaultsAreTheLatestKernelAndScatteredPlacement() {
        Injector injector = injector(new AbstractModule() {
        });
        Hypervisor hypervisor = injector.getInstance(Hypervisor.class);
        assertEquals("v8-v10", hypervisor.kernel().policy().name());
        assertEquals("scatter", hypervisor.frames().placement().name());
        assertSame(injector.getInstance(EventScheduler.class), injector.getInstance(EventScheduler.class));
    }

    @Test
    void aUserOverridesThePolicyAndListensToPasses() {
        List<PassRecord> heard = new ArrayList<>();
        Injector injector = injector(new AbstractModule() {
            @Override
            protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), RmpoptPolicy.class).setBinding().to(ImmediatePolicy.class);
                OptionalBinder.newOptionalBinder(binder(), PlacementPolicy.class).setBinding()
                        .toInstance(PlacementPolicy.packSnpRegions());
                Multibinder.newSetBinder(binder(), KernelListener.class).addBinding().toInstance(heard::add);
            }
        });
        Hypervisor hypervisor = injector.getInstance(Hypervisor.class);
        EventScheduler scheduler = injector.getInstance(EventScheduler.class);
        hypervisor.bootSnp();
        scheduler.runUntil(SECOND);
        Vm vm = hypervisor.launch(VmSpec.snp(GIB, 1));
        hypervisor.destroy(vm);
        scheduler.runUntil(2 * SECOND);
        assertEquals(List.of(PassTrigger.BOOT, PassTrigger.VM_DESTROY_DEBOUNCED), heard.stream().map(PassRecord::trigger).toList());
        assertEquals(SECOND, heard.get(1).startNanos(), "no 10 s delay");
        assertEquals("pack", hypervisor.frames().placement().name());
    }
}

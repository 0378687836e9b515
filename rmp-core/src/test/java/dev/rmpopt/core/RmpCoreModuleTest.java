package dev.rmpopt.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.OptionalBinder;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.FirmwareCommand;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.api.SnpMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RmpCoreModuleTest {

    static final HostDescription HOST = HostDescription.standard(new CpuTopology(1, 2, 2), 4 * Geometry.GIB);

    static Injector injector(AbstractModule userModule) {
        return Guice.createInjector(new RmpCoreModule(), new AbstractModule() {
            @Override
            protected void configure() {
                bind(HostDescription.class).toInstance(HOST);
            }
        }, userModule);
    }

    /** A backend that records what it was asked for and delegates to the reference. */
    static final class RecordingProvider implements RmpBackendProvider {
        final List<ModelOptions> created = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public String description() {
            return "test";
        }

        @Override
        public SnpMachine create(HostDescription host, ModelOptions options, RmpEventListener listener) {
            created.add(options);
            return RmpBackendProvider.named("reference").create(host, options, listener);
        }
    }

    @Test
    void bindsTheReferenceBackendByNameAndServiceLoaderOnes() {
        Injector injector = injector(new AbstractModule() {
        });
        Map<String, RmpBackendProvider> backends = injector.getInstance(Key.get(new TypeLiteral<Map<String, RmpBackendProvider>>() {
        }));
        assertTrue(backends.containsKey("reference"));
        SnpMachine machine = injector.getInstance(SnpMachine.class);
        assertSame(HOST, machine.host());
        assertEquals(ModelOptions.DEFAULTS, machine.options());
    }

    @Test
    void usersAddSelectAndConfigureABackend() {
        RecordingProvider recording = new RecordingProvider();
        ModelOptions perCpu = ModelOptions.DEFAULTS.withTableScope(RmpoptTableScope.PER_LOGICAL_CPU);
        SnpMachine machine = injector(new AbstractModule() {
            @Override
            protected void configure() {
                RmpCoreModule.addBackend(binder(), recording);
                RmpCoreModule.selectBackend(binder(), "recording");
                OptionalBinder.newOptionalBinder(binder(), ModelOptions.class).setBinding().toInstance(perCpu);
            }
        }).getInstance(SnpMachine.class);
        assertEquals(List.of(perCpu), recording.created);
        assertEquals(perCpu, machine.options());
    }

    @Test
    void listenersHearEventsAndDecoratorsWrapTheMachine() {
        RmpEventListener first = mock(RmpEventListener.class);
        RmpEventListener second = mock(RmpEventListener.class);
        SnpMachine decorated = mock(SnpMachine.class);
        List<SnpMachine> seen = new ArrayList<>();
        Injector injector = injector(new AbstractModule() {
            @Override
            protected void configure() {
                RmpCoreModule.addListener(binder(), first);
                RmpCoreModule.addListener(binder(), second);
                RmpCoreModule.addDecorator(binder(), machine -> {
                    seen.add(machine);
                    return decorated;
                });
            }
        });
        assertSame(decorated, injector.getInstance(SnpMachine.class));
        assertEquals(FirmwareStatus.SUCCESS, seen.get(0).snpInit());
        verify(first).onFirmwareCommand(FirmwareCommand.SNP_INIT, 0, 0, FirmwareStatus.SUCCESS);
        verify(second).onFirmwareCommand(FirmwareCommand.SNP_INIT, 0, 0, FirmwareStatus.SUCCESS);
    }

    @Test
    void anUnknownBackendNameIsAClearError() {
        ProvisionException e = assertThrows(ProvisionException.class, () -> injector(new AbstractModule() {
            @Override
            protected void configure() {
                RmpCoreModule.selectBackend(binder(), "no-such-backend");
            }
        }).getInstance(SnpMachine.class));
        assertTrue(e.getMessage().contains("no RMP backend named 'no-such-backend'"), e.getMessage());
    }
}

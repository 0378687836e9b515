package dev.rmpopt.core;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.core.reference.ReferenceBackendProvider;
import dev.rmpopt.core.scalable.ScalableBackendProvider;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binds the backends of {@code rmp-core} by name and builds the {@link SnpMachine} the rest of an
 * application injects.
 *
 * <ul>
 *   <li>Backends: a {@link MapBinder} from name to {@link RmpBackendProvider}; add one with
 *       {@link #addBackend}. Every provider {@link java.util.ServiceLoader} finds is bound too,
 *       unless its name is already taken.</li>
 *   <li>Which one: the {@code @Named("rmpopt.backend")} string, an {@link OptionalBinder} whose
 *       default is {@value #DEFAULT_BACKEND}; change it with {@link #selectBackend}.</li>
 *   <li>Options: {@link ModelOptions}, an {@link OptionalBinder} defaulting to
 *       {@link ModelOptions#DEFAULTS}. The {@link HostDescription} must be bound by the user.</li>
 *   <li>Listeners: a {@link Multibinder} of {@link RmpEventListener}; add one with {@link #addListener}.</li>
 *   <li>Decorators: a {@link Multibinder} of {@link MachineDecorator}, applied in binding order
 *       around the machine (tracing, fault injection).</li>
 * </ul>
 */
public final class RmpCoreModule extends AbstractModule {

    /** The key of the selected backend's name. */
    public static final String BACKEND_NAME = "rmpopt.backend";
    /** The backend used when none is selected. */
    public static final String DEFAULT_BACKEND = ScalableBackendProvider.NAME;

    @Override
    protected void configure() {
        MapBinder<String, RmpBackendProvider> backends = backends(binder());
        backends.addBinding(ReferenceBackendProvider.NAME).to(ReferenceBackendProvider.class);
        backends.addBinding(ScalableBackendProvider.NAME).to(ScalableBackendProvider.class);
        Set<String> bound = new TreeSet<>(Set.of(ReferenceBackendProvider.NAME, ScalableBackendProvider.NAME));
        for (RmpBackendProvider found : RmpBackendProvider.all(RmpCoreModule.class.getClassLoader())) {
            if (bound.add(found.name())) {
                backends.addBinding(found.name()).toInstance(found);
            }
        }
        OptionalBinder.newOptionalBinder(binder(), Key.get(String.class, Names.named(BACKEND_NAME)))
                .setDefault().toInstance(DEFAULT_BACKEND);
        OptionalBinder.newOptionalBinder(binder(), ModelOptions.class).setDefault().toInstance(ModelOptions.DEFAULTS);
        Multibinder.newSetBinder(binder(), RmpEventListener.class);
        Multibinder.newSetBinder(binder(), MachineDecorator.class);
    }

    /** The backend map, to add a backend from another module. */
    public static MapBinder<String, RmpBackendProvider> backends(Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, RmpBackendProvider.class);
    }

    /** Adds {@code provider} under its name. */
    public static void addBackend(Binder binder, RmpBackendProvider provider) {
        backends(binder).addBinding(provider.name()).toInstance(provider);
    }

    /** Selects the backend named {@code name}, replacing the default. */
    public static void selectBackend(Binder binder, String name) {
        OptionalBinder.newOptionalBinder(binder, Key.get(String.class, Names.named(BACKEND_NAME)))
                .setBinding().toInstance(name);
    }

    /** Adds an event listener. */
    public static void addListener(Binder binder, RmpEventListener listener) {
        Multibinder.newSetBinder(binder, RmpEventListener.class).addBinding().toInstance(listener);
    }

    /** Adds a decorator around the machine. */
    public static void addDecorator(Binder binder, MachineDecorator decorator) {
        Multibinder.newSetBinder(binder, MachineDecorator.class).addBinding().toInstance(decorator);
    }

    @Provides
    @Singleton
    static SnpMachine machine(Map<String, RmpBackendProvider> backends, @Named(BACKEND_NAME) String name,
                              HostDescription host, ModelOptions options, Set<RmpEventListener> listeners,
                              Set<MachineDecorator> decorators) {
        RmpBackendProvider provider = backends.get(name);
        if (provider == null) {
            throw new NoSuchElementException("no RMP backend named '" + name + "'; bound: " + new TreeSet<>(backends.keySet()));
        }
        SnpMachine machine = provider.create(host, options, RmpEventListener.compose(List.copyOf(listeners)));
        for (MachineDecorator decorator : decorators) {
            machine = decorator.decorate(machine);
        }
        return machine;
    }
}

package dev.rmpopt.api;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * A backend: a named factory of {@link SnpMachine}s that {@link ServiceLoader} finds. A backend
 * jar lists its provider in {@code META-INF/services/dev.rmpopt.api.RmpBackendProvider}.
 */
public interface RmpBackendProvider {

    /** The name users select the backend by, for example {@code reference}. */
    String name();

    /** One line for people: what this backend is for. */
    String description();

    /**
     * A new machine for {@code host} in its power-on state: SNP not initialized, every page
     * HYPERVISOR, every RMPOPT_BASE zero.
     *
     * @param listener receives every event of the machine; {@link RmpEventListener#NONE} for none
     */
    SnpMachine create(HostDescription host, ModelOptions options, RmpEventListener listener);

    /**
     * A new machine as {@link #create(HostDescription, ModelOptions, RmpEventListener)} makes, that
     * also calls {@code probe} at its interleaving points (see {@link InterleavingProbe}), for a
     * test that chooses how concurrent operations interleave. The default ignores the probe: a
     * backend without such points conforms, and a test then has nothing to aim at.
     */
    default SnpMachine create(HostDescription host, ModelOptions options, RmpEventListener listener, InterleavingProbe probe) {
        return create(host, options, listener);
    }

    /** Every provider on the class path of {@code loader}. */
    static List<RmpBackendProvider> all(ClassLoader loader) {
        return ServiceLoader.load(RmpBackendProvider.class, loader).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toList());
    }

    /**
     * The provider named {@code name} on the class path of this interface's class loader, or
     * {@link NoSuchElementException} naming the ones there are.
     */
    static RmpBackendProvider named(String name) {
        List<RmpBackendProvider> all = all(RmpBackendProvider.class.getClassLoader());
        return all.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no RMP backend named '" + name + "'; available: "
                        + all.stream().map(RmpBackendProvider::name).sorted().collect(Collectors.joining(", "))));
    }
}

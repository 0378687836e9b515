package dev.rmpopt.tck;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.InterleavingProbe;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;

/** Makes a fresh backend machine in its power-on state: the kit's view of the implementer's factory method. */
@FunctionalInterface
interface MachineFactory {
    /** A new machine for {@code host} with {@code options}, reporting to {@code listener} and calling {@code probe} at its interleaving points. */
    SnpMachine create(HostDescription host, ModelOptions options, RmpEventListener listener, InterleavingProbe probe);

    /** A new machine without a probe. */
    default SnpMachine create(HostDescription host, ModelOptions options, RmpEventListener listener) {
        return create(host, options, listener, InterleavingProbe.NONE);
    }
}

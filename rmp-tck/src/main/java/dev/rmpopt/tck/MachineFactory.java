package dev.rmpopt.tck;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;

/** Makes a fresh backend machine in its power-on state: the kit's view of the implementer's factory method. */
@FunctionalInterface
interface MachineFactory {
    /** A new machine for {@code host} with {@code options}, reporting to {@code listener}. */
    SnpMachine create(HostDescription host, ModelOptions options, RmpEventListener listener);
}

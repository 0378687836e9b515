package dev.rmpopt.core;

import dev.rmpopt.api.SnpMachine;

/**
 * Wraps the machine a backend built, for example to trace or to inject faults. Bound through
 * {@link RmpCoreModule#addDecorator}; decorators apply in binding order, the last outermost.
 */
@FunctionalInterface
public interface MachineDecorator {

    /** The machine to use in place of {@code machine}. */
    SnpMachine decorate(SnpMachine machine);
}

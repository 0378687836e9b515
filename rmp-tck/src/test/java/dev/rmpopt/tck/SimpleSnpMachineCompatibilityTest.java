package dev.rmpopt.tck;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;

/** The kit against the correct {@link SimpleSnpMachine}: every rule passes, none is skipped. */
class SimpleSnpMachineCompatibilityTest extends RmpMachineCompatibilityKit {
    @Override
    protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
        return new SimpleSnpMachine(host, options, listener);
    }
}

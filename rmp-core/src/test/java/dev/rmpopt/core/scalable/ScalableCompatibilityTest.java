package dev.rmpopt.core.scalable;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.InterleavingProbe;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.tck.RmpMachineCompatibilityKit;

/** The TCK against the scalable backend, every capability declared. */
class ScalableCompatibilityTest extends RmpMachineCompatibilityKit {

    @Override
    protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
        return new ScalableBackendProvider().create(host, options, listener);
    }

    @Override
    protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener, InterleavingProbe probe) {
        return new ScalableBackendProvider().create(host, options, listener, probe);
    }
}

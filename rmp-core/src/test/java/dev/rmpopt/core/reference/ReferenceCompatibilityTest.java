package dev.rmpopt.core.reference;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.tck.RmpMachineCompatibilityKit;

/** The TCK against the reference backend, every capability declared. */
class ReferenceCompatibilityTest extends RmpMachineCompatibilityKit {

    @Override
    protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
        return new ReferenceBackendProvider().create(host, options, listener);
    }
}

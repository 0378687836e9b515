package dev.rmpopt.core.reference;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.tck.CompatibilityKitUnits;

/** The kit against the reference backend, one test per exploration: what the {@code pit} profile runs (Surefire does not). */
class ReferenceKitUnits extends CompatibilityKitUnits {

    @Override
    protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
        return new ReferenceBackendProvider().create(host, options, listener);
    }
}

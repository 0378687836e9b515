package dev.rmpopt.core.scalable;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.InterleavingProbe;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.tck.CompatibilityKitUnits;

/** The kit against the scalable backend, one test per exploration: what the {@code pit} profile runs (Surefire does not). */
class ScalableKitUnits extends CompatibilityKitUnits {

    @Override
    protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
        return new ScalableBackendProvider().create(host, options, listener);
    }

    @Override
    protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener, InterleavingProbe probe) {
        return new ScalableBackendProvider().create(host, options, listener, probe);
    }
}

package dev.rmpopt.tck;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;

/** A broken backend as a third party would ship it, found by ServiceLoader in the kit's tests only: {@link TckRunnerTest}. */
public final class AcceptsNullsProvider implements RmpBackendProvider {

    /** Found by ServiceLoader. */
    public AcceptsNullsProvider() {
    }

    @Override
    public String name() {
        return "tck-test-accepts-nulls";
    }

    @Override
    public String description() {
        return "the kit's own broken backend that accepts null arguments";
    }

    @Override
    public SnpMachine create(HostDescription host, ModelOptions options, RmpEventListener listener) {
        return new BrokenMachines.AcceptsNulls(host, options, listener);
    }
}

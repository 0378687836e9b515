package dev.rmpopt.core.reference;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;
import java.util.Objects;

/**
 * The {@code reference} backend: the model written down literally, page by page, under one lock.
 * Obviously correct and slow; hosts with up to 64 GiB of RAM, anywhere in the address space.
 * Faster backends are tested against it.
 */
public final class ReferenceBackendProvider implements RmpBackendProvider {

    /** The name users select this backend by. */
    public static final String NAME = "reference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the model written literally: per-page entries, VERIFY scans every entry, one lock (hosts with up to 64 GiB of RAM)";
    }

    @Override
    public SnpMachine create(HostDescription host, ModelOptions options, RmpEventListener listener) {
        return new ReferenceSnpMachine(Objects.requireNonNull(host, "host"), Objects.requireNonNull(options, "options"),
                Objects.requireNonNull(listener, "listener"));
    }
}

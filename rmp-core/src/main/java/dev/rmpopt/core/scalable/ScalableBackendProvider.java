package dev.rmpopt.core.scalable;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.InterleavingProbe;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;
import java.util.Objects;

/**
 * The {@code scalable} backend, the default: the reference's answers for hosts up to 24 TiB and
 * 1024 CPUs and beyond. The RMP is stored per 1 GiB region and 2 MiB range, with 4 KiB detail only
 * where a range's entries differ, so memory grows with the pages the host changed, not with its
 * size; VERIFY is O(1) from per-region assigned-page counts; RMPUPDATE clears a region on every
 * core in one pass over a row of {@code cores / 32} words; a write whose core holds the region's
 * bit costs one bit test. All operations are safe from any number of threads acting as CPUs, and
 * the write check and RMPOPT take no lock.
 */
public final class ScalableBackendProvider implements RmpBackendProvider {

    /** The name users select this backend by. */
    public static final String NAME = "scalable";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "hierarchical RMP (per region, per 2 MiB range, 4K detail on demand), O(1) VERIFY, lock-free write checks and RMPOPT";
    }

    @Override
    public SnpMachine create(HostDescription host, ModelOptions options, RmpEventListener listener) {
        return create(host, options, listener, InterleavingProbe.NONE);
    }

    /** A machine that calls {@code probe} inside every read window and critical section (see {@link InterleavingProbe}). */
    @Override
    public SnpMachine create(HostDescription host, ModelOptions options, RmpEventListener listener, InterleavingProbe probe) {
        return new ScalableSnpMachine(Objects.requireNonNull(host, "host"), Objects.requireNonNull(options, "options"),
                Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(probe, "probe"));
    }
}

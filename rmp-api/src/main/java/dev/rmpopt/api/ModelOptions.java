package dev.rmpopt.api;

import java.util.Objects;

/**
 * The behaviours the sources leave open, fixed per model instance (model §4, the [M] rules).
 *
 * @param windowBytes the size of a core's RMPOPT window {@code [base, base + window)}, a positive
 *                    multiple of 1 GiB; 2 TiB in hardware
 * @param tableScope  whether SMT siblings share a table
 * @param clearPolicy which RMPUPDATEs clear the optimization
 */
public record ModelOptions(long windowBytes, RmpoptTableScope tableScope, ClearPolicy clearPolicy) {

    /** The hardware's window, 2 TiB. */
    public static final long DEFAULT_WINDOW_BYTES = 2 * Geometry.TIB;
    /** The defaults: a 2 TiB window, per-core tables, every RMPUPDATE clears. */
    public static final ModelOptions DEFAULTS =
            new ModelOptions(DEFAULT_WINDOW_BYTES, RmpoptTableScope.PER_CORE, ClearPolicy.EVERY_RMPUPDATE);

    /** Rejects missing values and windows that are not a positive number of 1 GiB regions. */
    public ModelOptions {
        Objects.requireNonNull(tableScope, "tableScope");
        Objects.requireNonNull(clearPolicy, "clearPolicy");
        if (windowBytes <= 0 || !Geometry.isAligned(windowBytes, Geometry.REGION_1G)) {
            throw new IllegalArgumentException("the RMPOPT window must be a positive multiple of 1 GiB, not " + windowBytes);
        }
    }

    /** These options with another window size. */
    public ModelOptions withWindowBytes(long bytes) {
        return new ModelOptions(bytes, tableScope, clearPolicy);
    }

    /** These options with another table scope. */
    public ModelOptions withTableScope(RmpoptTableScope scope) {
        return new ModelOptions(windowBytes, scope, clearPolicy);
    }

    /** These options with another clear policy. */
    public ModelOptions withClearPolicy(ClearPolicy policy) {
        return new ModelOptions(windowBytes, tableScope, policy);
    }

    /** Regions in one window. */
    public long windowRegions() {
        return windowBytes / Geometry.REGION_1G;
    }
}

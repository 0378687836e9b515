package dev.rmpopt.api;

import java.util.Objects;

/**
 * The behaviours the sources leave open, fixed per model instance (model §4, the [M] rules).
 *
 * @param windowBytes         the size of a core's RMPOPT window {@code [base, base + window)}, a
 *                            positive multiple of 1 GiB; 2 TiB in hardware
 * @param tableScope          whether SMT siblings share a table
 * @param clearPolicy         which RMPUPDATEs clear the optimization
 * @param snpEnabledAtPowerOn whether SYSCFG.SnpEn is already set on every core when the machine
 *                            starts (model §4.2): as when the kernel sets it at boot
 *                            ({@code snp_rmptable_init}, v1-v9), so RMP checks, RMPOPT_BASE and
 *                            RMPOPT work before SNP_INIT; off by default, as in v10, where the path
 *                            to SNP_INIT sets it
 * @param failInUse           whether RMPUPDATE and PSMASH return FAIL_INUSE when another CPU is
 *                            changing the same 2 MiB range at that moment, as hardware may, instead
 *                            of waiting for it (model §4.1); off by default, so every operation is
 *                            atomic
 */
public record ModelOptions(long windowBytes, RmpoptTableScope tableScope, ClearPolicy clearPolicy,
                           boolean snpEnabledAtPowerOn, boolean failInUse) {

    /** The hardware's window, 2 TiB. */
    public static final long DEFAULT_WINDOW_BYTES = 2 * Geometry.TIB;
    /**
     * The defaults: a 2 TiB window, per-core tables, every RMPUPDATE clears, SnpEn set by SNP_INIT,
     * no FAIL_INUSE.
     */
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

    /** These options with SnpEn clear at power-on and no FAIL_INUSE. */
    public ModelOptions(long windowBytes, RmpoptTableScope tableScope, ClearPolicy clearPolicy) {
        this(windowBytes, tableScope, clearPolicy, false, false);
    }

    /** These options with another window size. */
    public ModelOptions withWindowBytes(long bytes) {
        return new ModelOptions(bytes, tableScope, clearPolicy, snpEnabledAtPowerOn, failInUse);
    }

    /** These options with another table scope. */
    public ModelOptions withTableScope(RmpoptTableScope scope) {
        return new ModelOptions(windowBytes, scope, clearPolicy, snpEnabledAtPowerOn, failInUse);
    }

    /** These options with another clear policy. */
    public ModelOptions withClearPolicy(ClearPolicy policy) {
        return new ModelOptions(windowBytes, tableScope, policy, snpEnabledAtPowerOn, failInUse);
    }

    /** These options with SnpEn set, or not, at power-on. */
    public ModelOptions withSnpEnabledAtPowerOn(boolean enabled) {
        return new ModelOptions(windowBytes, tableScope, clearPolicy, enabled, failInUse);
    }

    /** These options with FAIL_INUSE returned, or not, by RMPUPDATE and PSMASH that meet another CPU's change. */
    public ModelOptions withFailInUse(boolean fail) {
        return new ModelOptions(windowBytes, tableScope, clearPolicy, snpEnabledAtPowerOn, fail);
    }

    /** Regions in one window. */
    public long windowRegions() {
        return windowBytes / Geometry.REGION_1G;
    }
}

package dev.rmpopt.api;

/** Why RMPOPT bits were cleared (model §4), for events and telemetry. */
public enum ClearCause {
    /** A successful RMPUPDATE cleared its 1 GiB region on every core. */
    RMPUPDATE,
    /** PSMASH split a 2 MiB entry of the region. */
    PSMASH,
    /**
     * SNP_INIT zeroed every table. No other operation clears every table at once: neither SNP
     * shutdown writes an MSR (model §4.8), and a core's WRMSR RMPOPT_BASE resets that core's table,
     * reported by {@link RmpEventListener#onRmpoptBaseWrite} alone.
     */
    SNP_INIT
}

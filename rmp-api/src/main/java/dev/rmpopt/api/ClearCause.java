package dev.rmpopt.api;

/** Why RMPOPT bits were cleared (model §4), for events and telemetry. */
public enum ClearCause {
    /** A successful RMPUPDATE cleared its 1 GiB region on every core. */
    RMPUPDATE,
    /** PSMASH split a 2 MiB entry of the region. */
    PSMASH,
    /** SNP_INIT zeroed every table. */
    SNP_INIT,
    /**
     * RMPOPT_BASE was rewritten: SNP_SHUTDOWN writing 0 on every core resets every table
     * ({@link RmpEventListener#onAllTablesCleared}); a single core's WRMSR resets that core's table
     * and is reported by {@link RmpEventListener#onRmpoptBaseWrite} alone.
     */
    RMPOPT_BASE_WRITE
}

package dev.rmpopt.api;

/** Why RMPOPT bits were cleared (SPEC 4), for events and telemetry. */
public enum ClearCause {
    /** A successful RMPUPDATE cleared its 1 GiB region on every core. */
    RMPUPDATE,
    /** PSMASH split a 2 MiB entry of the region. */
    PSMASH,
    /** The firmware changed a page of the region. */
    FIRMWARE,
    /** SNP_INIT zeroed every table. */
    SNP_INIT,
    /** A write of RMPOPT_BASE reset the core's table. */
    RMPOPT_BASE_WRITE
}

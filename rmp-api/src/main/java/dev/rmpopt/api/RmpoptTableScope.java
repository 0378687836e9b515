package dev.rmpopt.api;

/**
 * Whom an RMPOPT table belongs to (model §4). The hardware gives one table to each physical core, so
 * VERIFY on one SMT thread also sets the bit for its sibling; the per-logical-CPU variant is a
 * modelling option for comparison.
 */
public enum RmpoptTableScope {
    /** One table per physical core, shared by its SMT threads (the hardware, [C]). */
    PER_CORE,
    /** One table per logical CPU ([M] option). */
    PER_LOGICAL_CPU
}

package dev.rmpopt.api;

/**
 * Which successful RMPUPDATEs clear the region's RMPOPT bit on every core (model §4). The sources do
 * not settle whether a transition to an unassigned state clears; both variants are safe.
 */
public enum ClearPolicy {
    /** Every successful RMPUPDATE clears its region (the default). */
    EVERY_RMPUPDATE,
    /** Only an RMPUPDATE whose new state is assigned clears its region. */
    ASSIGN_ONLY
}

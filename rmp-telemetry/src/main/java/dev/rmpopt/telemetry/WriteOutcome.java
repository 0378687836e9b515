package dev.rmpopt.telemetry;

import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.RmpFault;

/**
 * What happened to one host-side write, by the hypervisor or a non-SNP guest (model §5): the writes
 * RMPOPT exists for. SNP guests' own accesses and host reads are not counted here.
 */
public enum WriteOutcome {
    /** Allowed without an RMP lookup: the core held the region's RMPOPT bit. */
    SKIPPED,
    /** Allowed after an RMP lookup. */
    CHECKED,
    /** Allowed without a check because RMP checks were not on yet (before SNP_INIT). */
    UNCHECKED,
    /** An RMP fault (#PF or NPF with bit 31). */
    FAULTED;

    /** The outcome of {@code outcome}. */
    public static WriteOutcome of(AccessOutcome outcome) {
        if (outcome instanceof AccessOutcome.Skipped) {
            return SKIPPED;
        }
        if (outcome instanceof AccessOutcome.Checked) {
            return CHECKED;
        }
        if (outcome instanceof RmpFault) {
            return FAULTED;
        }
        return UNCHECKED;
    }
}

package dev.rmpopt.tck;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of the situations an exploration reached (bits set by VERIFY, assigning RMPUPDATEs of a
 * region that had a bit, skipped writes...). The kit's own tests use them to show that the random
 * sequences reach the states where each rule can fail: a property that never meets its premise
 * cannot fail, and would pass for nothing.
 */
final class Coverage {

    /** VERIFY returned CF=1. */
    static final String VERIFY_SET_BIT = "VERIFY set a bit";
    /** An assigning RMPUPDATE succeeded on a region that had a bit on some table. */
    static final String ASSIGN_OVER_BIT = "assigning RMPUPDATE of a region holding a bit";
    /** A host-side write was SKIPPED. */
    static final String SKIPPED_WRITE = "skipped write";
    /** A host-side write was faulted by the RMP. */
    static final String FAULTED_WRITE = "faulted host-side write";
    /** A successful 2M RMPUPDATE. */
    static final String RMPUPDATE_2M = "2M RMPUPDATE";
    /** A successful PSMASH. */
    static final String PSMASH = "PSMASH";
    /** A successful SNP_LAUNCH_UPDATE. */
    static final String LAUNCH_UPDATE = "SNP_LAUNCH_UPDATE";
    /** A successful SNP_PAGE_RECLAIM. */
    static final String PAGE_RECLAIM = "SNP_PAGE_RECLAIM";
    /** A successful SNP_INIT after an SNP_SHUTDOWN. */
    static final String REINIT = "SNP_INIT after SNP_SHUTDOWN";
    /** VERIFY refused a region whose only assigned page is its last page. */
    static final String VERIFY_REFUSED_LAST_RANGE = "VERIFY refused a region assigned only in its last page";
    /** VERIFY refused a region whose only assigned entries are 2M entries. */
    static final String VERIFY_REFUSED_2M_ONLY = "VERIFY refused a region assigned only through 2M entries";
    /** A 1G-mapped host-side write faulted because of another page of its 2M range. */
    static final String WRITE_1G_FAULT_ELSEWHERE = "1G-mapped write faulted by another page of its 2M range";
    /** VERIFY of the first region past a core's window. */
    static final String VERIFY_PAST_WINDOW = "VERIFY just past the window";
    /** Steps run. */
    static final String STEPS = "steps";

    private final Map<String, Long> counts = new TreeMap<>();

    synchronized void count(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    synchronized long get(String what) {
        return counts.getOrDefault(what, 0L);
    }

    synchronized void addAll(Coverage other) {
        other.snapshot().forEach((k, v) -> counts.merge(k, v, Long::sum));
    }

    synchronized Map<String, Long> snapshot() {
        return new TreeMap<>(counts);
    }

    @Override
    public synchronized String toString() {
        return counts.toString();
    }
}

package dev.rmpopt.fleet;

import java.io.Serializable;

/**
 * One coverage sample of one host (model §4, §7), in whole numbers so that fleet sums are exact in
 * any order.
 *
 * @param timeNanos       simulated time from the start of the churn
 * @param optimizedPairs  (region, core) pairs optimized over the kernel's pass range
 * @param pairs           (region, core) pairs of the pass range
 * @param optimizedGib    1 GiB regions optimized on every core (of all RAM)
 * @param assignedPages   assigned 4 KiB pages (SNP guests' and firmware's)
 */
public record CoveragePoint(long timeNanos, long optimizedPairs, long pairs, long optimizedGib, long assignedPages)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The share of pairs optimized, 0 to 1. */
    public double coverage() {
        return pairs == 0 ? 0 : (double) optimizedPairs / pairs;
    }
}

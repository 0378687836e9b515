package dev.rmpopt.kvm;

import java.util.List;

/**
 * What a churn run produced.
 *
 * @param policy           the RMPOPT policy's name
 * @param placement        the placement policy's name
 * @param coverage         coverage samples over time, boot first, end last
 * @param passes           every RMPOPT pass, boot first
 * @param writes           writes by kind and outcome
 * @param vmsLaunched      VMs launched
 * @param vmsDestroyed     VMs destroyed
 * @param launchesRefused  arrivals refused for want of memory or ASIDs
 */
public record ChurnReport(String policy, String placement, List<Coverage> coverage, List<PassRecord> passes,
                          WriteStats writes, int vmsLaunched, int vmsDestroyed, int launchesRefused) {

    /** The mean of the coverage samples' optimized shares, 0 to 1. */
    public double meanCoverage() {
        return coverage.stream().mapToDouble(Coverage::fraction).average().orElse(0);
    }

    /** Modelled time spent in passes after boot, nanoseconds. */
    public long reoptimizationNanos() {
        return passes.stream().filter(p -> p.trigger() != PassTrigger.BOOT).mapToLong(PassRecord::modeledNanos).sum();
    }

    /** RMPOPT instructions executed by passes after boot. */
    public long reoptimizationInstructions() {
        return passes.stream().filter(p -> p.trigger() != PassTrigger.BOOT).mapToLong(PassRecord::rmpoptInstructions).sum();
    }
}

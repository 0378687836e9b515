package dev.rmpopt.fleet;

import java.io.Serializable;
import java.util.List;

/**
 * What one host's simulation gave: its VMs, host-side writes, passes and coverage over time. Every
 * figure is read from the host's telemetry (writes, passes, coverage) and its churn report (VMs),
 * their one owners; the fleet's figures are added up from these.
 *
 * @param scheduler              the scheduler that placed its VMs
 * @param hostIndex              its index in the fleet
 * @param host                   its name
 * @param shape                  its shape's name
 * @param memoryGib              its top of RAM, GiB
 * @param cores                  its physical cores
 * @param vmsAssigned            VMs the scheduler gave it
 * @param snpVmsAssigned         of which SNP guests
 * @param vmsLaunched            VMs it launched
 * @param vmsDestroyed           VMs it destroyed
 * @param vmsRefused             VMs it refused at launch (no frame for them), though the scheduler gave them
 * @param writesSkipped          host-side writes that skipped the RMP check (model §5)
 * @param writesChecked          host-side writes that were checked
 * @param snpGuestWrites         SNP guests' own writes (always checked)
 * @param passes                 RMPOPT passes after the boot pass
 * @param passModeledNanos       their modelled duration, in total
 * @param passCpuNanos           the CPU time they took from all CPUs together (model §8.4)
 * @param longestPassNanos       the longest one
 * @param worstInterruptionNanos the longest single interruption of any CPU by any of them
 * @param rmpoptInstructions     VERIFY instructions they ran
 * @param bootPassNanos          the boot pass's modelled duration
 * @param meanCoverage           the mean of its samples' coverage, 0 to 1
 * @param endCoverage            coverage at its last sample
 * @param coverage               coverage samples, in time order; empty in a {@link #withoutSeries()} copy
 */
public record HostResult(String scheduler, int hostIndex, String host, String shape, long memoryGib, int cores,
                         int vmsAssigned, int snpVmsAssigned, int vmsLaunched, int vmsDestroyed, int vmsRefused,
                         long writesSkipped, long writesChecked, long snpGuestWrites, long passes, long passModeledNanos,
                         long passCpuNanos, long longestPassNanos, long worstInterruptionNanos, long rmpoptInstructions,
                         long bootPassNanos, double meanCoverage, double endCoverage, List<CoveragePoint> coverage)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Copies the samples. */
    public HostResult {
        coverage = List.copyOf(coverage);
    }

    /** The mean of {@code points}' coverage, 0 to 1 (0 with none). */
    static double meanOf(List<CoveragePoint> points) {
        return points.stream().mapToDouble(CoveragePoint::coverage).average().orElse(0);
    }

    /** The last of {@code points}' coverage (0 with none). */
    static double endOf(List<CoveragePoint> points) {
        return points.isEmpty() ? 0 : points.get(points.size() - 1).coverage();
    }

    /**
     * This result without its coverage series: what travels back to the driver (the series go to
     * coverage.parquet and into the fleet's sums where the hosts ran), so that the driver's memory
     * grows with hosts, not with hosts times samples.
     */
    public HostResult withoutSeries() {
        return new HostResult(scheduler, hostIndex, host, shape, memoryGib, cores, vmsAssigned, snpVmsAssigned, vmsLaunched,
                vmsDestroyed, vmsRefused, writesSkipped, writesChecked, snpGuestWrites, passes, passModeledNanos, passCpuNanos,
                longestPassNanos, worstInterruptionNanos, rmpoptInstructions, bootPassNanos, meanCoverage, endCoverage, List.of());
    }

    /** The share of host-side writes that skipped the RMP check, 0 to 1 (0 with no write). */
    public double skippedShare() {
        long all = writesSkipped + writesChecked;
        return all == 0 ? 0 : (double) writesSkipped / all;
    }
}

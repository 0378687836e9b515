package dev.rmpopt.fleet;

/**
 * The fleet at one sample time: coverage over every host's pass range together, memory optimized
 * on every core, and the spread of hosts' coverage.
 *
 * @param timeNanos     simulated time from the start of the churn
 * @param coverage      optimized (region, core) pairs over all hosts' pairs, 0 to 1
 * @param optimizedGib  GiB of host memory optimized on every core of its host, fleet-wide
 * @param assignedGib   GiB of host memory assigned (SNP guests', firmware's), fleet-wide
 * @param hostP10       the 10th percentile of hosts' coverage (to 0.1%: hosts are counted in 1000 bins)
 * @param hostP50       the median of hosts' coverage (likewise)
 * @param hostP90       the 90th percentile of hosts' coverage (likewise)
 */
public record FleetPoint(long timeNanos, double coverage, long optimizedGib, double assignedGib, double hostP10,
                         double hostP50, double hostP90) {
}

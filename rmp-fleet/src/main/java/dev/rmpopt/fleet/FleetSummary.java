package dev.rmpopt.fleet;

import java.util.List;
import java.util.Map;

/**
 * One scheduler's fleet, added up over its hosts: what the JSON and the report show side by side.
 *
 * @param scheduler              the VM scheduler
 * @param hosts                  hosts in the fleet
 * @param hostsUsed              hosts given at least one VM
 * @param snpHosts               hosts given at least one SNP guest
 * @param vms                    VMs arriving inside the simulated time
 * @param vmsRefused             VMs no host could take (the scheduler's refusals)
 * @param vmsRefusedByHosts      VMs a host refused at launch though the scheduler gave them (no frame)
 * @param vmsLaunched            VMs launched on hosts
 * @param writesSkipped          host-side writes that skipped the RMP check, fleet-wide
 * @param writesChecked          host-side writes that were checked
 * @param skippedShare           writesSkipped over all host-side writes, 0 to 1
 * @param snpGuestWrites         SNP guests' own writes (always checked)
 * @param passes                 RMPOPT passes after boot, fleet-wide
 * @param passModeledNanos       their modelled duration, in total
 * @param passCpuNanos           the CPU time they took from all CPUs, in total
 * @param longestPassNanos       the longest pass of any host
 * @param worstInterruptionNanos the longest single interruption of any CPU of any host
 * @param rmpoptInstructions     VERIFY instructions, fleet-wide
 * @param meanCoverage           fleet coverage averaged over the sample times
 * @param endCoverage            fleet coverage at the last sample
 * @param overTime               the fleet at each sample time
 * @param acrossHosts            distributions across hosts, by figure: {@code meanCoverage},
 *                               {@code endCoverage}, {@code skippedShare}, {@code passModeledMillis},
 *                               {@code worstInterruptionMicros}
 */
public record FleetSummary(String scheduler, int hosts, int hostsUsed, int snpHosts, int vms, int vmsRefused,
                           long vmsRefusedByHosts, long vmsLaunched, long writesSkipped, long writesChecked,
                           double skippedShare, long snpGuestWrites, long passes, long passModeledNanos, long passCpuNanos,
                           long longestPassNanos, long worstInterruptionNanos, long rmpoptInstructions,
                           double meanCoverage, double endCoverage, List<FleetPoint> overTime,
                           Map<String, Percentiles> acrossHosts) {

    /** Copies the collections. */
    public FleetSummary {
        overTime = List.copyOf(overTime);
        acrossHosts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(acrossHosts));
    }
}

package dev.rmpopt.kvm;

/**
 * What a churn run itself produced: its VMs. Writes, passes and coverage are the telemetry's, which
 * observed the same run.
 *
 * @param policy           the RMPOPT policy's name
 * @param placement        the placement policy's name
 * @param vmsLaunched      VMs launched
 * @param vmsDestroyed     VMs destroyed
 * @param launchesRefused  arrivals refused for want of memory or ASIDs
 */
public record ChurnReport(String policy, String placement, int vmsLaunched, int vmsDestroyed, int launchesRefused) {
}

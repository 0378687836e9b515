package dev.rmpopt.fleet;

import java.util.List;

/**
 * A scheduler's placement of a workload on a fleet: one plan per host, in host order, and the VMs
 * no host could take.
 *
 * @param scheduler the scheduler's name
 * @param plans     every host's plan, in host order (hosts given no VM included)
 * @param vms       the workload's VMs inside the simulated time
 * @param refused   VMs no host could take at their arrival
 */
public record FleetAssignment(String scheduler, List<HostPlan> plans, int vms, List<FleetVm> refused) {

    /** Copies the lists. */
    public FleetAssignment {
        plans = List.copyOf(plans);
        refused = List.copyOf(refused);
    }

    /** Hosts given at least one VM. */
    public int hostsUsed() {
        return (int) plans.stream().filter(p -> !p.vms().isEmpty()).count();
    }

    /** Hosts given at least one SNP guest. */
    public int snpHosts() {
        return (int) plans.stream().filter(p -> p.snpVms() > 0).count();
    }
}

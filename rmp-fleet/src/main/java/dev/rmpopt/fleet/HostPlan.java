package dev.rmpopt.fleet;

import java.io.Serializable;
import java.util.List;

/**
 * What one host is given by a scheduler: its VMs, in arrival order, each to be launched at its
 * arrival and destroyed at its departure.
 *
 * @param host the host
 * @param vms  its VMs
 */
public record HostPlan(FleetHost host, List<FleetVm> vms) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Copies the list. */
    public HostPlan {
        vms = List.copyOf(vms);
    }

    /** SNP guests among its VMs. */
    public long snpVms() {
        return vms.stream().filter(FleetVm::snp).count();
    }
}

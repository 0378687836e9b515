package dev.rmpopt.fleet;

import java.util.ArrayList;
import java.util.List;

/**
 * A fleet ready to run: its VMs, each scheduler's assignment and the host tasks, one per host per
 * scheduler. Made on the driver, before any task starts, so that a bad trace stops everything.
 *
 * @param spec        the fleet description
 * @param vms         the workload's VMs, in arrival order
 * @param assignments one per scheduler, in the description's order
 */
public record FleetPlan(FleetSpec spec, List<FleetVm> vms, List<FleetAssignment> assignments) {

    /** Copies the lists. */
    public FleetPlan {
        vms = List.copyOf(vms);
        assignments = List.copyOf(assignments);
    }

    /** Reads the workload of {@code spec} (drawn, or from its trace) and runs every scheduler over it. */
    public static FleetPlan of(FleetSpec spec) throws FleetFileException {
        List<FleetVm> vms;
        if (spec.workload() instanceof FleetWorkload.Synthetic synthetic) {
            vms = SyntheticFleetWorkload.generate(synthetic, spec.durationNanos(), spec.seed());
        } else {
            FleetWorkload.Trace trace = (FleetWorkload.Trace) spec.workload();
            vms = TraceSources.named(trace.format()).read(trace, spec.durationNanos(), spec.seed());
        }
        return of(spec, vms);
    }

    /** Runs every scheduler of {@code spec} over {@code vms}. */
    public static FleetPlan of(FleetSpec spec, List<FleetVm> vms) {
        List<FleetHost> hosts = spec.fleetHosts();
        List<FleetAssignment> assignments = new ArrayList<>();
        for (String scheduler : spec.schedulers()) {
            assignments.add(Assigner.assign(vms, hosts, Schedulers.named(scheduler), spec.vcpuOvercommit(), spec.durationNanos()));
        }
        return new FleetPlan(spec, vms, assignments);
    }

    /** Every host task: each scheduler's hosts in host order, schedulers in the description's order. */
    public List<HostTask> tasks() {
        List<HostTask> tasks = new ArrayList<>();
        for (FleetAssignment a : assignments) {
            SimSettings settings = SimSettings.of(spec, a.scheduler());
            for (HostPlan plan : a.plans()) {
                tasks.add(new HostTask(settings, plan));
            }
        }
        return tasks;
    }
}

package dev.rmpopt.fleet;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.kvm.HostFrameAllocator;
import dev.rmpopt.kvm.PlacementPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs a {@link VmScheduler} over a workload in time order, as a cloud allocator sees it: at each
 * arrival (after every departure up to that moment, so a VM leaving at the same time makes room
 * first) the scheduler picks a host among those the VM fits, or none and the VM is refused. Hosts
 * hold what their free frames after boot can hold ({@link HostFrameAllocator#freeBytes()}), and
 * vCPUs up to their logical CPUs times the overcommit. Deterministic: no randomness, ties by index.
 */
public final class Assigner {

    /** SNP guests one host can run: one ASID each (model §3). */
    static final int MAX_SNP_GUESTS = RmpState.MAX_ASID;

    private Assigner() {
    }

    /** The memory {@code vm} takes from its host: its own, and for an SNP guest the 2 MiB frame its context page splits. */
    static long need(FleetVm vm) {
        return vm.memoryBytes() + (vm.snp() ? Geometry.PAGE_2M : 0);
    }

    /** Guest memory a host of {@code shape} holds: its free frames before any VM. */
    public static long capacityBytes(HostGroup shape) {
        return new HostFrameAllocator(shape.description(), PlacementPolicy.packSnpRegions()).freeBytes();
    }

    /**
     * Places {@code vms} (those arriving before {@code durationNanos}) on {@code hosts} with
     * {@code scheduler}.
     */
    public static FleetAssignment assign(List<FleetVm> vms, List<FleetHost> hosts, VmScheduler scheduler,
                                         double vcpuOvercommit, long durationNanos) {
        Map<HostGroup, Long> capacity = new HashMap<>();
        List<HostLoad> loads = new ArrayList<>();
        List<List<FleetVm>> placed = new ArrayList<>();
        for (FleetHost host : hosts) {
            long bytes = capacity.computeIfAbsent(host.shape(), Assigner::capacityBytes);
            loads.add(new HostLoad(host, bytes, (long) Math.floor(host.shape().cpus() * vcpuOvercommit)));
            placed.add(new ArrayList<>());
        }
        List<FleetVm> ordered = vms.stream().filter(v -> v.arrivalNanos() < durationNanos)
                .sorted(Comparator.comparingLong(FleetVm::arrivalNanos)).toList();
        PriorityQueue<long[]> departures = new PriorityQueue<>(Comparator.<long[]>comparingLong(d -> d[0]).thenComparingLong(d -> d[1]));
        List<FleetVm> running = new ArrayList<>();
        List<HostLoad> view = java.util.Collections.unmodifiableList(loads);
        List<FleetVm> refused = new ArrayList<>();
        for (FleetVm vm : ordered) {
            while (!departures.isEmpty() && departures.peek()[0] <= vm.arrivalNanos()) {
                long[] d = departures.poll();
                loads.get((int) d[2]).remove(running.get((int) d[1]));
            }
            int host = scheduler.choose(vm, view);
            if (host < 0) {
                refused.add(vm);
                continue;
            }
            if (!loads.get(host).fits(vm)) {
                throw new IllegalStateException("scheduler " + scheduler.name() + " put " + vm.name() + " on "
                        + hosts.get(host).name() + ", which cannot hold it");
            }
            loads.get(host).add(vm);
            placed.get(host).add(vm);
            if (vm.departureNanos() != Long.MAX_VALUE) {
                departures.add(new long[] {vm.departureNanos(), running.size(), host});
            }
            running.add(vm);
        }
        List<HostPlan> plans = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            plans.add(new HostPlan(hosts.get(i), placed.get(i)));
        }
        return new FleetAssignment(scheduler.name(), plans, ordered.size(), refused);
    }
}

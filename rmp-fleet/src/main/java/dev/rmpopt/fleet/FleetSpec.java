package dev.rmpopt.fleet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A fleet description, validated ({@link FleetFile} reads one): the hosts, the workload, the VM
 * schedulers to compare, the kernel's RMPOPT policy and the frame placement every host runs, the
 * seed, the simulated time and the outputs.
 *
 * @param name           a name for reports
 * @param seed           the seed of everything drawn: the synthetic workload, SNP picks, each host's churn
 * @param durationNanos  simulated time
 * @param sampleNanos    time between coverage samples on every host
 * @param hosts          the host groups, in order (host indices follow it)
 * @param workload       the VMs
 * @param guests         what each VM does on its host
 * @param schedulers     the VM schedulers to run, each on the same workload and hosts ({@link Schedulers})
 * @param policy         the kernel's RMPOPT policy on every host, by name
 * @param placement      the frame placement on every host, {@code scatter} or {@code pack}
 * @param backend        the RMP backend, by name
 * @param vcpuOvercommit vCPUs a host may hold per logical CPU
 * @param outputs        what to write, where
 */
public record FleetSpec(String name, long seed, long durationNanos, long sampleNanos, List<HostGroup> hosts,
                        FleetWorkload workload, GuestSpec guests, List<String> schedulers, String policy,
                        String placement, String backend, double vcpuOvercommit, Outputs outputs) {

    /** Copies the lists. */
    public FleetSpec {
        hosts = List.copyOf(hosts);
        schedulers = List.copyOf(schedulers);
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(guests, "guests");
        Objects.requireNonNull(outputs, "outputs");
    }

    /** Every host of the fleet, in order. */
    public List<FleetHost> fleetHosts() {
        ArrayList<FleetHost> all = new ArrayList<>();
        for (HostGroup group : hosts) {
            for (int i = 0; i < group.count(); i++) {
                all.add(new FleetHost(all.size(), String.format("%s-%04d", group.shape(), i), group));
            }
        }
        return List.copyOf(all);
    }

    /**
     * What to write.
     *
     * @param dir     the directory of fleet.json, report.html and the Parquet tables
     * @param parquet write hosts.parquet and coverage.parquet (through Spark)
     * @param json    write fleet.json
     * @param html    write report.html
     */
    public record Outputs(Path dir, boolean parquet, boolean json, boolean html) {
        /** Rejects a missing directory. */
        public Outputs {
            Objects.requireNonNull(dir, "dir");
        }
    }
}

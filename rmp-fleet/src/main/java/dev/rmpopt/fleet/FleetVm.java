package dev.rmpopt.fleet;

import java.io.Serializable;
import java.util.Objects;

/**
 * One VM of a fleet workload, as a scheduler sees it at its arrival: when it comes and goes, how
 * much memory and how many vCPUs it asks for, and whether it is an SNP guest.
 *
 * @param name          the workload's name for it (a trace's VM id, or {@code vm-N})
 * @param arrivalNanos  when it arrives, from the start of the fleet's simulated time
 * @param departureNanos when it leaves; {@link Long#MAX_VALUE} if it outlives the trace
 * @param memoryBytes   its memory, a positive multiple of 4 MiB
 * @param vcpus         its vCPUs, at least 1
 * @param snp           an SNP guest, or a legacy one
 */
public record FleetVm(String name, long arrivalNanos, long departureNanos, long memoryBytes, int vcpus, boolean snp)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** 4 MiB: guest memory is accepted in chunks of this size (model §7.8). */
    public static final long MEMORY_GRANULE = 4L << 20;

    /** Validates. */
    public FleetVm {
        Objects.requireNonNull(name, "name");
        if (arrivalNanos < 0 || departureNanos <= arrivalNanos) {
            throw new IllegalArgumentException("VM " + name + " must arrive at or after 0 and leave after it arrives");
        }
        if (memoryBytes <= 0 || memoryBytes % MEMORY_GRANULE != 0) {
            throw new IllegalArgumentException("VM " + name + "'s memory must be a positive multiple of 4 MiB, not " + memoryBytes);
        }
        if (vcpus < 1) {
            throw new IllegalArgumentException("VM " + name + " needs a vCPU");
        }
    }
}

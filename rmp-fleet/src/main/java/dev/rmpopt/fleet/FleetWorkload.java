package dev.rmpopt.fleet;

import dev.rmpopt.kvm.Distribution;
import java.nio.file.Path;
import java.util.Objects;

/** Where a fleet's VMs come from: a synthetic fleet workload drawn from a seed, or a trace file. */
public sealed interface FleetWorkload {

    /**
     * VMs drawn for the whole fleet ({@link SyntheticFleetWorkload}): Poisson arrivals at
     * {@code vmsPerHour}, each with a lifetime, a size and an SNP flag.
     *
     * @param vmsPerHour    the fleet's mean arrival rate
     * @param lifetimeNanos a VM's lifetime
     * @param vmGib         a VM's memory in GiB
     * @param vcpusPerGib   vCPUs per GiB of memory (at least one vCPU)
     * @param snpFraction   share of VMs that are SNP guests, 0 to 1
     */
    record Synthetic(double vmsPerHour, Distribution lifetimeNanos, Distribution vmGib, double vcpusPerGib,
                     double snpFraction) implements FleetWorkload {
        /** Validates. */
        public Synthetic {
            Objects.requireNonNull(lifetimeNanos, "lifetimeNanos");
            Objects.requireNonNull(vmGib, "vmGib");
            if (!(vmsPerHour > 0) || Double.isInfinite(vmsPerHour)) {
                throw new IllegalArgumentException("the arrival rate must be positive and finite");
            }
            if (!(vcpusPerGib > 0) || Double.isInfinite(vcpusPerGib)) {
                throw new IllegalArgumentException("vCPUs per GiB must be positive and finite");
            }
            if (!(snpFraction >= 0 && snpFraction <= 1)) {
                throw new IllegalArgumentException("the SNP share is between 0 and 1");
            }
        }
    }

    /**
     * VMs from a trace file, read by a {@link TraceSource} for its format.
     *
     * @param file        the trace (plain or gzipped)
     * @param format      the trace's format, by name
     * @param snpFraction share of the trace's VMs made SNP guests where the trace does not say, by a
     *                    seeded draw per VM
     * @param timeScale   simulated seconds per trace second (0.5 replays twice as fast)
     * @param startNanos  the window's start in trace time; VMs arriving before it are left out
     */
    record Trace(Path file, String format, double snpFraction, double timeScale, long startNanos)
            implements FleetWorkload {
        /** Validates. */
        public Trace {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(format, "format");
            if (!(snpFraction >= 0 && snpFraction <= 1)) {
                throw new IllegalArgumentException("the SNP share is between 0 and 1");
            }
            if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
                throw new IllegalArgumentException("the time scale must be positive and finite");
            }
            if (startNanos < 0) {
                throw new IllegalArgumentException("the window cannot start before the trace");
            }
        }
    }
}

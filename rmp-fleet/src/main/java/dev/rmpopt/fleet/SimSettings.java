package dev.rmpopt.fleet;

import java.io.Serializable;
import java.util.Objects;

/**
 * What every host of one scheduler's run shares: the scheduler's name, the kernel's RMPOPT policy,
 * the frame placement, the backend, simulated time, sampling, guests, and the fleet's seed.
 *
 * @param scheduler     the VM scheduler that made the plans
 * @param policy        the RMPOPT policy, by name ({@code Policies.named})
 * @param placement     {@code pack} or {@code scatter}
 * @param backend       the RMP backend, by name
 * @param durationNanos simulated time
 * @param sampleNanos   time between coverage samples
 * @param guests        what VMs do
 * @param seed          the fleet's seed; each host's churn seed is derived from it and the host's index
 */
public record SimSettings(String scheduler, String policy, String placement, String backend, long durationNanos,
                          long sampleNanos, GuestSpec guests, long seed) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Rejects missing parts. */
    public SimSettings {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(guests, "guests");
    }

    /** The settings of {@code spec} under {@code scheduler}. */
    public static SimSettings of(FleetSpec spec, String scheduler) {
        return new SimSettings(scheduler, spec.policy(), spec.placement(), spec.backend(), spec.durationNanos(),
                spec.sampleNanos(), spec.guests(), spec.seed());
    }

    /**
     * The churn seed of host {@code index}: the fleet's seed and the index mixed (SplitMix64's
     * finalizer), the same under every scheduler, so a host's own randomness does not change with
     * the VMs it is given.
     */
    public long hostSeed(int index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

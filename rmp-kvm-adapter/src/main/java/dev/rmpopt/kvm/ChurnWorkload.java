package dev.rmpopt.kvm;

import java.util.Objects;

/**
 * A churn workload in full: where VMs come from, what they do while they run, what the host
 * writes itself, for how long, and the seed. {@link ChurnConfig#toWorkload()} is the classic one;
 * {@link ChurnSimulation} runs either.
 *
 * @param durationNanos       simulated time to run
 * @param arrivals            drawn VMs, or a trace's
 * @param guests              what each VM does
 * @param hostWritesPerSecond the host's own writes per second (its kernel, page cache), each to a
 *                            random 4 KiB page of a random free 2 MiB frame from a random CPU
 * @param sampleNanos         time between coverage samples
 * @param seed                the random seed: the same seed gives the same run
 */
public record ChurnWorkload(long durationNanos, Arrivals arrivals, GuestBehaviour guests, int hostWritesPerSecond,
                            long sampleNanos, long seed) {

    /** Validates. */
    public ChurnWorkload {
        Objects.requireNonNull(arrivals, "arrivals");
        Objects.requireNonNull(guests, "guests");
        if (durationNanos <= 0 || sampleNanos <= 0) {
            throw new IllegalArgumentException("durations must be positive");
        }
        if (hostWritesPerSecond < 0) {
            throw new IllegalArgumentException("write rates are not negative");
        }
    }
}

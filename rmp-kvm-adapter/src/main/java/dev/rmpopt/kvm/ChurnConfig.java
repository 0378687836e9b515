package dev.rmpopt.kvm;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.kernel.EventScheduler;

/**
 * A VM churn workload: VMs arrive at random, live for a random time and leave, while guests
 * accept memory, the hypervisor emulates devices and legacy guests write their memory.
 *
 * @param durationNanos        simulated time to run
 * @param meanArrivalNanos     mean time between VM arrivals (exponential)
 * @param meanLifetimeNanos    mean VM lifetime (exponential)
 * @param minVmGib             smallest VM, GiB
 * @param maxVmGib             largest VM, GiB (sizes are uniform in between, whole GiB)
 * @param snpFraction          share of arrivals that are SNP guests, 0 to 1
 * @param acceptFraction       share of its memory an SNP guest accepts over its first minute, 0 to 1
 * @param sharedBounceBytes    bytes each SNP guest converts back to shared for bounce buffers
 * @param writesPerVmPerSecond device-emulation writes per VM per second, and as many guest writes
 * @param sampleNanos          time between coverage samples
 * @param seed                 the random seed: the same seed gives the same run
 */
public record ChurnConfig(long durationNanos, long meanArrivalNanos, long meanLifetimeNanos, int minVmGib, int maxVmGib,
                          double snpFraction, double acceptFraction, long sharedBounceBytes, int writesPerVmPerSecond,
                          long sampleNanos, long seed) {

    /** Validates ranges. */
    public ChurnConfig {
        if (durationNanos <= 0 || meanArrivalNanos <= 0 || meanLifetimeNanos <= 0 || sampleNanos <= 0) {
            throw new IllegalArgumentException("durations must be positive");
        }
        if (minVmGib < 1 || maxVmGib < minVmGib) {
            throw new IllegalArgumentException("VM sizes must satisfy 1 <= min <= max");
        }
        if (snpFraction < 0 || snpFraction > 1 || acceptFraction < 0 || acceptFraction > 1) {
            throw new IllegalArgumentException("fractions are between 0 and 1");
        }
        if (sharedBounceBytes < 0 || sharedBounceBytes % LazyAcceptance.CHUNK_BYTES != 0
                || sharedBounceBytes > (long) minVmGib * Geometry.GIB) {
            throw new IllegalArgumentException("the bounce area is whole 4 MiB chunks inside the smallest VM");
        }
        if (writesPerVmPerSecond < 0) {
            throw new IllegalArgumentException("write rates are not negative");
        }
    }

    /**
     * This workload in full: exponential arrivals and lifetimes, sizes uniform in whole GiB, every
     * guest accepting over its first minute, its bounce area shared at launch, no conversions
     * after, 2 MiB backing, {@link #writesPerVmPerSecond()} device and guest writes per VM, no
     * writes of the host's own.
     */
    public ChurnWorkload toWorkload() {
        return new ChurnWorkload(durationNanos,
                new Arrivals.Generated(new Distribution.Exponential(meanArrivalNanos), new Distribution.Exponential(meanLifetimeNanos),
                        new Distribution.Uniform(minVmGib, maxVmGib), snpFraction),
                new GuestBehaviour(acceptFraction, 60 * EventScheduler.SECOND, sharedBounceBytes, 0, LazyAcceptance.CHUNK_BYTES,
                        MappingSize.SIZE_2M, MappingSize.SIZE_2M, writesPerVmPerSecond, writesPerVmPerSecond, writesPerVmPerSecond),
                0, sampleNanos, seed);
    }

    /**
     * The default scenario for a 2 TiB host: one simulated hour, a VM every 90 s living 20 min on
     * average (about 13 at a time), 8-128 GiB, 70% SNP, guests accepting 60% of their memory, 64 MiB
     * of bounce buffers, 20 writes per VM per second, coverage sampled every 30 s.
     */
    public static ChurnConfig defaults() {
        long s = EventScheduler.SECOND;
        return new ChurnConfig(3600 * s, 90 * s, 1200 * s, 8, 128, 0.7, 0.6, 64L << 20, 20, 30 * s, 42);
    }
}

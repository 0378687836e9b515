package dev.rmpopt.fleet;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.kernel.EventScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws a fleet's VMs from a {@link FleetWorkload.Synthetic}: Poisson arrivals over the simulated
 * time, and for each VM, in this order, its size, whether it is SNP, its lifetime, then the time to
 * the next arrival, from one stream seeded with the fleet's seed. The same seed gives the same VMs.
 */
public final class SyntheticFleetWorkload {

    private SyntheticFleetWorkload() {
    }

    /** The VMs arriving in {@code [0, durationNanos)}, named {@code vm-000000} up, in arrival order. */
    public static List<FleetVm> generate(FleetWorkload.Synthetic workload, long durationNanos, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double meanGapNanos = 3600.0 * EventScheduler.SECOND / workload.vmsPerHour();
        List<FleetVm> vms = new ArrayList<>();
        long time = gap(random, meanGapNanos);
        while (time < durationNanos) {
            long gib = workload.vmGib().sample(random);
            boolean snp = random.nextDouble() < workload.snpFraction();
            long lifetime = workload.lifetimeNanos().sample(random);
            long departure = lifetime >= Long.MAX_VALUE - time ? Long.MAX_VALUE : time + lifetime;
            int vcpus = (int) Math.max(1, Math.min(4096, Math.round(gib * workload.vcpusPerGib())));
            vms.add(new FleetVm(String.format("vm-%06d", vms.size()), time, departure, Math.multiplyExact(gib, Geometry.GIB),
                    vcpus, snp));
            time += gap(random, meanGapNanos);
        }
        return List.copyOf(vms);
    }

    /** An exponential gap of the given mean: one {@code nextDouble()}, at least 1 ns. */
    private static long gap(SplittableRandom random, double meanNanos) {
        return Math.max(1, (long) (-Math.log(1 - random.nextDouble()) * meanNanos));
    }
}

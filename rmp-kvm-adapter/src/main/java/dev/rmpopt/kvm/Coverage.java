package dev.rmpopt.kvm;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.SnpMachine;

/**
 * How much of the pass range is optimized: REPORT_STATUS on the primary thread of every core of
 * the kernel's CPU set, for every region (what the debugfs table shows, SPEC 7).
 *
 * @param timeNanos                  simulated time of the sample
 * @param regions                    1 GiB regions in the pass range
 * @param regionsOptimizedEverywhere regions optimized on every core of the set
 * @param optimizedRegionCores       (region, core) pairs optimized
 * @param cores                      cores in the set
 */
public record Coverage(long timeNanos, long regions, long regionsOptimizedEverywhere, long optimizedRegionCores, int cores) {

    /** Measures {@code machine}'s coverage of {@code driver}'s pass range now. */
    public static Coverage measure(SnpMachine machine, RmpoptDriver driver, long timeNanos) {
        PhysRange range = driver.passRange();
        int[] cpus = driver.cpuSet();
        long regions = 0;
        long everywhere = 0;
        long pairs = 0;
        for (long pa = range.start(); pa < range.end(); pa += Geometry.REGION_1G) {
            regions++;
            int optimized = 0;
            for (int cpu : cpus) {
                if (machine.rmpopt(cpu, pa, RmpoptFunction.REPORT_STATUS).carry()) {
                    optimized++;
                }
            }
            pairs += optimized;
            if (optimized == cpus.length) {
                everywhere++;
            }
        }
        return new Coverage(timeNanos, regions, everywhere, pairs, cpus.length);
    }

    /** The share of (region, core) pairs optimized, 0 to 1. */
    public double fraction() {
        return regions == 0 ? 0 : (double) optimizedRegionCores / ((double) regions * cores);
    }
}

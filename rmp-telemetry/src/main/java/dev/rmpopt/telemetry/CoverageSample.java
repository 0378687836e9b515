package dev.rmpopt.telemetry;

import java.util.Arrays;

/**
 * The state of every 1 GiB region at one simulated time (model §4 and §7), taken by a
 * {@link CoverageSampler}: on how many physical cores the region is optimized, and how many of its
 * 4 KiB pages are assigned.
 *
 * @param timeNanos       simulated time of the sample
 * @param optimizedCores  per region, the cores whose REPORT_STATUS returned CF=1
 * @param assignedPages   per region, assigned (A=1) 4 KiB pages, 0 to 262144
 */
public record CoverageSample(long timeNanos, int[] optimizedCores, long[] assignedPages) {

    /** Rejects arrays of different lengths. */
    public CoverageSample {
        if (optimizedCores.length != assignedPages.length) {
            throw new IllegalArgumentException("one optimized-core count and one assigned-page count per region: "
                    + optimizedCores.length + " vs " + assignedPages.length);
        }
    }

    /**
     * The share of (region, core) pairs of {@code span} optimized, 0 to 1, with {@code cores} cores per
     * region (model §7: what the debugfs table shows, added up).
     */
    public double optimizedShare(RegionSpan span, int cores) {
        return (double) optimizedPairs(span) / ((double) (span.end() - span.first()) * cores);
    }

    /** The (region, core) pairs of {@code span} optimized: {@link #optimizedCores} added up over the span. */
    public long optimizedPairs(RegionSpan span) {
        long pairs = 0;
        for (long r = span.first(); r < span.end(); r++) {
            pairs += optimizedCores[Math.toIntExact(r)];
        }
        return pairs;
    }

    /** Assigned 4 KiB pages over every region: {@link #assignedPages} added up. */
    public long assignedPagesTotal() {
        long pages = 0;
        for (long a : assignedPages) {
            pages += a;
        }
        return pages;
    }

    /** Regions optimized on at least {@code cores} cores. */
    public int regionsOptimizedOnAtLeast(int cores) {
        return (int) Arrays.stream(optimizedCores).filter(c -> c >= Math.max(1, cores)).count();
    }
}

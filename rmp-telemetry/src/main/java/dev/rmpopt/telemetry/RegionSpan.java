package dev.rmpopt.telemetry;

/**
 * A run of 1 GiB regions {@code [first, end)} by region number (SPA &gt;&gt; 30).
 *
 * @param first the first region
 * @param end   the region after the last
 */
public record RegionSpan(long first, long end) {

    /** Rejects an empty or reversed span. */
    public RegionSpan {
        if (first < 0 || end <= first) {
            throw new IllegalArgumentException("not a run of regions: [" + first + ", " + end + ")");
        }
    }

    /** Whether {@code region} lies in the span. */
    public boolean contains(long region) {
        return region >= first && region < end;
    }
}

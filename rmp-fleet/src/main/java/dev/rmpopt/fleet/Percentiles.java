package dev.rmpopt.fleet;

import java.util.Arrays;

/**
 * A distribution across hosts by nearest rank (each figure is one host's value, so it is exact
 * whatever order the hosts were added in).
 *
 * @param min the smallest
 * @param p10 the 10th percentile
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param max the largest
 */
public record Percentiles(double min, double p10, double p50, double p90, double p99, double max) {

    /** The percentiles of {@code values} (any order; not changed); all 0 when there is none. */
    public static Percentiles of(double[] values) {
        if (values.length == 0) {
            return new Percentiles(0, 0, 0, 0, 0, 0);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted[0], rank(sorted, 10), rank(sorted, 50), rank(sorted, 90), rank(sorted, 99),
                sorted[sorted.length - 1]);
    }

    /** The nearest-rank {@code p}th percentile of sorted values: the value at rank ceil(p / 100 * n). */
    static double rank(double[] sorted, int p) {
        int rank = (int) Math.ceil(p * (long) sorted.length / 100.0);
        return sorted[Math.max(0, rank - 1)];
    }
}

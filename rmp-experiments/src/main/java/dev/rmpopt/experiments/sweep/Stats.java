package dev.rmpopt.experiments.sweep;

/**
 * A figure across the seeds of a cell: mean, min, max, and the 95% confidence interval of the
 * mean by Student's t (two-sided, n - 1 degrees of freedom); with one seed the interval is not
 * defined and its bounds are NaN.
 *
 * @param n       samples
 * @param mean    their mean
 * @param min     the smallest
 * @param max     the largest
 * @param ciLow   the interval's lower bound
 * @param ciHigh  the interval's upper bound
 */
public record Stats(int n, double mean, double min, double max, double ciLow, double ciHigh) {

    /** t(0.975, df) for df = 1..30: the quantiles of Student's t distribution, as every table has them. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

    /** The statistics of {@code values} (at least one). */
    public static Stats of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int n = values.length;
        double mean = sum / n;
        if (n < 2) {
            return new Stats(n, mean, min, max, Double.NaN, Double.NaN);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double half = t975(n - 1) * Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
        return new Stats(n, mean, min, max, mean - half, mean + half);
    }

    /**
     * t(0.975, df): from the table to 30 degrees of freedom, then the Cornish-Fisher expansion about
     * the normal quantile 1.959964 (within 0.001 of the exact value there).
     */
    static double t975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom >= 1");
        }
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = 1.959964;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df);
    }
}

package dev.rmpopt.telemetry;

/**
 * One count per logical CPU, incremented for a whole set of CPUs at once in O(CPUs / 64) word
 * operations: the counts are bit-sliced (plane {@code k} holds bit {@code k} of every CPU's count,
 * as words over CPU ids), so adding 1 to every CPU of a mask is a ripple-carry add of the mask's
 * words into the planes, about two word operations per mask word on average. Before the planes
 * could overflow they are folded into plain per-CPU totals (once per 2^20 - 1 rounds, O(CPUs x 20)).
 * An IPI round of 511 VERIFYs (model §7) is therefore counted in a few dozen word operations, not in
 * 511 increments.
 *
 * <p>Thread-safe by its monitor: rounds come from the kernel's one pass thread, so it is uncontended.
 */
final class BitSlicedCounts {

    private static final int PLANES = 20;
    private static final long FOLD_AFTER = (1L << PLANES) - 1;

    private final int cpus;
    private final long[][] planes;
    private final long[] folded;
    private long addsSinceFold;

    BitSlicedCounts(int cpus) {
        this.cpus = cpus;
        int words = (cpus + 63) >> 6;
        this.planes = new long[PLANES][words];
        this.folded = new long[cpus];
    }

    /** Adds 1 to the count of every CPU whose bit is set in {@code mask} (bit words over CPU ids). */
    synchronized void add(long[] mask) {
        int n = Math.min(mask.length, planes[0].length);
        for (int i = 0; i < n; i++) {
            long carry = mask[i];
            for (int k = 0; carry != 0; k++) {
                long p = planes[k][i];
                planes[k][i] = p ^ carry;
                carry &= p;
            }
        }
        if (++addsSinceFold == FOLD_AFTER) {
            fold();
        }
    }

    private void fold() {
        for (int cpu = 0; cpu < cpus; cpu++) {
            folded[cpu] = get(cpu);
        }
        for (long[] plane : planes) {
            java.util.Arrays.fill(plane, 0);
        }
        addsSinceFold = 0;
    }

    /** The count of {@code cpu}. */
    synchronized long get(int cpu) {
        long count = folded[cpu];
        int w = cpu >> 6;
        long bit = 1L << cpu;
        for (int k = 0; k < PLANES; k++) {
            if ((planes[k][w] & bit) != 0) {
                count += 1L << k;
            }
        }
        return count;
    }
}

package dev.rmpopt.telemetry;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One counted quantity by region and by core, cheap to increment from many threads and free of
 * allocation on the write path: a {@link LongAdder} per region (many cores hit one region), and a
 * slot per core in an {@link AtomicLongArray} padded to one cache line per core (each core is one
 * thread at a time, so its slot sees no contention and no false sharing).
 *
 * <p>A round of many CPUs at once (an IPI round, model §7) is counted whole: one add of its size to
 * the region, and its CPU mask into {@link BitSlicedCounts} in O(CPUs / 64), folded into the per-core
 * figures only when read.
 */
final class SplitCounter {

    /** longs per core slot: 64 bytes, one cache line. */
    private static final int STRIDE = 8;

    private final LongAdder[] byRegion;
    private final AtomicLongArray byCore;
    private final int cores;
    /** Per logical CPU: its core; null for a quantity with no core split. */
    private final int[] coreOfCpu;
    /** Rounds' counts per logical CPU, created at the first round. */
    private volatile BitSlicedCounts rounds;

    /**
     * @param regions region slots; one more slot collects the events beyond them
     * @param cores   core slots, 0 for a quantity with no core split
     */
    SplitCounter(int regions, int cores) {
        this(regions, cores, null);
    }

    /**
     * @param regions   region slots; one more slot collects the events beyond them
     * @param cores     core slots
     * @param coreOfCpu per logical CPU its core, for rounds ({@link #addRound})
     */
    SplitCounter(int regions, int cores, int[] coreOfCpu) {
        this.coreOfCpu = coreOfCpu;
        this.byRegion = new LongAdder[regions + 1];
        for (int i = 0; i < byRegion.length; i++) {
            byRegion[i] = new LongAdder();
        }
        this.cores = cores;
        this.byCore = new AtomicLongArray(Math.max(1, cores * STRIDE));
    }

    /** Counts one event in {@code regionSlot} (the last slot for beyond RAM) and {@code core}. */
    void increment(int regionSlot, int core) {
        byRegion[regionSlot].increment();
        byCore.getAndIncrement(core * STRIDE);
    }

    /** Counts one event in {@code regionSlot}, for a quantity with no core split. */
    void increment(int regionSlot) {
        byRegion[regionSlot].increment();
    }

    /**
     * Counts one event on each of {@code count} CPUs, the bits of {@code cpus} (words over CPU ids), in
     * {@code regionSlot}: O(words).
     */
    void addRound(int regionSlot, long[] cpus, int count) {
        if (count == 0) {
            return;
        }
        byRegion[regionSlot].add(count);
        BitSlicedCounts r = rounds;
        if (r == null) {
            synchronized (this) {
                r = rounds;
                if (r == null) {
                    rounds = r = new BitSlicedCounts(coreOfCpu.length);
                }
            }
        }
        r.add(cpus);
    }

    /** The total so far: the sum of the regions. */
    long total() {
        long sum = 0;
        for (LongAdder adder : byRegion) {
            sum += adder.sum();
        }
        return sum;
    }

    /** The counts as they are now. */
    CounterSeries snapshot() {
        int regions = byRegion.length - 1;
        long[] r = new long[regions];
        for (int i = 0; i < regions; i++) {
            r[i] = byRegion[i].sum();
        }
        long[] c = new long[cores];
        for (int i = 0; i < cores; i++) {
            c[i] = byCore.get(i * STRIDE);
        }
        BitSlicedCounts perCpu = rounds;
        if (perCpu != null) {
            for (int cpu = 0; cpu < coreOfCpu.length; cpu++) {
                c[coreOfCpu[cpu]] += perCpu.get(cpu);
            }
        }
        return CounterSeries.of(r, byRegion[regions].sum(), c);
    }
}

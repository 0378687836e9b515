package dev.rmpopt.api;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * An immutable set of logical CPU ids, as the kernel's {@code cpumask}: bit {@code cpu % 64} of word
 * {@code cpu / 64}. The CPUs one IPI round interrupts (model §7) travel as one of these, so that a
 * backend and a listener can handle the whole round in O(CPUs / 64) word operations
 * ({@link SnpMachine#rmpoptOnCpus}, {@link RmpEventListener#onRmpoptRound}).
 *
 * <p>Two masks with the same CPUs are equal, whatever the length of the arrays they were built from.
 */
public final class CpuMask {

    /** The mask of no CPU. */
    public static final CpuMask EMPTY = new CpuMask(new long[0]);

    /** Trimmed of high zero words, so equal sets have equal arrays. */
    private final long[] words;

    private CpuMask(long[] trimmedWords) {
        this.words = trimmedWords;
    }

    /** The CPUs of {@code cpus}, each at least 0; duplicates count once. */
    public static CpuMask of(int... cpus) {
        int max = -1;
        for (int cpu : cpus) {
            if (cpu < 0) {
                throw new IllegalArgumentException("a CPU id is not negative: " + cpu);
            }
            max = Math.max(max, cpu);
        }
        long[] w = new long[(max >> 6) + 1];
        for (int cpu : cpus) {
            w[cpu >> 6] |= 1L << cpu;
        }
        return ofWords(w);
    }

    /** The CPUs {@code [from, to)}. */
    public static CpuMask range(int from, int to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("not a CPU range: [" + from + ", " + to + ")");
        }
        long[] w = new long[(to + 63) >> 6];
        for (int i = from; i < to; ) {
            int word = i >> 6;
            int end = Math.min(to, (word + 1) << 6);
            long bits = end - i == 64 ? -1L : ((1L << (end - i)) - 1) << i;
            w[word] |= bits;
            i = end;
        }
        return ofWords(w);
    }

    /** The CPUs whose bits are set in {@code words} (copied). */
    public static CpuMask ofWords(long[] words) {
        int n = words.length;
        while (n > 0 && words[n - 1] == 0) {
            n--;
        }
        return n == 0 ? EMPTY : new CpuMask(Arrays.copyOf(words, n));
    }

    /** Whether {@code cpu} is in the mask. */
    public boolean contains(int cpu) {
        return cpu >= 0 && (cpu >> 6) < words.length && (words[cpu >> 6] & (1L << cpu)) != 0;
    }

    /** How many CPUs the mask holds. */
    public int count() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** Whether the mask holds no CPU. */
    public boolean isEmpty() {
        return words.length == 0;
    }

    /** One more than the highest CPU in the mask; 0 when empty. */
    public int length() {
        return words.length == 0 ? 0 : ((words.length - 1) << 6) + 64 - Long.numberOfLeadingZeros(words[words.length - 1]);
    }

    /** Words of the mask: every CPU is below {@code 64 * wordCount()}. */
    public int wordCount() {
        return words.length;
    }

    /** Word {@code index} (CPUs {@code 64 * index} to {@code 64 * index + 63}); 0 past the end. */
    public long word(int index) {
        return index < words.length ? words[index] : 0;
    }

    /** The lowest CPU at or above {@code from} in the mask, or -1. */
    public int nextCpu(int from) {
        int i = Math.max(0, from) >> 6;
        if (i >= words.length) {
            return -1;
        }
        long w = words[i] & (-1L << Math.max(0, from));
        for (;;) {
            if (w != 0) {
                return (i << 6) + Long.numberOfTrailingZeros(w);
            }
            if (++i == words.length) {
                return -1;
            }
            w = words[i];
        }
    }

    /** The CPUs, ascending. */
    public IntStream stream() {
        return IntStream.iterate(nextCpu(0), cpu -> cpu >= 0, cpu -> nextCpu(cpu + 1));
    }

    /** The CPUs, ascending, as an array. */
    public int[] toArray() {
        return stream().toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuMask m && Arrays.equals(words, m.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    /** The kernel's list format: {@code 0-3,8}; {@code none} when empty. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int cpu = nextCpu(0); cpu >= 0; ) {
            int end = cpu;
            while (contains(end + 1)) {
                end++;
            }
            b.append(b.length() == 0 ? "" : ",").append(cpu);
            if (end > cpu) {
                b.append('-').append(end);
            }
            cpu = nextCpu(end + 1);
        }
        return b.length() == 0 ? "none" : b.toString();
    }
}

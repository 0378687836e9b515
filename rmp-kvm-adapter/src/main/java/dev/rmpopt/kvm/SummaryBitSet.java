package dev.rmpopt.kvm;

/**
 * A fixed-size bit set with a 64-ary summary tree above its words: bit {@code j} of a level's word
 * {@code i} is set when word {@code 64 i + j} of the level below is not 0. Setting, clearing and
 * finding the next or previous set bit from any index cost O(log64 n) word operations (3 levels for
 * the 1,048,576 2 MiB frames of a 2 TiB host), where {@link java.util.BitSet#nextSetBit} scans every
 * word in between. Not thread-safe.
 */
final class SummaryBitSet {

    private final int size;
    /** {@code levels[0]} holds the bits; each next level summarizes the one below; the last has one word. */
    private final long[][] levels;

    SummaryBitSet(int size) {
        this.size = size;
        int n = Math.max(1, size);
        int count = 1;
        for (int w = (n + 63) >>> 6; w > 1; w = (w + 63) >>> 6) {
            count++;
        }
        levels = new long[count][];
        int bits = n;
        for (int l = 0; l < count; l++) {
            levels[l] = new long[(bits + 63) >>> 6];
            bits = levels[l].length;
        }
    }

    int size() {
        return size;
    }

    boolean get(int i) {
        return (levels[0][i >>> 6] & (1L << i)) != 0;
    }

    void set(int i) {
        for (long[] level : levels) {
            int w = i >>> 6;
            boolean wasEmpty = level[w] == 0;
            level[w] |= 1L << i;
            if (!wasEmpty) {
                return;
            }
            i = w;
        }
    }

    void clear(int i) {
        for (long[] level : levels) {
            int w = i >>> 6;
            level[w] &= ~(1L << i);
            if (level[w] != 0) {
                return;
            }
            i = w;
        }
    }

    void set(int i, boolean value) {
        if (value) {
            set(i);
        } else {
            clear(i);
        }
    }

    /** The lowest set bit at or above {@code from}, or -1. */
    int nextSetBit(int from) {
        if (from < 0) {
            from = 0;
        }
        if (from >= size) {
            return -1;
        }
        int l = 0;
        int i = from;
        // climb until a word holds a set bit at or after the position
        for (;;) {
            long[] level = levels[l];
            int w = i >>> 6;
            if (w >= level.length) {
                return -1;
            }
            long bits = level[w] & (-1L << i);
            if (bits != 0) {
                i = (w << 6) + Long.numberOfTrailingZeros(bits);
                break;
            }
            if (l == levels.length - 1) {
                return -1;
            }
            l++;
            i = w + 1;
        }
        // descend to the lowest set bit below that summary bit
        while (l > 0) {
            l--;
            i = (i << 6) + Long.numberOfTrailingZeros(levels[l][i]);
        }
        return i;
    }

    /** The highest set bit at or below {@code from}, or -1. */
    int previousSetBit(int from) {
        if (from < 0) {
            return -1;
        }
        if (from >= size) {
            from = size - 1;
        }
        int l = 0;
        int i = from;
        for (;;) {
            long[] level = levels[l];
            int w = i >>> 6;
            long bits = level[w] & (-1L >>> (63 - (i & 63)));
            if (bits != 0) {
                i = (w << 6) + 63 - Long.numberOfLeadingZeros(bits);
                break;
            }
            if (l == levels.length - 1 || w == 0) {
                return -1;
            }
            l++;
            i = w - 1;
        }
        while (l > 0) {
            l--;
            i = (i << 6) + 63 - Long.numberOfLeadingZeros(levels[l][i]);
        }
        return i;
    }
}

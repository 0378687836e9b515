package dev.rmpopt.core.scalable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Every RMPOPT table (model §4) in one flat {@code long[]}, region-major: the row of region
 * {@code r} is {@code wordsPerRegion} words starting at {@code r * wordsPerRegion}, and table
 * {@code t} (a core, or a logical CPU) owns bit {@code t % 32} of word {@code t / 32} of each row.
 * Clearing a region on every table is therefore one pass over a short row (O(tables / 32)), and
 * testing a bit is one array load.
 *
 * <p>Each word keeps its 32 table bits in the low half and a version in the high half. Every
 * clear replaces the word, bits and all, with a higher version in one CAS, so a VERIFY that read
 * the word before a clear can never set its bit afterwards with a CAS against the old value: the
 * version rules out the ABA of "the bits were 0 and are 0 again". The version wraps after 2^32
 * clears of one word, far longer than any VERIFY takes.
 *
 * <p>All accesses are acquire loads or CAS, never plain, so the JIT neither hoists a bit test out
 * of a loop nor reorders it with the RMP reads around it.
 */
final class RmpoptTables {

    /** Tables per word: the low half of each word. */
    static final int TABLES_PER_WORD = 32;
    private static final long BITS = 0xFFFF_FFFFL;
    private static final long VERSION_ONE = 1L << 32;
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] words;
    private final int wordsPerRegion;

    RmpoptTables(int regionCount, int tableCount) {
        this.wordsPerRegion = (tableCount + TABLES_PER_WORD - 1) / TABLES_PER_WORD;
        this.words = new long[Math.multiplyExact(regionCount, wordsPerRegion)];
    }

    /** The flat array itself, for the write fast path (read with acquire loads only). */
    long[] words() {
        return words;
    }

    int wordsPerRegion() {
        return wordsPerRegion;
    }

    /**
     * Where table {@code table} lives in a row: the word offset in the high 32 bits, the bit in the
     * low 6 (so {@code 1L << slot} is its mask, Java shifting by the low 6 bits only).
     */
    static long slotOf(int table) {
        return ((long) (table / TABLES_PER_WORD) << 32) | (table % TABLES_PER_WORD);
    }

    /** The index in the flat array of the word holding {@code slot}'s bit of {@code region}. */
    int wordIndex(int region, long slot) {
        return region * wordsPerRegion + (int) (slot >>> 32);
    }

    /** Whether {@code slot}'s bit of {@code region} is set: one acquire load and a bit test. */
    boolean isSet(int region, long slot) {
        return ((long) WORD.getAcquire(words, wordIndex(region, slot)) & (1L << slot)) != 0;
    }

    /**
     * Sets {@code slot}'s bit in the word at {@code index} unless the word was cleared since it
     * read {@code expected}. Other tables' VERIFYs setting their bits in the same word (the kernel's
     * IPI round has every core VERIFY one region at once) leave the version as it was, so the CAS
     * is retried against their word rather than failing the whole VERIFY; only a clear, which
     * raises the version, makes it fail.
     */
    boolean trySet(int index, long expected, long slot) {
        return trySetBits(index, expected, 1L << slot);
    }

    /**
     * Sets the table bits {@code bits} (low half) in the word at {@code index} unless the word was
     * cleared since it read {@code expected}: {@link #trySet} for the tables of one round that share
     * the word, in one CAS.
     */
    boolean trySetBits(int index, long expected, long bits) {
        long bit = bits;
        long current = expected;
        for (;;) {
            long witness = (long) WORD.compareAndExchange(words, index, current, current | bit);
            if (witness == current) {
                return true;
            }
            if ((witness & ~BITS) != (expected & ~BITS)) {
                return false;
            }
            current = witness;
        }
    }

    /** Clears {@code region} on every table; returns how many tables had its bit set. */
    int clearRegion(int region) {
        int cleared = 0;
        int start = region * wordsPerRegion;
        for (int i = start; i < start + wordsPerRegion; i++) {
            cleared += Long.bitCount(clearBits(i, BITS) & BITS);
        }
        return cleared;
    }

    /** Clears the bits of {@code slots} in regions {@code [from, to)}. */
    void clearTables(long[] slots, int from, int to) {
        for (int region = from; region < to; region++) {
            for (long slot : slots) {
                clearBits(wordIndex(region, slot), 1L << slot);
            }
        }
    }

    /** Clears every bit of every table. */
    void clearAll() {
        for (int i = 0; i < words.length; i++) {
            clearBits(i, BITS);
        }
    }

    /** Clears {@code mask} in word {@code index} and raises its version, atomically; returns the old word. */
    private long clearBits(int index, long mask) {
        for (;;) {
            long old = (long) WORD.getAcquire(words, index);
            if (WORD.compareAndSet(words, index, old, (old & ~mask) + VERSION_ONE)) {
                return old;
            }
        }
    }
}

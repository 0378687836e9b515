package dev.rmpopt.core.scalable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One word per 1 GiB region: a version in the high 32 bits, odd while a writer holds the region,
 * and the region's count of assigned pages in the low 32 bits (model §4: VERIFY asks exactly "is
 * this count zero"). A sequence lock: writers (RMPUPDATE, PSMASH, PVALIDATE, firmware) exclude
 * each other and publish the new count with the new version in one release store; readers take
 * no lock, read the word, read what it guards, and check the word did not change.
 *
 * <p>Because count and version share a word, VERIFY needs a single load to know the region's
 * published state, and a flat {@code long[]} replaces an object per region.
 */
final class RegionStates {
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long VERSION_ONE = 1L << 32;
    private static final long COUNT = 0xFFFF_FFFFL;

    private final long[] words;

    RegionStates(int regions) {
        this.words = new long[regions];
    }

    /** The array itself, for VERIFY (read with acquire loads only). */
    long[] words() {
        return words;
    }

    /** The region's word now; {@link #isLocked} tells whether a writer holds it. */
    long read(int region) {
        return (long) WORD.getAcquire(words, region);
    }

    /** A word with no writer inside, waiting one out. */
    long beginRead(int region) {
        for (int spins = 0;; spins++) {
            long s = (long) WORD.getAcquire(words, region);
            if (!isLocked(s)) {
                return s;
            }
            Spin.pause(spins);
        }
    }

    /** Whether the reads made since {@link #beginRead} returned {@code state} saw no writer. */
    boolean validate(int region, long state) {
        VarHandle.acquireFence();
        return (long) WORD.getAcquire(words, region) == state;
    }

    static boolean isLocked(long state) {
        return (state & VERSION_ONE) != 0;
    }

    static int assigned(long state) {
        return (int) (state & COUNT);
    }

    /** Takes the region for writing; returns the locked word, whose count is the current one. */
    long lock(int region) {
        for (int spins = 0;; spins++) {
            long s = (long) WORD.getVolatile(words, region);
            if (!isLocked(s) && WORD.compareAndSet(words, region, s, s + VERSION_ONE)) {
                // The entries' plain stores must not become visible before the odd version, or an
                // optimistic reader could mix old and new entries and still validate (as in
                // StampedLock.writeLock).
                VarHandle.storeStoreFence();
                return s + VERSION_ONE;
            }
            Spin.pause(spins);
        }
    }

    /**
     * Takes the region for writing if no other writer holds it now: the locked word, as
     * {@link #lock} returns it, or 0 when another writer holds or takes it (a locked word is never
     * 0), for FAIL_INUSE (model §4.1).
     */
    long tryLock(int region) {
        long s = (long) WORD.getVolatile(words, region);
        if (!isLocked(s) && WORD.compareAndSet(words, region, s, s + VERSION_ONE)) {
            VarHandle.storeStoreFence(); // as in lock
            return s + VERSION_ONE;
        }
        return 0;
    }

    /** Releases the region taken by {@link #lock}, publishing its new assigned count. */
    void unlock(int region, long locked, int assigned) {
        WORD.setRelease(words, region, ((locked + VERSION_ONE) & ~COUNT) | (assigned & COUNT));
    }
}

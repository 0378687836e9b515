package dev.rmpopt.core.scalable;

import dev.rmpopt.api.RmpoptBase;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The RMPOPT_BASE MSR of every physical core (model §4), each behind a sequence lock: writers (WRMSR)
 * make the core's sequence odd, change the MSR and the core's tables, and make it
 * even again; readers (RMPOPT, RDMSR) read the sequence, the MSR, and check the sequence did not
 * move. Readers never block writers and allocate nothing.
 *
 * <p>For a round on many cores at once ({@code rmpoptOnCpus}), one more sequence lock guards all the
 * MSRs together: every writer also takes it (after its cores' locks) for the whole of its change,
 * tables reset included, and publishes, before releasing it, an immutable {@link Groups}: the
 * distinct MSR values with the bit words of the cores holding each. A round reads the global
 * sequence, the groups, and validates the sequence, so it learns every core's MSR in
 * O(values x cores / 64) word operations instead of one sequence read per core.
 */
final class CoreMsrs {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    /** Per core, side by side so a reader touches one cache line: {@code [2c]} the sequence, {@code [2c + 1]} the MSR. */
    private final long[] slots;

    private static final VarHandle GLOBAL;

    static {
        try {
            GLOBAL = MethodHandles.lookup().findVarHandle(CoreMsrs.class, "global", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int cores;
    /** The sequence of all MSRs together: odd while a writer changes one. */
    @SuppressWarnings("unused") // through GLOBAL
    private volatile long global;
    /** The MSRs by value; replaced whole by writers holding the global lock. */
    private volatile Groups groups;

    CoreMsrs(int cores) {
        this.cores = cores;
        this.slots = new long[2 * cores];
        this.groups = new Groups(new long[] {0}, new long[][] {allCores(cores)});
    }

    private static long[] allCores(int cores) {
        long[] w = new long[(cores + 63) >> 6];
        for (int c = 0; c < cores; c++) {
            w[c >> 6] |= 1L << c;
        }
        return w;
    }

    /**
     * The MSRs of all cores by value: core {@code c} holds {@code values[g]} when bit {@code c} of
     * {@code cores[g]} is set; every core is in exactly one group. Immutable once published.
     */
    record Groups(long[] values, long[][] cores) {
    }

    /** Starts a read of every MSR: the (even) global sequence, waiting out a writer. */
    long beginRound() {
        for (int spins = 0;; spins++) {
            long s = (long) GLOBAL.getAcquire(this);
            if ((s & 1) == 0) {
                return s;
            }
            Spin.pause(spins);
        }
    }

    /** Every core's MSR by value; meaningful once {@link #validateRound} confirms the read. */
    Groups groups() {
        return groups;
    }

    /** Whether no writer changed any MSR (or reset any table) since {@link #beginRound} returned {@code sequence}. */
    boolean validateRound(long sequence) {
        VarHandle.acquireFence();
        return (long) GLOBAL.getVolatile(this) == sequence;
    }

    /** Takes the write side of all MSRs; the caller already holds the cores it changes. */
    void lockGlobal() {
        for (int spins = 0;; spins++) {
            long s = (long) GLOBAL.getVolatile(this);
            if ((s & 1) == 0 && GLOBAL.compareAndSet(this, s, s + 1)) {
                return;
            }
            Spin.pause(spins);
        }
    }

    /** Releases the write side of all MSRs. */
    void unlockGlobal() {
        GLOBAL.setRelease(this, (long) GLOBAL.getVolatile(this) + 1);
    }

    /** Starts a read of {@code core}'s MSR: its (even) sequence, waiting out a writer. */
    long beginRead(int core) {
        for (int spins = 0;; spins++) {
            long s = (long) SLOT.getAcquire(slots, 2 * core);
            if ((s & 1) == 0) {
                return s;
            }
            Spin.pause(spins);
        }
    }

    /** The raw MSR value; meaningful once {@link #validate} confirms the read. */
    long raw(int core) {
        return (long) SLOT.getAcquire(slots, 2 * core + 1);
    }

    /** Whether no writer touched {@code core} since {@link #beginRead} returned {@code sequence}. */
    boolean validate(int core, long sequence) {
        VarHandle.acquireFence();
        return (long) SLOT.getVolatile(slots, 2 * core) == sequence;
    }

    /** Takes {@code core}'s write side (writers exclude each other). */
    void lock(int core) {
        for (int spins = 0;; spins++) {
            long s = (long) SLOT.getVolatile(slots, 2 * core);
            if ((s & 1) == 0 && SLOT.compareAndSet(slots, 2 * core, s, s + 1)) {
                return;
            }
            Spin.pause(spins);
        }
    }

    /** Releases {@code core}'s write side. */
    void unlock(int core) {
        SLOT.setRelease(slots, 2 * core, (long) SLOT.getVolatile(slots, 2 * core) + 1);
    }

    /**
     * Writes {@code core}'s MSR and republishes the groups; the caller holds the core's write side and
     * the global one. Copy on write: O(values x cores / 64), once per WRMSR.
     */
    void set(int core, long value) {
        long old = (long) SLOT.getVolatile(slots, 2 * core + 1);
        SLOT.setRelease(slots, 2 * core + 1, value);
        if (old == value) {
            return;
        }
        Groups g = groups;
        int n = g.values().length;
        long[] values = new long[n + 1];
        long[][] masks = new long[n + 1][];
        int out = 0;
        boolean placed = false;
        long bit = 1L << core;
        for (int i = 0; i < n; i++) {
            long[] m = g.cores()[i].clone();
            if (g.values()[i] == old) {
                m[core >> 6] &= ~bit;
            }
            if (g.values()[i] == value) {
                m[core >> 6] |= bit;
                placed = true;
            }
            if (!BitWords.isEmpty(m)) {
                values[out] = g.values()[i];
                masks[out++] = m;
            }
        }
        if (!placed) {
            long[] m = new long[(cores + 63) >> 6];
            m[core >> 6] |= bit;
            values[out] = value;
            masks[out++] = m;
        }
        groups = new Groups(java.util.Arrays.copyOf(values, out), java.util.Arrays.copyOf(masks, out));
    }

    /** The MSR as a record. */
    static RmpoptBase decode(long value) {
        return value == 0 ? RmpoptBase.DISABLED : RmpoptBase.fromRaw(value);
    }
}

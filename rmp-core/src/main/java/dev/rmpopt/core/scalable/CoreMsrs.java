package dev.rmpopt.core.scalable;

import dev.rmpopt.api.RmpoptBase;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The RMPOPT_BASE MSR of every physical core (model §4), each behind a sequence lock: writers (WRMSR)
 * make the core's sequence odd, change the MSR and the core's tables, and make it
 * even again; readers (RMPOPT, RDMSR) read the sequence, the MSR, and check the sequence did not
 * move. Readers never block writers and allocate nothing.
 */
final class CoreMsrs {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    /** Per core, side by side so a reader touches one cache line: {@code [2c]} the sequence, {@code [2c + 1]} the MSR. */
    private final long[] slots;

    CoreMsrs(int cores) {
        this.slots = new long[2 * cores];
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

    /** Writes {@code core}'s MSR; the caller holds its write side. */
    void set(int core, long value) {
        SLOT.setRelease(slots, 2 * core + 1, value);
    }

    /** The MSR as a record. */
    static RmpoptBase decode(long value) {
        return value == 0 ? RmpoptBase.DISABLED : RmpoptBase.fromRaw(value);
    }
}

package dev.rmpopt.core.scalable;

/**
 * Waiting for another thread's short critical section (a writer holding a region or a core).
 * Spins briefly, then yields: the host may have fewer cores than threads acting as CPUs, and the
 * thread being waited for may need this one's core to finish.
 */
final class Spin {
    private static final int SPINS_BEFORE_YIELD = 64;

    private Spin() {
    }

    static void pause(int attempt) {
        if (attempt < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}

package dev.rmpopt.api;

/**
 * Where a backend lets a test choose how concurrent operations interleave. A backend that supports
 * it calls {@link #reached()} on the calling thread at each point of an operation where another
 * CPU's operation could take effect in between and change the outcome: inside an optimistic read's
 * window (after the first read, before the validation), between a read and the compare-and-set that
 * depends on it, and inside a writer's critical section (after the lock, before the release). A
 * compatibility kit then parks one thread at a chosen point while another CPU runs a whole
 * operation, so that the race windows of a correct backend are met on purpose rather than by luck.
 *
 * <p>A probe may block the calling thread for a while, and the backend must then behave exactly as
 * if that CPU were merely slow: a probe is never a cause of a different result. A backend that never
 * calls it conforms to {@link SnpMachine}; the kit's interleaving exploration then has nothing to
 * aim at. Machines for anything but such tests get {@link #NONE}.
 */
@FunctionalInterface
public interface InterleavingProbe {

    /** A probe that does nothing: what every machine outside an interleaving test gets. */
    InterleavingProbe NONE = () -> { };

    /** The calling thread is at a point where another CPU's operation may interleave; may block. */
    void reached();
}

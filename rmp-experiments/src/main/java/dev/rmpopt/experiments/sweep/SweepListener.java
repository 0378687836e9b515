package dev.rmpopt.experiments.sweep;

/** Hears how an experiment progresses, from the threads that run it (so implementations are thread-safe). */
public interface SweepListener {

    /** Hears nothing. */
    SweepListener NONE = new SweepListener() {
    };

    /** {@code key} started; {@code total} runs in all. */
    default void started(RunKey key, int total) {
    }

    /** {@code key} reached {@code simulatedNanos} of {@code durationNanos} simulated after boot. */
    default void progressed(RunKey key, long simulatedNanos, long durationNanos) {
    }

    /** {@code result} finished; {@code done} of {@code total} have. */
    default void finished(RunResult result, int done, int total) {
    }
}

package dev.rmpopt.api;

/**
 * What one RMPOPT instruction does (model §4): it completes with a carry flag, or raises #UD on a
 * core whose RMPOPT_BASE is not enabled.
 */
public sealed interface RmpoptResult permits RmpoptResult.Completed, RmpoptResult.InvalidOpcode {

    /** Completed with CF=1. */
    Completed CARRY_SET = new Completed(true);
    /** Completed with CF=0. */
    Completed CARRY_CLEAR = new Completed(false);
    /** #UD. */
    InvalidOpcode UD = new InvalidOpcode();

    /** The completed result with carry flag {@code cf}. */
    static Completed carry(boolean cf) {
        return cf ? CARRY_SET : CARRY_CLEAR;
    }

    /** Whether the instruction completed with CF=1. */
    default boolean carry() {
        return this instanceof Completed c && c.cf();
    }

    /**
     * The instruction completed.
     *
     * @param cf the carry flag: the region is optimized on this core
     */
    record Completed(boolean cf) implements RmpoptResult {
    }

    /** #UD: the core's RMPOPT_BASE MSR is not enabled. */
    record InvalidOpcode() implements RmpoptResult {
    }
}

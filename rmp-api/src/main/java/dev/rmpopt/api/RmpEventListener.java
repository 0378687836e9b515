package dev.rmpopt.api;

import java.util.List;

/**
 * Receives every event a backend produces (SPEC 4 and 5), for telemetry and test histories. Every
 * method has a no-op default, so a listener overrides only what it counts.
 *
 * <p>Events are delivered on the thread that executed the operation, after the operation took
 * effect and before it returns; listeners must be thread-safe and quick, and must not call back
 * into the machine.
 */
public interface RmpEventListener {

    /** A listener that ignores everything. */
    RmpEventListener NONE = new RmpEventListener() {
    };

    /**
     * One listener that delivers every event to each of {@code listeners} in order: {@link #NONE}
     * for none, the listener itself for one.
     */
    static RmpEventListener compose(List<? extends RmpEventListener> listeners) {
        List<RmpEventListener> copy = List.copyOf(listeners);
        if (copy.isEmpty()) {
            return NONE;
        }
        return copy.size() == 1 ? copy.get(0) : new CompositeEventListener(copy);
    }

    /** {@link #compose(List)} of {@code listeners}. */
    static RmpEventListener compose(RmpEventListener... listeners) {
        return compose(List.of(listeners));
    }

    /** An RMPUPDATE, whatever its result. */
    default void onRmpUpdate(Accessor caller, long spa, RmpState state, RmpReturnCode result) {
    }

    /** A PSMASH, whatever its result. */
    default void onPsmash(Accessor caller, long spa, RmpReturnCode result) {
    }

    /** A PVALIDATE, whatever its result. */
    default void onPvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated, PvalidateResult result) {
    }

    /** A firmware command, whatever its status; {@code asid} and {@code spa} are 0 where unused. */
    default void onFirmwareCommand(FirmwareCommand command, int asid, long spa, FirmwareStatus status) {
    }

    /** A WRMSR of RMPOPT_BASE, whatever its result. */
    default void onRmpoptBaseWrite(int cpu, long value, WrmsrResult result) {
    }

    /** An RMPOPT instruction; {@code regionBase} is RAX aligned down to 1 GiB. */
    default void onRmpopt(int cpu, long regionBase, RmpoptFunction function, RmpoptResult result) {
    }

    /**
     * The RMPOPT bit of region {@code regionIndex} was cleared on {@code tablesCleared} tables
     * (at least one) by {@code cause}.
     */
    default void onOptimizationCleared(long regionIndex, ClearCause cause, int tablesCleared) {
    }

    /**
     * Every bit of every table was cleared: by SNP_INIT ({@link ClearCause#SNP_INIT}), or by
     * SNP_SHUTDOWN writing RMPOPT_BASE = 0 on every core ({@link ClearCause#RMPOPT_BASE_WRITE}).
     */
    default void onAllTablesCleared(ClearCause cause) {
    }

    /** A memory access and its outcome: skipped, checked, unchecked or faulted. */
    default void onAccess(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping, AccessOutcome outcome) {
    }
}

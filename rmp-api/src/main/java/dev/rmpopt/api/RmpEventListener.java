package dev.rmpopt.api;

import java.util.List;

/**
 * Receives every event a backend produces (model §4 and §5), for telemetry and test histories. Every
 * method has a no-op default, so a listener overrides only what it counts.
 *
 * <p>Events are delivered on the thread that executed the operation, after the operation took
 * effect and before it returns; listeners must be thread-safe and quick, and must not call back
 * into the machine.
 *
 * <h2>The event contract</h2>
 * What a backend reports, checked by the compatibility kit step by step:
 * <ul>
 *   <li>Every call that returns reports exactly one <em>operation event</em>, carrying the arguments
 *       as passed and the result returned: {@link #onRmpUpdate}, {@link #onPsmash},
 *       {@link #onPvalidate}, {@link #onRmpoptBaseWrite}, {@link #onRmpopt} (with RAX aligned down
 *       to 1 GiB; a round of {@link SnpMachine#rmpoptOnCpus} reports one {@link #onRmpoptRound},
 *       or, by its default, one {@link #onRmpopt} per CPU), {@link #onAccess} (reads and writes alike), and {@link #onFirmwareCommand} with
 *       {@code (asid, spa)} as passed for LAUNCH_START {@code (asid, contextPage)} and LAUNCH_UPDATE,
 *       {@code (asid, 0)} for DECOMMISSION, {@code (0, spa)} for PAGE_RECLAIM and {@code (0, 0)}
 *       for SNP_INIT and either shutdown (named by {@link ShutdownKind#command()}). RMPREAD, RDMSR
 *       and {@link SnpMachine#snpEnabled} report nothing.</li>
 *   <li>A successful RMPUPDATE that clears (see {@link ClearPolicy}) or a successful PSMASH reports,
 *       <em>before</em> its operation event, one {@link #onOptimizationCleared} for its region with
 *       cause {@link ClearCause#RMPUPDATE} or {@link ClearCause#PSMASH} and the number of tables
 *       (cores, or logical CPUs under {@link RmpoptTableScope#PER_LOGICAL_CPU}) whose bit it cleared,
 *       if there was at least one; none if no table held the bit.</li>
 *   <li>A successful SNP_INIT reports {@code onAllTablesCleared(SNP_INIT)} once, before its
 *       {@link #onFirmwareCommand}. A shutdown clears no table (model §4.8) and reports its operation
 *       event alone, as does a command that fails.</li>
 *   <li>Nothing else: a WRMSR's reset of its core's table is reported by {@link #onRmpoptBaseWrite}
 *       alone; the other firmware commands change only assigned pages and clear nothing. A backend
 *       that clears more bits than the model asks (safe, if not optimal) may report those extra
 *       clears of other regions too, as {@link #onOptimizationCleared} events of the same
 *       RMPUPDATE or PSMASH.</li>
 *   <li>A call refused with an exception (a {@code null} argument, a negative address, a CPU that
 *       does not exist, an access to non-RAM) reports nothing.</li>
 * </ul>
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
     * One IPI round of RMPOPT ({@link SnpMachine#rmpoptOnCpus}): every CPU of {@code cpus} ran
     * {@code function} on the region at {@code regionBase} (RAX aligned down to 1 GiB), with
     * {@code results}. It stands for one {@link #onRmpopt} per CPU; the default delivers exactly
     * those, in ascending CPU order, so a listener that counts single instructions sees a round as
     * the instructions it is made of. A listener that overrides it counts the round whole, in
     * O(CPUs / 64).
     */
    default void onRmpoptRound(CpuMask cpus, long regionBase, RmpoptFunction function, RmpoptResults results) {
        for (int cpu = cpus.nextCpu(0); cpu >= 0; cpu = cpus.nextCpu(cpu + 1)) {
            onRmpopt(cpu, regionBase, function, results.result(cpu));
        }
    }

    /**
     * The RMPOPT bit of region {@code regionIndex} was cleared on {@code tablesCleared} tables
     * (at least one) by {@code cause}.
     */
    default void onOptimizationCleared(long regionIndex, ClearCause cause, int tablesCleared) {
    }

    /**
     * Every bit of every table was cleared, by SNP_INIT ({@link ClearCause#SNP_INIT}).
     */
    default void onAllTablesCleared(ClearCause cause) {
    }

    /** A memory access and its outcome: skipped, checked, unchecked or faulted. */
    default void onAccess(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping, AccessOutcome outcome) {
    }
}

package dev.rmpopt.tck;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.FirmwareCommand;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.WrmsrResult;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PvalidateResult;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A global clock for the history of a concurrent run. A thread ticks it just before it calls the
 * machine ({@link #tick()}) and just after the call returns; as the machine's listener, it also
 * ticks when the machine reports an operation (RMPUPDATE, PSMASH, PVALIDATE, RMPOPT, WRMSR, a
 * firmware command, an access) on the calling thread, and a call that returns without such an
 * event on its own thread breaks the listener contract.
 * The SPI delivers events after the operation took effect and before it returns, so an operation
 * took effect between its start tick and its event tick (or its end tick if no event came). That
 * bounds every operation by an interval of the one total order the clock defines, which is all the
 * concurrent checks need: an interval entirely inside another is entirely after its start.
 */
final class History implements RmpEventListener {

    private final AtomicLong clock = new AtomicLong();
    private final ThreadLocal<long[]> lastEvent = ThreadLocal.withInitial(() -> new long[1]);

    /** The next tick. */
    long tick() {
        return clock.incrementAndGet();
    }

    /** The tick of the calling thread's last operation event since it last asked, or {@code fallback} if none came. */
    long takeEventTick(long fallback) {
        long[] slot = lastEvent.get();
        long t = slot[0];
        slot[0] = 0;
        return t == 0 ? fallback : t;
    }

    /**
     * What the calling thread heard since it last asked: operation events, clear events and the
     * return code of its last RMPUPDATE or PSMASH event (null if none), for FAIL_INUSE (model §4.1).
     */
    record Heard(int operations, int clears, RmpReturnCode lastUpdateCode) {
        /** Exactly one event, the RMPUPDATE's or PSMASH's own, with FAIL_INUSE, and no clear. */
        boolean onlyFailInUse() {
            return operations == 1 && clears == 0 && lastUpdateCode == RmpReturnCode.FAIL_INUSE;
        }
    }

    private final ThreadLocal<Object[]> heard = ThreadLocal.withInitial(() -> new Object[] {0, 0, null});

    /** What the calling thread heard since it last asked (see {@link Heard}), and forgets it. */
    Heard takeHeard() {
        Object[] h = heard.get();
        Heard out = new Heard((Integer) h[0], (Integer) h[1], (RmpReturnCode) h[2]);
        h[0] = 0;
        h[1] = 0;
        h[2] = null;
        return out;
    }

    private void onOperation() {
        lastEvent.get()[0] = clock.incrementAndGet();
        Object[] h = heard.get();
        h[0] = (Integer) h[0] + 1;
    }

    private void onClear() {
        Object[] h = heard.get();
        h[1] = (Integer) h[1] + 1;
    }

    @Override
    public void onRmpUpdate(Accessor caller, long spa, RmpState state, RmpReturnCode result) {
        onOperation();
        heard.get()[2] = result;
    }

    @Override
    public void onPsmash(Accessor caller, long spa, RmpReturnCode result) {
        onOperation();
        heard.get()[2] = result;
    }

    @Override
    public void onOptimizationCleared(long regionIndex, dev.rmpopt.api.ClearCause cause, int tablesCleared) {
        onClear();
    }

    @Override
    public void onAllTablesCleared(dev.rmpopt.api.ClearCause cause) {
        onClear();
    }

    @Override
    public void onPvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated, PvalidateResult result) {
        onOperation();
    }

    @Override
    public void onAccess(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping, AccessOutcome outcome) {
        onOperation();
    }

    @Override
    public void onRmpopt(int cpu, long regionBase, RmpoptFunction function, RmpoptResult result) {
        onOperation();
    }

    @Override
    public void onRmpoptBaseWrite(int cpu, long value, WrmsrResult result) {
        onOperation();
    }

    @Override
    public void onFirmwareCommand(FirmwareCommand command, int asid, long spa, FirmwareStatus status) {
        onOperation();
    }
}

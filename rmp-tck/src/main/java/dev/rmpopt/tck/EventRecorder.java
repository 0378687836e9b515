package dev.rmpopt.tck;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.FirmwareCommand;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PvalidateResult;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.WrmsrResult;

import java.util.ArrayList;
import java.util.List;

/**
 * The listener the kit hands to the backend in sequential runs and interleaved pairs: it records
 * every event of the current step on the thread that runs it (the SPI reports an operation's events
 * on its calling thread), in order, as {@link Event} values, so that the checker can hold them to the event
 * contract of {@link RmpEventListener}. While the checker probes the machine (REPORT_STATUS,
 * RMPREAD, RDMSR after every step) it is {@linkplain #mute() muted}, which costs nothing.
 */
final class EventRecorder implements RmpEventListener {

    /** Per calling thread: what it heard, and whether it is muted (each CPU's thread records its own operation's events). */
    private static final class Ear {
        final List<Event> events = new ArrayList<>();
        boolean muted;
    }

    private final ThreadLocal<Ear> ears = ThreadLocal.withInitial(Ear::new);

    /** The calling thread's events since its last take, in order; forgets them. */
    List<Event> take() {
        Ear ear = ears.get();
        List<Event> out = List.copyOf(ear.events);
        ear.events.clear();
        return out;
    }

    /** Stops recording on the calling thread (the checker's probes follow). */
    void mute() {
        ears.get().muted = true;
    }

    /** Forgets what the calling thread recorded and records again (a step follows). */
    void listen() {
        Ear ear = ears.get();
        ear.events.clear();
        ear.muted = false;
    }

    /** Records {@code e} for the thread that reports it, which the contract makes the calling thread. */
    private void record(Event e) {
        Ear ear = ears.get();
        if (!ear.muted) {
            ear.events.add(e);
        }
    }

    @Override
    public void onRmpUpdate(Accessor caller, long spa, RmpState state, RmpReturnCode result) {
        record(new Event.RmpUpdate(caller, spa, state, result));
    }

    @Override
    public void onPsmash(Accessor caller, long spa, RmpReturnCode result) {
        record(new Event.Psmash(caller, spa, result));
    }

    @Override
    public void onPvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated, PvalidateResult result) {
        record(new Event.Pvalidate(guest, spa, size, validated, result));
    }

    @Override
    public void onFirmwareCommand(FirmwareCommand command, int asid, long spa, FirmwareStatus status) {
        record(new Event.Firmware(command, asid, spa, status));
    }

    @Override
    public void onRmpoptBaseWrite(int cpu, long value, WrmsrResult result) {
        record(Event.BaseWrite.of(cpu, value, result));
    }

    @Override
    public void onRmpopt(int cpu, long regionBase, RmpoptFunction function, RmpoptResult result) {
        record(new Event.Rmpopt(cpu, regionBase, function, result));
    }

    @Override
    public void onOptimizationCleared(long regionIndex, ClearCause cause, int tablesCleared) {
        record(new Event.Cleared(regionIndex, cause, tablesCleared));
    }

    @Override
    public void onAllTablesCleared(ClearCause cause) {
        record(new Event.AllCleared(cause));
    }

    @Override
    public void onAccess(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping, AccessOutcome outcome) {
        record(new Event.Access(cpu, accessor, kind, spa, mapping, outcome));
    }
}

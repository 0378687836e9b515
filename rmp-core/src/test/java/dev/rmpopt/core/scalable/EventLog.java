package dev.rmpopt.core.scalable;

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

/** Every event as text, in order, for comparing two backends' event streams (single-threaded use). */
final class EventLog implements RmpEventListener {
    private final List<String> events = new ArrayList<>();

    /** The events since the last call, and forgets them. */
    List<String> drain() {
        List<String> out = List.copyOf(events);
        events.clear();
        return out;
    }

    @Override
    public void onRmpUpdate(Accessor caller, long spa, RmpState state, RmpReturnCode result) {
        events.add("rmpUpdate " + caller + " " + spa + " " + state + " " + result);
    }

    @Override
    public void onPsmash(Accessor caller, long spa, RmpReturnCode result) {
        events.add("psmash " + caller + " " + spa + " " + result);
    }

    @Override
    public void onPvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated, PvalidateResult result) {
        events.add("pvalidate " + guest + " " + spa + " " + size + " " + validated + " " + result);
    }

    @Override
    public void onFirmwareCommand(FirmwareCommand command, int asid, long spa, FirmwareStatus status) {
        events.add("firmware " + command + " " + asid + " " + spa + " " + status);
    }

    @Override
    public void onRmpoptBaseWrite(int cpu, long value, WrmsrResult result) {
        events.add("wrmsr " + cpu + " " + value + " " + result);
    }

    @Override
    public void onRmpopt(int cpu, long regionBase, RmpoptFunction function, RmpoptResult result) {
        events.add("rmpopt " + cpu + " " + regionBase + " " + function + " " + result);
    }

    @Override
    public void onOptimizationCleared(long regionIndex, ClearCause cause, int tablesCleared) {
        events.add("cleared " + regionIndex + " " + cause + " " + tablesCleared);
    }

    @Override
    public void onAllTablesCleared(ClearCause cause) {
        events.add("allCleared " + cause);
    }

    @Override
    public void onAccess(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping, AccessOutcome outcome) {
        events.add("access " + cpu + " " + accessor + " " + kind + " " + spa + " " + mapping + " " + outcome);
    }
}

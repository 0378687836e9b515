package dev.rmpopt.api;

import java.util.List;

/** Delivers each event to several listeners in order ({@link RmpEventListener#compose}). */
final class CompositeEventListener implements RmpEventListener {

    private final RmpEventListener[] listeners;

    CompositeEventListener(List<RmpEventListener> listeners) {
        this.listeners = listeners.toArray(new RmpEventListener[0]);
    }


    @Override
    public void onRmpUpdate(Accessor caller, long spa, RmpState state, RmpReturnCode result) {
        for (RmpEventListener l : listeners) {
            l.onRmpUpdate(caller, spa, state, result);
        }
    }

    @Override
    public void onPsmash(Accessor caller, long spa, RmpReturnCode result) {
        for (RmpEventListener l : listeners) {
            l.onPsmash(caller, spa, result);
        }
    }

    @Override
    public void onPvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated, PvalidateResult result) {
        for (RmpEventListener l : listeners) {
            l.onPvalidate(guest, spa, size, validated, result);
        }
    }

    @Override
    public void onFirmwareCommand(FirmwareCommand command, int asid, long spa, FirmwareStatus status) {
        for (RmpEventListener l : listeners) {
            l.onFirmwareCommand(command, asid, spa, status);
        }
    }

    @Override
    public void onRmpoptBaseWrite(int cpu, long value, WrmsrResult result) {
        for (RmpEventListener l : listeners) {
            l.onRmpoptBaseWrite(cpu, value, result);
        }
    }

    @Override
    public void onRmpopt(int cpu, long regionBase, RmpoptFunction function, RmpoptResult result) {
        for (RmpEventListener l : listeners) {
            l.onRmpopt(cpu, regionBase, function, result);
        }
    }

    @Override
    public void onRmpoptRound(CpuMask cpus, long regionBase, RmpoptFunction function, RmpoptResults results) {
        for (RmpEventListener l : listeners) {
            l.onRmpoptRound(cpus, regionBase, function, results);
        }
    }

    @Override
    public void onOptimizationCleared(long regionIndex, ClearCause cause, int tablesCleared) {
        for (RmpEventListener l : listeners) {
            l.onOptimizationCleared(regionIndex, cause, tablesCleared);
        }
    }

    @Override
    public void onAllTablesCleared(ClearCause cause) {
        for (RmpEventListener l : listeners) {
            l.onAllTablesCleared(cause);
        }
    }

    @Override
    public void onAccess(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping, AccessOutcome outcome) {
        for (RmpEventListener l : listeners) {
            l.onAccess(cpu, accessor, kind, spa, mapping, outcome);
        }
    }
}

package dev.rmpopt.tck;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.FirmwareCommand;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
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
 * The listener the kit hands to the backend in sequential runs: it records the events of the
 * current step as comparable text, so the checker can verify the {@link RmpEventListener} contract
 * (one event per operation, carrying the result the operation returned) and SPEC 6 I5 (SNP_INIT
 * reports that it zeroed every table). Events of the checker's own probes are discarded by
 * {@link #reset()} before every step.
 */
final class EventRecorder implements RmpEventListener {

    private final List<String> operations = new ArrayList<>();
    private final List<ClearCause> allTablesCleared = new ArrayList<>();

    /** Forgets what was recorded. */
    synchronized void reset() {
        operations.clear();
        allTablesCleared.clear();
    }

    /** Operation events since the last reset, as text. */
    synchronized List<String> operations() {
        return List.copyOf(operations);
    }

    /** The causes of every onAllTablesCleared since the last reset. */
    synchronized List<ClearCause> allTablesCleared() {
        return List.copyOf(allTablesCleared);
    }

    /**
     * The text of the event {@code step} must produce when it returned {@code result}, or null
     * when the SPI defines no event for it (RMPREAD).
     */
    static String expectedEvent(Step step, Object result) {
        if (step instanceof Step.RmpUpdate) {
            Step.RmpUpdate s = (Step.RmpUpdate) step;
            return rmpUpdate(s.caller(), s.spa(), s.state(), (RmpReturnCode) result);
        }
        if (step instanceof Step.Psmash) {
            Step.Psmash s = (Step.Psmash) step;
            return psmash(s.caller(), s.spa(), (RmpReturnCode) result);
        }
        if (step instanceof Step.Pvalidate) {
            Step.Pvalidate s = (Step.Pvalidate) step;
            return pvalidate(new Accessor.SnpGuest(s.asid()), s.spa(), s.size(), s.validated(), (PvalidateResult) result);
        }
        if (step instanceof Step.WriteRmpoptBase) {
            Step.WriteRmpoptBase s = (Step.WriteRmpoptBase) step;
            return wrmsr(s.cpu(), s.value(), (WrmsrResult) result);
        }
        if (step instanceof Step.Rmpopt) {
            Step.Rmpopt s = (Step.Rmpopt) step;
            return rmpopt(s.cpu(), Geometry.alignDown(s.spa(), Geometry.REGION_1G), s.function(), (RmpoptResult) result);
        }
        if (step instanceof Step.Access) {
            Step.Access s = (Step.Access) step;
            return access(s.cpu(), s.accessor(), s.kind(), s.spa(), s.mapping(), (AccessOutcome) result);
        }
        FirmwareCommand command = firmwareCommand(step);
        return command == null ? null : firmware(command, (FirmwareStatus) result);
    }

    private static FirmwareCommand firmwareCommand(Step step) {
        if (step instanceof Step.SnpInit) {
            return FirmwareCommand.SNP_INIT;
        }
        if (step instanceof Step.LaunchStart) {
            return FirmwareCommand.LAUNCH_START;
        }
        if (step instanceof Step.LaunchUpdate) {
            return FirmwareCommand.LAUNCH_UPDATE;
        }
        if (step instanceof Step.Decommission) {
            return FirmwareCommand.DECOMMISSION;
        }
        if (step instanceof Step.PageReclaim) {
            return FirmwareCommand.PAGE_RECLAIM;
        }
        if (step instanceof Step.SnpShutdown) {
            return FirmwareCommand.SNP_SHUTDOWN;
        }
        return null;
    }

    private static String rmpUpdate(Accessor caller, long spa, RmpState state, RmpReturnCode result) {
        return "onRmpUpdate(" + caller + ", " + Geometry.hex(spa) + ", " + state + ") = " + result;
    }

    private static String psmash(Accessor caller, long spa, RmpReturnCode result) {
        return "onPsmash(" + caller + ", " + Geometry.hex(spa) + ") = " + result;
    }

    private static String pvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated, PvalidateResult result) {
        return "onPvalidate(" + guest + ", " + Geometry.hex(spa) + ", " + size + ", " + validated + ") = " + result;
    }

    private static String firmware(FirmwareCommand command, FirmwareStatus status) {
        return "onFirmwareCommand(" + command + ") = " + status;
    }

    private static String wrmsr(int cpu, long value, WrmsrResult result) {
        return "onRmpoptBaseWrite(" + cpu + ", " + Geometry.hex(value) + ") = " + result.getClass().getSimpleName();
    }

    private static String rmpopt(int cpu, long regionBase, RmpoptFunction function, RmpoptResult result) {
        return "onRmpopt(" + cpu + ", " + Geometry.hex(regionBase) + ", " + function + ") = " + result;
    }

    private static String access(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping, AccessOutcome outcome) {
        return "onAccess(" + cpu + ", " + accessor + ", " + kind + ", " + Geometry.hex(spa) + ", " + mapping + ") = " + outcome;
    }

    private synchronized void record(String event) {
        operations.add(event);
    }

    @Override
    public void onRmpUpdate(Accessor caller, long spa, RmpState state, RmpReturnCode result) {
        record(rmpUpdate(caller, spa, state, result));
    }

    @Override
    public void onPsmash(Accessor caller, long spa, RmpReturnCode result) {
        record(psmash(caller, spa, result));
    }

    @Override
    public void onPvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated, PvalidateResult result) {
        record(pvalidate(guest, spa, size, validated, result));
    }

    @Override
    public void onFirmwareCommand(FirmwareCommand command, int asid, long spa, FirmwareStatus status) {
        record(firmware(command, status));
    }

    @Override
    public void onRmpoptBaseWrite(int cpu, long value, WrmsrResult result) {
        record(wrmsr(cpu, value, result));
    }

    @Override
    public void onRmpopt(int cpu, long regionBase, RmpoptFunction function, RmpoptResult result) {
        record(rmpopt(cpu, regionBase, function, result));
    }

    @Override
    public void onAccess(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping, AccessOutcome outcome) {
        record(access(cpu, accessor, kind, spa, mapping, outcome));
    }

    @Override
    public synchronized void onAllTablesCleared(ClearCause cause) {
        allTablesCleared.add(cause);
    }
}

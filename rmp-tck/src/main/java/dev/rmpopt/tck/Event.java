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
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.WrmsrResult;

/**
 * One {@link dev.rmpopt.api.RmpEventListener} call as a comparable value, with every argument:
 * what the {@link EventRecorder} hears and what the checker expects (see the event contract in
 * {@code RmpEventListener}'s Javadoc).
 */
sealed interface Event {

    /** {@code onRmpUpdate}. */
    record RmpUpdate(Accessor caller, long spa, RmpState state, RmpReturnCode result) implements Event {
        @Override
        public String toString() {
            return "onRmpUpdate(" + caller + ", " + Describe.page(spa) + ", " + state + ") = " + result;
        }
    }

    /** {@code onPsmash}. */
    record Psmash(Accessor caller, long spa, RmpReturnCode result) implements Event {
        @Override
        public String toString() {
            return "onPsmash(" + caller + ", " + Describe.page(spa) + ") = " + result;
        }
    }

    /** {@code onPvalidate}. */
    record Pvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated, PvalidateResult result) implements Event {
        @Override
        public String toString() {
            return "onPvalidate(" + guest + ", " + Describe.page(spa) + ", " + size + ", " + validated + ") = " + result;
        }
    }

    /** {@code onFirmwareCommand}. */
    record Firmware(FirmwareCommand command, int asid, long spa, FirmwareStatus status) implements Event {
        @Override
        public String toString() {
            return "onFirmwareCommand(" + command + ", asid " + asid + ", " + Describe.page(spa) + ") = " + status;
        }
    }

    /** {@code onRmpoptBaseWrite}; a #GP's reason is free text, so only the result's kind is kept. */
    record BaseWrite(int cpu, long value, boolean written) implements Event {
        static BaseWrite of(int cpu, long value, WrmsrResult result) {
            return new BaseWrite(cpu, value, result instanceof WrmsrResult.Written);
        }

        @Override
        public String toString() {
            return "onRmpoptBaseWrite(" + cpu + ", " + Geometry.hex(value) + ") = " + (written ? "written" : "#GP");
        }
    }

    /** {@code onRmpopt}. */
    record Rmpopt(int cpu, long regionBase, RmpoptFunction function, RmpoptResult result) implements Event {
        @Override
        public String toString() {
            return "onRmpopt(" + cpu + ", " + Describe.page(regionBase) + ", " + function + ") = " + Describe.result(result);
        }
    }

    /** {@code onOptimizationCleared}. */
    record Cleared(long region, ClearCause cause, int tables) implements Event {
        @Override
        public String toString() {
            return "onOptimizationCleared(region " + region + ", " + cause + ", " + tables + " tables)";
        }
    }

    /** {@code onAllTablesCleared}. */
    record AllCleared(ClearCause cause) implements Event {
        @Override
        public String toString() {
            return "onAllTablesCleared(" + cause + ")";
        }
    }

    /** {@code onAccess}. */
    record Access(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping, AccessOutcome outcome) implements Event {
        @Override
        public String toString() {
            return "onAccess(" + cpu + ", " + accessor + ", " + kind + ", " + Describe.page(spa) + ", " + mapping + ") = " + outcome;
        }
    }
}

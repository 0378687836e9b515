package dev.rmpopt.tck;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.InterleavingProbe;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;

import java.util.EnumSet;
import java.util.Set;

/**
 * The kit subclassed for each of the {@link BrokenMachines} (and for the correct
 * {@link SimpleSnpMachine}), as their authors would. Nested, so
 * that Surefire does not run them on its own; {@link BrokenBackendsTest} runs them through the
 * JUnit Platform launcher and checks that they fail.
 */
final class BrokenBackendKits {

    private BrokenBackendKits() {
    }

    static class NoClearOnRmpupdate extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.NoClearOnRmpupdate(host, options, listener);
        }
    }

    static class ClearsOnlyCallingCore extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.ClearsOnlyCallingCore(host, options, listener);
        }
    }

    static class VerifyIgnores2M extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.VerifyIgnores2M(host, options, listener);
        }
    }

    static class VerifyMissesLastPage extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.VerifyMissesLastPage(host, options, listener);
        }
    }

    static class OneGigMappingCheckedAs4K extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.OneGigMappingCheckedAs4K(host, options, listener);
        }
    }

    static class WindowOffByOne extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.WindowOffByOne(host, options, listener);
        }
    }

    static class SnpInitLeavesBits extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.SnpInitLeavesBits(host, options, listener);
        }
    }

    static class RacyVerify extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.RacyVerify(host, options, listener);
        }
    }

    static class TornVerify extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.TornVerify(host, options, listener, InterleavingProbe.NONE);
        }

        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener, InterleavingProbe probe) {
            return new BrokenMachines.TornVerify(host, options, listener, probe);
        }
    }

    static class PsmashDropsValidated extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.PsmashDropsValidated(host, options, listener);
        }
    }

    static class ClearsEverything extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.ClearsEverything(host, options, listener);
        }

        @Override
        protected Set<Capability> capabilities() {
            return EnumSet.of(Capability.CONCURRENT_CPUS); // the default options are what the test is about
        }
    }

    static class StaleBitsAfterReinit extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.StaleBitsAfterReinit(host, options, listener);
        }
    }

    static class CleanCacheMissesSnpInit extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.CleanCacheMissesSnpInit(host, options, listener);
        }
    }

    static class CleanCacheMissesFirmwareState extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.CleanCacheMissesFirmwareState(host, options, listener);
        }
    }

    static class NoClearEvent extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.NoClearEvent(host, options, listener);
        }
    }

    static class WrongClearCount extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.WrongClearCount(host, options, listener);
        }
    }

    static class SilentShutdown extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.SilentShutdown(host, options, listener);
        }
    }

    static class ClearsFirst64Tables extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.ClearsFirst64Tables(host, options, listener);
        }
    }

    static class ClearRoundsWordsDown extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.ClearRoundsWordsDown(host, options, listener);
        }
    }

    static class IntPageIndex extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.IntPageIndex(host, options, listener);
        }
    }

    static class NumaNodeTables extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.NumaNodeTables(host, options, listener);
        }
    }

    static class RacySnpInit extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.RacySnpInit(host, options, listener);
        }
    }

    static class RacyPsmash extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.RacyPsmash(host, options, listener);
        }
    }

    static class AcceptsNulls extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.AcceptsNulls(host, options, listener);
        }
    }

    /** The kit against the correct {@link SimpleSnpMachine}, every capability declared: every rule must pass, none be skipped. */
    static class SimpleSnpMachineCompatibility extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new SimpleSnpMachine(host, options, listener);
        }
    }

    /** A correct backend that declares none of the optional capabilities. */
    static class RoundStopsAfterFirstWord extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.RoundStopsAfterFirstWord(host, options, listener);
        }
    }

    static class AssignedPagesCounts2MOnce extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.AssignedPagesCounts2MOnce(host, options, listener);
        }
    }

    static class FirstAssignedPagePastTheEnd extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.FirstAssignedPagePastTheEnd(host, options, listener);
        }
    }

    static class NoOptionalCapabilities extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new SimpleSnpMachine(host, options, listener);
        }

        @Override
        protected Set<Capability> capabilities() {
            return EnumSet.noneOf(Capability.class);
        }
    }

    static class SpuriousFailInUse extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.SpuriousFailInUse(host, options, listener);
        }
    }

    static class FailInUseAfterChange extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.FailInUseAfterChange(host, options, listener);
        }
    }

    /** The kit against {@link BrokenMachines.HonestFailInUse}, which returns FAIL_INUSE only as model §4.1 allows. */
    static class HonestFailInUse extends RmpMachineCompatibilityKit {
        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return new BrokenMachines.HonestFailInUse(host, options, listener);
        }
    }
}

package dev.rmpopt.tck;

import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.ClearPolicy;
import dev.rmpopt.api.FirmwareCommand;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PvalidateResult;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.RmpoptResults;
import dev.rmpopt.api.WrmsrResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The event contract of {@link dev.rmpopt.api.RmpEventListener} (see its Javadoc), as the kit
 * checks it after every step: which events a step that returned must report, in which order, with
 * which arguments and table counts. An IPI round reports one RMPOPT event per CPU of its mask, in
 * ascending order (a backend's {@code onRmpoptRound} reaches the kit through the listener's
 * default, which delivers exactly those).
 */
final class EventContract {

    private EventContract() {
    }

    /**
     * The events {@code step} must report when it returned {@code result}, in order.
     *
     * @param tablesBefore how many tables held the bit of the step's region before it ran
     */
    static List<Event> expected(Step step, Object result, int tablesBefore, ModelOptions options) {
        List<Event> out = new ArrayList<>(2);
        if (step instanceof Step.RmpUpdate) {
            Step.RmpUpdate s = (Step.RmpUpdate) step;
            boolean clears = options.clearPolicy() == ClearPolicy.EVERY_RMPUPDATE || s.state().assigned();
            if (result == RmpReturnCode.SUCCESS && clears && tablesBefore > 0) {
                out.add(new Event.Cleared(Geometry.regionIndex(s.spa()), ClearCause.RMPUPDATE, tablesBefore));
            }
            out.add(new Event.RmpUpdate(s.caller(), s.spa(), s.state(), (RmpReturnCode) result));
        } else if (step instanceof Step.Psmash) {
            Step.Psmash s = (Step.Psmash) step;
            if (result == RmpReturnCode.SUCCESS && tablesBefore > 0) {
                out.add(new Event.Cleared(Geometry.regionIndex(s.spa()), ClearCause.PSMASH, tablesBefore));
            }
            out.add(new Event.Psmash(s.caller(), s.spa(), (RmpReturnCode) result));
        } else if (step instanceof Step.Pvalidate) {
            Step.Pvalidate s = (Step.Pvalidate) step;
            out.add(new Event.Pvalidate(s.guest(), s.spa(), s.size(), s.validated(), (PvalidateResult) result));
        } else if (step instanceof Step.WriteRmpoptBase) {
            Step.WriteRmpoptBase s = (Step.WriteRmpoptBase) step;
            out.add(Event.BaseWrite.of(s.cpu(), s.value(), (WrmsrResult) result));
        } else if (step instanceof Step.Rmpopt) {
            Step.Rmpopt s = (Step.Rmpopt) step;
            out.add(new Event.Rmpopt(s.cpu(), Geometry.alignDown(s.spa(), Geometry.REGION_1G), s.function(), (RmpoptResult) result));
        } else if (step instanceof Step.RmpoptRound) {
            Step.RmpoptRound s = (Step.RmpoptRound) step;
            RmpoptResults results = (RmpoptResults) result;
            long regionBase = Geometry.alignDown(s.spa(), Geometry.REGION_1G);
            for (int cpu = s.cpus().nextCpu(0); cpu >= 0; cpu = s.cpus().nextCpu(cpu + 1)) {
                out.add(new Event.Rmpopt(cpu, regionBase, s.function(), results.result(cpu)));
            }
        } else if (step instanceof Step.Access) {
            Step.Access s = (Step.Access) step;
            out.add(new Event.Access(s.cpu(), s.accessor(), s.kind(), s.spa(), s.mapping(), (AccessOutcome) result));
        } else if (step instanceof Step.SnpInit) {
            if (result == FirmwareStatus.SUCCESS) {
                out.add(new Event.AllCleared(ClearCause.SNP_INIT));
            }
            out.add(new Event.Firmware(FirmwareCommand.SNP_INIT, 0, 0, (FirmwareStatus) result));
        } else if (step instanceof Step.SnpShutdown) {
            // either shutdown clears no table (model §4.8): its operation event alone
            out.add(new Event.Firmware(((Step.SnpShutdown) step).kind().command(), 0, 0, (FirmwareStatus) result));
        } else if (step instanceof Step.LaunchStart) {
            Step.LaunchStart s = (Step.LaunchStart) step;
            out.add(new Event.Firmware(FirmwareCommand.LAUNCH_START, s.asid(), s.contextPage(), (FirmwareStatus) result));
        } else if (step instanceof Step.LaunchUpdate) {
            Step.LaunchUpdate s = (Step.LaunchUpdate) step;
            out.add(new Event.Firmware(FirmwareCommand.LAUNCH_UPDATE, s.asid(), s.spa(), (FirmwareStatus) result));
        } else if (step instanceof Step.Decommission) {
            out.add(new Event.Firmware(FirmwareCommand.DECOMMISSION, ((Step.Decommission) step).asid(), 0, (FirmwareStatus) result));
        } else if (step instanceof Step.PageReclaim) {
            out.add(new Event.Firmware(FirmwareCommand.PAGE_RECLAIM, 0, ((Step.PageReclaim) step).spa(), (FirmwareStatus) result));
        }
        // RMPREAD and RDMSR report nothing.
        return out;
    }

    /**
     * What is wrong with the events {@code heard} for {@code step}, or null. A backend that clears
     * more than it must may also report those clears, as extra {@code onOptimizationCleared} events
     * of an RMPUPDATE or PSMASH naming a region and at most as many tables as held its bit.
     *
     * @param bitsBefore     per region, how many tables held its bit before the step (RMPUPDATE and PSMASH only)
     * @param bitsObservable whether REPORT_STATUS could show the bits before the step; when not (SnpEn
     *                       clear), a clear the model expects may be missing or name fewer tables
     */
    static String check(Step step, List<Event> expected, List<Event> heard, Map<Long, Integer> bitsBefore,
                        boolean bitsObservable) {
        if (!bitsObservable) {
            expected = new ArrayList<>(expected);
            expected.removeIf(e -> e instanceof Event.Cleared);
        }
        List<Event> relevant = new ArrayList<>(heard.size());
        List<Event> unmatched = new ArrayList<>(expected);
        boolean clearing = step instanceof Step.RmpUpdate || step instanceof Step.Psmash;
        for (Event e : heard) {
            if (unmatched.remove(e)) {
                relevant.add(e);
            } else if (clearing && e instanceof Event.Cleared && tolerable((Event.Cleared) e, bitsBefore)) {
                continue; // an extra clear, reported honestly
            } else {
                relevant.add(e);
            }
        }
        if (relevant.equals(expected)) {
            return null;
        }
        return "the listener heard " + (heard.isEmpty() ? "nothing" : heard) + "; the event contract asks for "
                + (expected.isEmpty() ? "nothing" : expected) + ", in this order";
    }

    private static boolean tolerable(Event.Cleared e, Map<Long, Integer> bitsBefore) {
        return e.tables() >= 1 && e.tables() <= bitsBefore.getOrDefault(e.region(), 0);
    }
}

package dev.rmpopt.tck;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpReadResult;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.api.SnpMachine;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Checks one step of a sequential run and the state it left (SPEC 4-6): the step's result against
 * the {@link SpecModel}'s, the events it produced, then I1, I4 and the exact bits through
 * REPORT_STATUS on every enabled CPU and region, and I6 and the entries through RMPREAD of every
 * hot page. A mismatch is classified by the rule it breaks, most specific first.
 *
 * <p>Rules that already failed are not reported again ({@code enabled} lacks them). If such a
 * rule's mismatch means the backend's state and the model's now differ, the run stops quietly:
 * anything it found afterwards would be noise. A backend that merely dropped a bit is resynced
 * (the model forgets the bit), since clearing more than needed is safe.
 */
final class StepChecker {

    /** Thrown to end the check of a step: with a violation to report, or with none to stop the run. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Violation violation;

        Stop(Violation violation) {
            super(null, null, false, false);
            this.violation = violation;
        }
    }

    private final SnpMachine machine;
    private final SpecModel model;
    private final HotAddresses hot;
    private final EventRecorder events;
    private final Set<Rule> enabled;
    private final Coverage coverage;

    StepChecker(SnpMachine machine, SpecModel model, HotAddresses hot, EventRecorder events, Set<Rule> enabled, Coverage coverage) {
        this.machine = machine;
        this.model = model;
        this.hot = hot;
        this.events = events;
        this.enabled = enabled;
        this.coverage = coverage;
    }

    /** Notes a mismatch: reports it if its rule is still checked, stops the run if states now differ. */
    private void detect(Rule rule, boolean statesDiverge, String message) {
        if (enabled.contains(rule)) {
            throw new Stop(new Violation(rule, message));
        }
        if (statesDiverge) {
            throw new Stop(null);
        }
    }

    /** Checks the creation of the machine. */
    void checkCreated() {
        if (!model.host().equals(machine.host()) || !model.options().equals(machine.options())) {
            detect(Rule.S4_RESULTS, true, "the machine's host() or options() differ from those it was created with");
        }
        globalChecks();
    }

    /**
     * Checks one step: the machine returned {@code actual}, the model {@code expected};
     * {@code bitBefore} tells whether some table held the step's region before it ran.
     */
    void check(Step step, Observation actual, Observation expected, boolean bitBefore) {
        coverage.count(Coverage.STEPS);
        compareResults(step, actual, expected);
        checkEvents(step, actual);
        stepSpecific(step, actual, bitBefore);
        globalChecks();
    }

    // ------------------------------------------------------------------ the step's own result

    private void compareResults(Step step, Observation actual, Observation expected) {
        if (actual.sameAs(expected)) {
            countCoverage(step, actual);
            return;
        }
        String what = step.describe() + " returned " + actual + ", expected " + expected;
        if (step instanceof Step.Access) {
            classifyAccess((Step.Access) step, actual, expected, what);
        } else if (step instanceof Step.Rmpopt && actual.returned() && expected.returned()) {
            classifyRmpopt((Step.Rmpopt) step, actual, expected, what);
        } else {
            detect(Rule.S4_RESULTS, true, what);
        }
    }

    private void classifyAccess(Step.Access s, Observation actual, Observation expected, String what) {
        if (!actual.returned() || !expected.returned() || !s.accessor().mayUseRmpopt() || s.kind() != AccessKind.WRITE) {
            detect(Rule.S5_ACCESSES, false, what);
            return;
        }
        AccessOutcome got = (AccessOutcome) actual.value();
        AccessOutcome want = (AccessOutcome) expected.value();
        long region = Geometry.regionIndex(s.spa());
        boolean fullCheckAllows = model.fullCheckAllows(s.spa(), s.mapping());
        if (got instanceof AccessOutcome.Skipped) {
            if (!fullCheckAllows) {
                detect(Rule.I2, false, what + ": the write skipped the RMP check although the RMP forbids it");
            } else if (model.regionHoldsAssignedPage(region)) {
                detect(Rule.I1, false, what + ": the write was skipped, so the core holds the bit of region " + region
                        + ", which holds an assigned page");
            } else if (want instanceof AccessOutcome.Unchecked) {
                detect(Rule.S5_ACCESSES, false, what);
            } else {
                detect(Rule.I4, false, what + ": skipped through a bit that no VERIFY on this core set");
            }
        } else if (want instanceof AccessOutcome.Skipped && got instanceof AccessOutcome.Checked) {
            detect(Rule.EXACT_BITS, false, what + ": the core lost the bit of region " + region);
            model.forgetBit(s.cpu(), region);
        } else if (got.allowed() != want.allowed() && !(want instanceof AccessOutcome.Skipped)) {
            detect(Rule.I2, false, what + (got.allowed() ? ": a write the RMP forbids was allowed" : ": a write the RMP allows was faulted"));
        } else if (want instanceof AccessOutcome.Skipped) {
            detect(Rule.I2, false, what + ": a write that RMPOPT lets through was faulted");
        } else {
            detect(Rule.S5_ACCESSES, false, what);
        }
    }

    private void classifyRmpopt(Step.Rmpopt s, Observation actual, Observation expected, String what) {
        RmpoptResult got = (RmpoptResult) actual.value();
        RmpoptResult want = (RmpoptResult) expected.value();
        long region = Geometry.regionIndex(s.spa());
        boolean bothCompleted = got instanceof RmpoptResult.Completed && want instanceof RmpoptResult.Completed;
        if (!bothCompleted) {
            detect(Rule.S4_RESULTS, true, what);
            return;
        }
        boolean verify = s.function() == RmpoptFunction.VERIFY_AND_REPORT_STATUS;
        if (got.carry()) {
            boolean windowed = model.inWindow(s.cpu(), region);
            if (windowed && (model.regionHoldsAssignedPage(region) || !model.regionVerifiable(region))) {
                detect(Rule.I1, false, what + ": region " + region + (model.regionHoldsAssignedPage(region)
                        ? " holds an assigned page" : " is not entirely inside RMP coverage"));
            } else if (!windowed) {
                detect(Rule.S4_RESULTS, false, what + ": region " + region + " is outside the core's window "
                        + windowText(s.cpu()));
            } else {
                detect(Rule.I4, false, what + ": no VERIFY on this core set the bit of region " + region);
            }
        } else if (verify) {
            detect(Rule.I4, false, what + ": region " + region + " is clean and in the core's window " + windowText(s.cpu()));
            model.forgetBit(s.cpu(), region);
        } else {
            detect(Rule.EXACT_BITS, false, what + ": the core lost the bit of region " + region);
            model.forgetBit(s.cpu(), region);
        }
    }

    private String windowText(int cpu) {
        long base = machine.rdmsrRmpoptBase(cpu).base();
        return "[" + Geometry.hex(base) + ", " + Geometry.hex(base + model.options().windowBytes()) + ")";
    }

    private void countCoverage(Step step, Observation actual) {
        Object v = actual.value();
        if (step instanceof Step.Rmpopt) {
            Step.Rmpopt s = (Step.Rmpopt) step;
            if (s.function() != RmpoptFunction.VERIFY_AND_REPORT_STATUS || !(v instanceof RmpoptResult.Completed)) {
                return;
            }
            long region = Geometry.regionIndex(s.spa());
            if (((RmpoptResult) v).carry()) {
                coverage.count(Coverage.VERIFY_SET_BIT);
            } else if (model.inWindow(s.cpu(), region) && Geometry.regionBase(region) + Geometry.REGION_1G <= model.host().ramEnd()) {
                long first = region * Geometry.PAGES_PER_REGION;
                long last = first + Geometry.PAGES_PER_REGION - 1;
                if (!model.anyAssignedIn(first, last) && model.authoritative(last).assigned()) {
                    coverage.count(Coverage.VERIFY_REFUSED_LAST_RANGE);
                }
                if (onlyTwoMegEntriesAssigned(first)) {
                    coverage.count(Coverage.VERIFY_REFUSED_2M_ONLY);
                }
            } else if (!model.inWindow(s.cpu(), region) && model.inWindow(s.cpu(), region - 1)) {
                coverage.count(Coverage.VERIFY_PAST_WINDOW);
            }
        } else if (step instanceof Step.Access && v instanceof AccessOutcome) {
            Step.Access s = (Step.Access) step;
            if (v instanceof AccessOutcome.Skipped) {
                coverage.count(Coverage.SKIPPED_WRITE);
            } else if (!((AccessOutcome) v).allowed() && s.accessor().mayUseRmpopt()) {
                coverage.count(Coverage.FAULTED_WRITE);
                if (s.mapping() == MappingSize.SIZE_1G && !model.authoritative(Geometry.pfn(s.spa())).assigned()) {
                    coverage.count(Coverage.WRITE_1G_FAULT_ELSEWHERE);
                }
            }
        } else if (v == RmpReturnCode.SUCCESS && step instanceof Step.RmpUpdate
                && ((Step.RmpUpdate) step).state().pageSize() == PageSize.SIZE_2M) {
            coverage.count(Coverage.RMPUPDATE_2M);
        } else if (v == RmpReturnCode.SUCCESS && step instanceof Step.Psmash) {
            coverage.count(Coverage.PSMASH);
        } else if (v == FirmwareStatus.SUCCESS && step instanceof Step.LaunchUpdate) {
            coverage.count(Coverage.LAUNCH_UPDATE);
        } else if (v == FirmwareStatus.SUCCESS && step instanceof Step.PageReclaim) {
            coverage.count(Coverage.PAGE_RECLAIM);
        }
    }

    private boolean onlyTwoMegEntriesAssigned(long firstPfn) {
        boolean any = false;
        for (long base = firstPfn; base < firstPfn + Geometry.PAGES_PER_REGION; base += Geometry.PAGES_PER_2M) {
            RmpEntry head = model.authoritative(base);
            if (head.pageSize() == PageSize.SIZE_2M) {
                any |= head.assigned();
            } else if (model.anyAssignedIn(base, base + Geometry.PAGES_PER_2M)) {
                return false;
            }
        }
        return any;
    }

    // ------------------------------------------------------------------ events and per-step rules

    private void checkEvents(Step step, Observation actual) {
        if (!actual.returned()) {
            return;
        }
        String wanted = EventRecorder.expectedEvent(step, actual.value());
        if (wanted != null) {
            long n = events.operations().stream().filter(wanted::equals).count();
            if (n != 1) {
                detect(Rule.SPI_EVENTS, false, step.describe() + " returned " + actual + " but the listener heard "
                        + (n == 0 ? "no matching event" : n + " matching events") + "; expected once " + wanted
                        + "; heard " + events.operations());
            }
        }
        if (step instanceof Step.SnpInit && actual.value() == FirmwareStatus.SUCCESS
                && !events.allTablesCleared().contains(ClearCause.SNP_INIT)) {
            detect(Rule.I5, false, "SNP_INIT succeeded without zeroing every RMPOPT table: the listener heard no "
                    + "onAllTablesCleared(SNP_INIT)");
        }
    }

    private void stepSpecific(Step step, Observation actual, boolean bitBefore) {
        if (step instanceof Step.RmpUpdate && actual.value() == RmpReturnCode.SUCCESS && ((Step.RmpUpdate) step).state().assigned()) {
            long region = Geometry.regionIndex(((Step.RmpUpdate) step).spa());
            if (bitBefore) {
                coverage.count(Coverage.ASSIGN_OVER_BIT);
            }
            for (int cpu = 0; cpu < model.host().topology().cpuCount(); cpu++) {
                if (model.rmpoptEnabled(cpu) && model.inWindow(cpu, region) && report(cpu, region)) {
                    detect(Rule.I3, false, step.describe() + " returned SUCCESS, but REPORT_STATUS on cpu " + cpu
                            + " still gives CF=1 for region " + region);
                }
            }
        }
        if (step instanceof Step.SnpInit && actual.value() == FirmwareStatus.SUCCESS) {
            for (int cpu = 0; cpu < model.host().topology().cpuCount(); cpu++) {
                for (long region : model.coveredWindowRegions(cpu)) {
                    if (model.rmpoptEnabled(cpu) && report(cpu, region)) {
                        detect(Rule.I5, false, "after SNP_INIT, REPORT_STATUS on cpu " + cpu + " gives CF=1 for region " + region);
                    }
                }
            }
        }
        if (step instanceof Step.Rmpopt && actual.value() instanceof RmpoptResult && ((RmpoptResult) actual.value()).carry()
                && ((Step.Rmpopt) step).function() == RmpoptFunction.VERIFY_AND_REPORT_STATUS) {
            Step.Rmpopt s = (Step.Rmpopt) step;
            long region = Geometry.regionIndex(s.spa());
            int[] sharing = model.options().tableScope() == RmpoptTableScope.PER_CORE
                    ? model.host().topology().siblingsOf(s.cpu()) : new int[] {s.cpu()};
            for (int cpu : sharing) {
                if (!report(cpu, region)) {
                    detect(Rule.I4, false, step.describe() + " gave CF=1, but REPORT_STATUS on cpu " + cpu
                            + (cpu == s.cpu() ? "" : " (its SMT sibling, same table)") + " then gives CF=0");
                    model.forgetBit(cpu, region);
                }
            }
        }
    }

    private boolean report(int cpu, long region) {
        return machine.rmpopt(cpu, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS).carry();
    }

    // ------------------------------------------------------------------ the state after the step

    private void globalChecks() {
        if (machine.isSnpInitialized() != model.isSnpInitialized() || machine.rmpChecksEnabled() != model.rmpChecksEnabled()) {
            detect(Rule.S4_RESULTS, true, "isSnpInitialized()/rmpChecksEnabled() give " + machine.isSnpInitialized() + "/"
                    + machine.rmpChecksEnabled() + ", expected " + model.isSnpInitialized() + "/" + model.rmpChecksEnabled());
        }
        int cpus = model.host().topology().cpuCount();
        for (int cpu = 0; cpu < cpus; cpu++) {
            if (!machine.rdmsrRmpoptBase(cpu).equals(model.rdmsrRmpoptBase(cpu))) {
                detect(Rule.S4_RESULTS, true, "RDMSR RMPOPT_BASE on cpu " + cpu + " gives " + machine.rdmsrRmpoptBase(cpu)
                        + ", expected " + model.rdmsrRmpoptBase(cpu));
            }
        }
        for (int cpu = 0; cpu < cpus; cpu++) {
            if (!model.rmpoptEnabled(cpu)) {
                continue;
            }
            for (long region : model.coveredWindowRegions(cpu)) {
                boolean bit = report(cpu, region);
                if (bit && (model.regionHoldsAssignedPage(region) || !model.regionVerifiable(region))) {
                    detect(Rule.I1, false, "REPORT_STATUS on cpu " + cpu + " gives CF=1 for region " + region + ", which "
                            + (model.regionHoldsAssignedPage(region) ? "holds an assigned page" : "is not entirely inside RMP coverage"));
                } else if (bit && !model.bit(cpu, region)) {
                    detect(Rule.I4, false, "REPORT_STATUS on cpu " + cpu + " gives CF=1 for region " + region
                            + ", but no VERIFY on its table set that bit since it was last cleared");
                } else if (!bit && model.bit(cpu, region)) {
                    detect(Rule.EXACT_BITS, false, "REPORT_STATUS on cpu " + cpu + " gives CF=0 for region " + region
                            + ", whose bit a VERIFY set and nothing the SPEC lists has cleared");
                    model.forgetBit(cpu, region);
                }
            }
        }
        checkEntries();
    }

    private void checkEntries() {
        Map<Long, RmpReadResult> heads = new HashMap<>();
        for (long spa : hot.pages()) {
            RmpReadResult got = machine.rmpRead(spa);
            if (got instanceof RmpReadResult.Read) {
                RmpEntry e = got.entry();
                String bad = inconsistency(e);
                if (bad != null) {
                    detect(Rule.I6, true, "RMPREAD " + Geometry.hex(spa) + " gives " + e + ": " + bad);
                }
                long base = Geometry.alignDown(spa, Geometry.PAGE_2M);
                RmpReadResult head = heads.computeIfAbsent(base, machine::rmpRead);
                boolean headIs2M = head instanceof RmpReadResult.Read && head.entry().pageSize() == PageSize.SIZE_2M;
                if ((e.pageSize() == PageSize.SIZE_2M || headIs2M) && !head.equals(got)) {
                    detect(Rule.I6, true, "the 2M range at " + Geometry.hex(base) + " disagrees with itself: RMPREAD "
                            + Geometry.hex(base) + " gives " + head + " but RMPREAD " + Geometry.hex(spa) + " gives " + got);
                }
            }
            RmpReadResult want = model.rmpRead(spa);
            if (!want.equals(got)) {
                detect(Rule.S4_RESULTS, true, "RMPREAD " + Geometry.hex(spa) + " gives "
                        + Describe.result(got) + ", expected " + Describe.result(want));
            }
        }
    }

    /** What makes an entry inconsistent (SPEC 6 I6), or null. */
    static String inconsistency(RmpEntry e) {
        if (e.validated() && !e.assigned()) {
            return "validated but not assigned";
        }
        if (e.vmsa() && !e.assigned()) {
            return "a VMSA page that is not assigned";
        }
        if (!e.assigned() && (e.asid() != 0 || e.gpa() != 0)) {
            return "unassigned but with an owner (ASID " + e.asid() + ", GPA " + Geometry.hex(e.gpa()) + ")";
        }
        if (e.asid() < 0 || e.asid() > dev.rmpopt.api.RmpState.MAX_ASID) {
            return "ASID outside 0.." + dev.rmpopt.api.RmpState.MAX_ASID;
        }
        return null;
    }
}

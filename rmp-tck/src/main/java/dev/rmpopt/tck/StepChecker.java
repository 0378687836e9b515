package dev.rmpopt.tck;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PvalidateResult;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpFault;
import dev.rmpopt.api.RmpReadResult;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.RmpoptResults;
import dev.rmpopt.api.SnpMachine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Checks one step of a sequential run and the state it left (model §4-§6): the step's result against
 * the {@link SpecModel}'s, the state after it (I1, I3, I4, I5 through REPORT_STATUS, I6 and the
 * entries through RMPREAD, the MSRs through RDMSR), then its events against the
 * {@link EventContract}. A mismatch is classified by the rule it breaks, most specific first, and
 * ends the run: the model is never patched to go on, so the rule reported is the first one that
 * broke.
 *
 * <p>The one exception is a bit the backend dropped: clearing more than the model asks is safe
 * (model §6 lets every bit be forgotten), so for the required rules the model, which is exact, is
 * one of two allowed behaviours. A dropped bit is noted as a failure of the optional
 * {@link Rule#EXACT_BITS} rule (the first one of a run), the model forgets that bit too, and the
 * run goes on; with {@code stopOnDrop} (when the optional rule's counterexample is shrunk) it ends
 * there instead.
 *
 * <p>After a step the model refused as out of contract (it threw), everything that differs is
 * blamed on {@link Rule#OUT_OF_CONTRACT}: such a call must change nothing.
 *
 * <p>What is probed: RDMSR on every CPU; REPORT_STATUS on the host's {@linkplain HotAddresses#cpus()
 * sweep CPUs} for every {@linkplain HotAddresses#regions() hot region} in their windows (every CPU
 * and region of a small host; on wide and large hosts the CPUs the steps use and the regions they
 * touch, where bits can be set), and on every CPU for the region of an RMPUPDATE, PSMASH or VERIFY
 * and after SNP_INIT; RMPREAD of every hot page.
 */
final class StepChecker {

    /** Thrown to end the check of a step with a violation to report. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Violation violation;

        Stop(Violation violation) {
            super(null, null, false, false);
            this.violation = violation;
        }
    }

    /**
     * What the checker needs to know of the model before a step ran.
     *
     * @param tablesHolding tables holding the step's region (RMPUPDATE, PSMASH), else 0
     * @param bits          per region with a bit, how many tables held it (RMPUPDATE, PSMASH), else empty
     */
    record Before(int tablesHolding, Map<Long, Integer> bits) {
        static final Before NOTHING = new Before(0, Map.of());

        /** What the model held before {@code step}. */
        static Before of(Step step, SpecModel model) {
            long spa;
            if (step instanceof Step.RmpUpdate) {
                spa = ((Step.RmpUpdate) step).spa();
            } else if (step instanceof Step.Psmash) {
                spa = ((Step.Psmash) step).spa();
            } else {
                return NOTHING;
            }
            if (spa < 0 || !model.anyBit()) {
                return NOTHING;
            }
            return new Before(model.tablesHolding(Geometry.regionIndex(spa)), model.bitsPerRegion());
        }
    }

    private final SnpMachine machine;
    private final SpecModel model;
    private final HotAddresses hot;
    private final Coverage coverage;
    private final Lifecycle lifecycle;
    private final boolean stopOnDrop;
    /** Checked only where the backend has its own (see {@link #checkObservations}). */
    private final boolean overridesObservations;
    /** Whether the observations' refusal of regions outside the host was checked in this run (once is enough). */
    private boolean observationBoundsChecked;
    private Violation firstDrop;
    private int dropStep = -1;
    private int stepIndex = -1;
    /** Set while the state after an out-of-contract step is checked: everything is blamed on it. */
    private String outOfContractStep;

    StepChecker(SnpMachine machine, SpecModel model, HotAddresses hot, Coverage coverage, boolean stopOnDrop) {
        this.machine = machine;
        this.model = model;
        this.hot = hot;
        this.coverage = coverage;
        this.lifecycle = new Lifecycle(coverage);
        this.stopOnDrop = stopOnDrop;
        this.overridesObservations = overridesObservations(machine);
    }

    /** The first dropped bit of the run (the optional rule's failure), or null. */
    Violation firstDrop() {
        return firstDrop;
    }

    /** The index of the step after which the first bit was found dropped, or -1. */
    int dropStep() {
        return dropStep;
    }

    /** Reports a mismatch of {@code rule}: ends the run, except for a dropped bit (see the class comment). */
    private void detect(Rule rule, String message) {
        if (outOfContractStep != null) {
            throw new Stop(new Violation(Rule.OUT_OF_CONTRACT, "after " + outOfContractStep
                    + ", which the SPI refuses and which must change nothing: " + message));
        }
        throw new Stop(new Violation(rule, message));
    }

    /** Notes a bit the backend dropped on {@code cpu}'s table: allowed for the required rules, not for the optional one. */
    private void dropped(int cpu, long region, String message) {
        if (outOfContractStep != null || stopOnDrop) {
            detect(Rule.EXACT_BITS, message);
        }
        if (firstDrop == null) {
            firstDrop = new Violation(Rule.EXACT_BITS, message);
            dropStep = stepIndex;
        }
        model.forgetBit(cpu, region);
    }

    /** Checks the creation of the machine. */
    void checkCreated() {
        if (!model.host().equals(machine.host()) || !model.options().equals(machine.options())) {
            detect(Rule.S4_RESULTS, "the machine's host() or options() differ from those it was created with");
        }
        globalChecks();
    }

    /**
     * Checks one step: the machine returned {@code actual} and reported {@code heard}, the model
     * returned {@code expected}; {@code before} is what the model held before the step.
     */
    void check(Step step, Observation actual, Observation expected, List<Event> heard, Before before) {
        stepIndex++;
        coverage.count(Coverage.STEPS);
        if (!expected.returned()) {
            checkOutOfContract(step, actual, expected, heard);
            return;
        }
        compareResults(step, actual, expected);
        stepSpecific(step, actual);
        globalChecks();
        checkEvents(step, actual, heard, before);
        lifecycle.afterStep(step, actual, model);
    }

    // ------------------------------------------------------------------ out-of-contract calls

    private void checkOutOfContract(Step step, Observation actual, Observation expected, List<Event> heard) {
        coverage.count(Coverage.OUT_OF_CONTRACT);
        String what = step.describe();
        if (!actual.sameAs(expected)) {
            detect(Rule.OUT_OF_CONTRACT, what + (actual.returned() ? " returned " : " ") + actual + ", but the SPI refuses it with "
                    + expected.thrown() + (Observation.NPE.equals(expected.thrown()) ? " (a null argument)"
                            : " (a negative address, a CPU that does not exist, or an access to non-RAM)"));
        }
        if (!heard.isEmpty()) {
            detect(Rule.OUT_OF_CONTRACT, what + " threw " + actual.thrown() + " as it must, but the listener heard " + heard
                    + "; a refused call reports nothing");
        }
        outOfContractStep = what;
        try {
            globalChecks();
        } finally {
            outOfContractStep = null;
        }
    }

    // ------------------------------------------------------------------ the step's own result

    private void compareResults(Step step, Observation actual, Observation expected) {
        if (actual.sameAs(expected)) {
            countCoverage(step, actual);
            return;
        }
        String what = step.describe() + " returned " + actual + ", expected " + expected;
        if (actual.value() == RmpReturnCode.FAIL_INUSE) {
            // model §4.1: FAIL_INUSE only while another CPU holds the entry's region; in a sequential
            // trial no other CPU runs, so it is wrong with the option on or off.
            detect(Rule.S4_RESULTS, what + ": FAIL_INUSE with no other CPU running (model §4.1 allows it only while another CPU "
                    + "changes an entry of the region" + (model.options().failInUse() ? ")" : ", and only with ModelOptions.failInUse on)"));
            return;
        }
        if (step instanceof Step.Access) {
            classifyAccess((Step.Access) step, actual, expected, what);
        } else if (step instanceof Step.Rmpopt && actual.returned()) {
            classifyRmpopt((Step.Rmpopt) step, actual, expected, what);
        } else if (step instanceof Step.RmpoptRound && actual.value() instanceof RmpoptResults && expected.value() instanceof RmpoptResults) {
            classifyRound((Step.RmpoptRound) step, (RmpoptResults) actual.value(), (RmpoptResults) expected.value(), what);
        } else {
            detect(Rule.S4_RESULTS, what);
        }
    }

    private void classifyAccess(Step.Access s, Observation actual, Observation expected, String what) {
        if (!actual.returned() || !s.accessor().mayUseRmpopt() || s.kind() != AccessKind.WRITE) {
            detect(Rule.S5_ACCESSES, what);
            return;
        }
        AccessOutcome got = (AccessOutcome) actual.value();
        AccessOutcome want = (AccessOutcome) expected.value();
        long region = Geometry.regionIndex(s.spa());
        boolean fullCheckAllows = model.fullCheckAllows(s.spa(), s.mapping());
        if (got instanceof AccessOutcome.Skipped) {
            if (!fullCheckAllows) {
                detect(Rule.I2, what + ": the write skipped the RMP check although the RMP forbids it");
            } else if (model.regionHoldsAssignedPage(region)) {
                detect(Rule.I1, what + ": the write was skipped, so the core holds the bit of region " + region
                        + ", which holds an assigned page");
            } else {
                detect(Rule.I4, what + ": skipped through a bit that no VERIFY on this core's table set since it was last cleared");
            }
        } else if (want instanceof AccessOutcome.Skipped) {
            AccessOutcome withoutBit = model.hostWriteWithoutBit(s.accessor(), s.spa(), s.mapping());
            if (got.equals(withoutBit)) {
                dropped(s.cpu(), region, what + ": the core lost the bit of region " + region);
            } else if (!got.allowed()) {
                detect(Rule.I2, what + ": a write that the RMP and RMPOPT both allow was faulted");
            } else {
                detect(Rule.S5_ACCESSES, what);
            }
        } else if (got.allowed() != want.allowed()) {
            detect(Rule.I2, what + (got.allowed() ? ": a write the RMP forbids was allowed" : ": a write the RMP allows was faulted"));
        } else {
            detect(Rule.S5_ACCESSES, what);
        }
    }

    /** A round's first CPU whose result differs is blamed as that CPU's single RMPOPT would be. */
    private void classifyRound(Step.RmpoptRound s, RmpoptResults got, RmpoptResults want, String what) {
        if (!got.cpus().equals(want.cpus())) {
            detect(Rule.S4_RESULTS, what + ": the results are for CPUs " + got.cpus() + ", not the round's " + want.cpus());
        }
        for (int cpu = s.cpus().nextCpu(0); cpu >= 0; cpu = s.cpus().nextCpu(cpu + 1)) {
            RmpoptResult g = got.result(cpu);
            RmpoptResult w = want.result(cpu);
            if (!g.equals(w)) {
                classifyRmpopt(new Step.Rmpopt(cpu, s.spa(), s.function()), new Observation(g, null), new Observation(w, null),
                        what + " (cpu " + cpu + ": " + g + ", expected " + w + ")");
                return;
            }
        }
        detect(Rule.S4_RESULTS, what);
    }

    private void classifyRmpopt(Step.Rmpopt s, Observation actual, Observation expected, String what) {
        RmpoptResult got = (RmpoptResult) actual.value();
        RmpoptResult want = (RmpoptResult) expected.value();
        long region = Geometry.regionIndex(s.spa());
        if (!(got instanceof RmpoptResult.Completed && want instanceof RmpoptResult.Completed)) {
            detect(Rule.S4_RESULTS, what);
            return;
        }
        boolean verify = s.function() == RmpoptFunction.VERIFY_AND_REPORT_STATUS;
        if (got.carry()) {
            boolean windowed = model.inWindow(s.cpu(), region);
            if (windowed && (model.regionHoldsAssignedPage(region) || !model.regionVerifiable(region))) {
                detect(Rule.I1, what + ": region " + region + (model.regionHoldsAssignedPage(region)
                        ? " holds an assigned page" : " is not entirely inside RMP coverage"));
            } else if (!windowed) {
                detect(Rule.S4_RESULTS, what + ": region " + region + " is outside the core's window " + windowText(s.cpu()));
            } else {
                detect(Rule.I4, what + ": no VERIFY on this core's table set the bit of region " + region
                        + " since it was last cleared");
            }
        } else if (verify) {
            detect(Rule.I4, what + ": region " + region + " is clean and in the core's window " + windowText(s.cpu()));
        } else {
            dropped(s.cpu(), region, what + ": the core lost the bit of region " + region);
        }
    }

    private String windowText(int cpu) {
        long base = model.rdmsrRmpoptBase(cpu).base();
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
        } else if (step instanceof Step.RmpoptRound && v instanceof RmpoptResults) {
            Step.RmpoptRound s = (Step.RmpoptRound) step;
            if (s.cpus().wordCount() > 1 && s.cpus().nextCpu(0) < 64) {
                coverage.count(Coverage.ROUND_ACROSS_WORDS);
            }
            if (s.function() == RmpoptFunction.VERIFY_AND_REPORT_STATUS && ((RmpoptResults) v).carryCount() > 0) {
                coverage.count(Coverage.ROUND_SET_BITS);
            }
        } else if (step instanceof Step.Pvalidate && v instanceof PvalidateResult) {
            // model §4.7: the two nested page faults and the one size-mismatch code
            if (v instanceof PvalidateResult.Faulted f) {
                coverage.count(f.sizeMismatch() ? Coverage.PVALIDATE_NPF_SIZEM : Coverage.PVALIDATE_NPF);
            } else if (((PvalidateResult.Returned) v).code() == RmpReturnCode.FAIL_SIZEMISMATCH) {
                coverage.count(Coverage.PVALIDATE_SIZEMISMATCH);
            }
        } else if (step instanceof Step.Access && v instanceof AccessOutcome && !((Step.Access) step).accessor().mayUseRmpopt()) {
            // model §5.4: an SNP guest's own accesses
            Step.Access s = (Step.Access) step;
            boolean shared = s.accessor() instanceof Accessor.SnpGuestView && !((Accessor.SnpGuestView) s.accessor()).encrypted();
            if (v instanceof AccessOutcome.VmmCommunication) {
                coverage.count(Coverage.GUEST_VC);
            } else if (shared && s.kind() == AccessKind.WRITE && v instanceof AccessOutcome.Checked) {
                coverage.count(Coverage.GUEST_SHARED_WRITE_CHECKED);
            } else if (shared && v instanceof RmpFault) {
                coverage.count(Coverage.GUEST_SHARED_WRITE_FAULTED);
            } else if (!shared && v instanceof RmpFault && s.accessor() instanceof Accessor.SnpGuestView) {
                RmpEntry e = model.authoritative(Geometry.pfn(s.spa()));
                if (e.assigned() && e.asid() == ((Accessor.SnpGuestView) s.accessor()).asid() && !e.immutable()) {
                    coverage.count(Coverage.GUEST_PRIVATE_GPA_OR_SIZE_FAULT);
                }
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

    // ------------------------------------------------------------------ events

    private void checkEvents(Step step, Observation actual, List<Event> heard, Before before) {
        List<Event> expected = EventContract.expected(step, actual.value(), before.tablesHolding(), model.options());
        // While SnpEn is clear (after X86_SNP_SHUTDOWN) RMPOPT is #UD, so the kit cannot see which bits
        // a backend still holds, nor keep its model in line with bits dropped meanwhile: a clear's
        // table count is then only bounded by the model's (model §4.8).
        String bad = EventContract.check(step, expected, heard, before.bits(), model.rmpChecksEnabled());
        if (bad != null) {
            detect(Rule.SPI_EVENTS, step.describe() + " returned " + actual + "; " + bad);
        }
        if (before.tablesHolding() > 0 && actual.value() == RmpReturnCode.SUCCESS && step instanceof Step.RmpUpdate
                && ((Step.RmpUpdate) step).state().assigned()) {
            coverage.count(Coverage.ASSIGN_OVER_BIT);
        }
    }

    // ------------------------------------------------------------------ per-step rules

    private void stepSpecific(Step step, Observation actual) {
        int cpus = model.host().topology().cpuCount();
        if (step instanceof Step.RmpUpdate && actual.value() == RmpReturnCode.SUCCESS && ((Step.RmpUpdate) step).state().assigned()) {
            long region = Geometry.regionIndex(((Step.RmpUpdate) step).spa());
            for (int cpu = 0; cpu < cpus; cpu++) {
                if (model.rmpoptUsable(cpu) && model.inWindow(cpu, region) && report(cpu, region)) {
                    detect(Rule.I3, step.describe() + " returned SUCCESS, but REPORT_STATUS on cpu " + cpu + " (core "
                            + model.host().topology().coreOf(cpu) + ") still gives CF=1 for region " + region);
                }
            }
        }
        if (step instanceof Step.SnpInit && actual.value() == FirmwareStatus.SUCCESS) {
            for (int cpu = 0; cpu < cpus; cpu++) {
                if (!model.rmpoptUsable(cpu)) {
                    continue;
                }
                for (long region : hot.regions()) {
                    if (model.inWindow(cpu, region) && report(cpu, region)) {
                        detect(Rule.I5, "after " + (lifecycle.shutdowns() > 0 ? "an SNP_SHUTDOWN and another " : "") + "SNP_INIT, "
                                + "REPORT_STATUS on cpu " + cpu + " gives CF=1 for region " + region);
                    }
                }
            }
        }
        if (step instanceof Step.Rmpopt && actual.value() instanceof RmpoptResult && ((RmpoptResult) actual.value()).carry()
                && ((Step.Rmpopt) step).function() == RmpoptFunction.VERIFY_AND_REPORT_STATUS) {
            Step.Rmpopt s = (Step.Rmpopt) step;
            long region = Geometry.regionIndex(s.spa());
            for (int cpu = 0; cpu < cpus; cpu++) {
                if (!model.rmpoptUsable(cpu) || !model.inWindow(cpu, region)) {
                    continue;
                }
                boolean bit = report(cpu, region);
                if (model.sharesTable(cpu, s.cpu()) && !bit) {
                    detect(Rule.I4, step.describe() + " gave CF=1, but REPORT_STATUS on cpu " + cpu
                            + (cpu == s.cpu() ? "" : " (its SMT sibling, same table)") + " then gives CF=0");
                } else if (bit && !model.bit(cpu, region)) {
                    detect(Rule.I4, step.describe() + " gave CF=1, and REPORT_STATUS on cpu " + cpu + " (core "
                            + model.host().topology().coreOf(cpu) + ", another table, which did not verify region " + region
                            + " since it was last cleared) now gives CF=1 too");
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
            detect(Rule.S4_RESULTS, "isSnpInitialized()/rmpChecksEnabled() give " + machine.isSnpInitialized() + "/"
                    + machine.rmpChecksEnabled() + ", expected " + model.isSnpInitialized() + "/" + model.rmpChecksEnabled());
        }
        int cpus = model.host().topology().cpuCount();
        for (int cpu = 0; cpu < cpus; cpu++) {
            if (machine.snpEnabled(cpu) != model.snpEnabled(cpu)) {
                detect(Rule.S4_RESULTS, "snpEnabled(" + cpu + ") gives " + machine.snpEnabled(cpu) + ", expected " + model.snpEnabled(cpu));
            }
            if (!machine.rdmsrRmpoptBase(cpu).equals(model.rdmsrRmpoptBase(cpu))) {
                detect(Rule.S4_RESULTS, "RDMSR RMPOPT_BASE on cpu " + cpu + " gives " + machine.rdmsrRmpoptBase(cpu)
                        + ", expected " + model.rdmsrRmpoptBase(cpu));
            }
        }
        for (int cpu : hot.cpus()) {
            // after X86_SNP_SHUTDOWN RMPOPT is #UD until SNP_INIT (model §4.8): the bits are not observable then
            if (!model.rmpoptUsable(cpu)) {
                continue;
            }
            for (long region : hot.regions()) {
                if (!model.inWindow(cpu, region)) {
                    continue;
                }
                boolean bit = report(cpu, region);
                if (bit && (model.regionHoldsAssignedPage(region) || !model.regionVerifiable(region))) {
                    detect(Rule.I1, "REPORT_STATUS on cpu " + cpu + " gives CF=1 for region " + region + ", which "
                            + (model.regionHoldsAssignedPage(region) ? "holds an assigned page" : "is not entirely inside RMP coverage"));
                } else if (bit && !model.bit(cpu, region)) {
                    detect(Rule.I4, "REPORT_STATUS on cpu " + cpu + " gives CF=1 for region " + region
                            + ", but no VERIFY on its table set that bit since it was last cleared");
                } else if (!bit && model.bit(cpu, region)) {
                    dropped(cpu, region, "REPORT_STATUS on cpu " + cpu + " gives CF=0 for region " + region
                            + ", whose bit a VERIFY set and nothing the model lists has cleared");
                }
            }
        }
        checkEntries();
        checkObservations();
    }

    /**
     * A backend that overrides the SPI's observations {@link SnpMachine#assignedPages} and
     * {@link SnpMachine#firstAssignedPage} (the defaults scan with RMPREAD, which the kit checks
     * page by page) must give what the scan would, on every hot region after every step: the
     * kernel's cost model and telemetry read them (model §3, §8.2).
     */
    private void checkObservations() {
        if (!overridesObservations) {
            return;
        }
        if (!observationBoundsChecked) {
            observationBoundsChecked = true;
            long count = machine.host().regionCount();
            for (long outside : new long[] {-1, count, Long.MAX_VALUE}) {
                refusesRegion("assignedPages", outside, () -> machine.assignedPages(outside));
                refusesRegion("firstAssignedPage", outside, () -> machine.firstAssignedPage(outside));
            }
        }
        for (long region : hot.regions()) {
            long got = machine.assignedPages(region);
            long want = model.assignedPages(region);
            if (got != want) {
                detect(Rule.S4_RESULTS, "assignedPages(" + region + ") gives " + got + ", but RMPREAD shows " + want
                        + " assigned pages in the region");
            }
            long gotFirst = machine.firstAssignedPage(region);
            long wantFirst = model.firstAssignedPage(region);
            if (gotFirst != wantFirst) {
                detect(Rule.S4_RESULTS, "firstAssignedPage(" + region + ") gives " + gotFirst + ", but RMPREAD shows "
                        + (wantFirst < 0 ? "no assigned page" : "the first assigned page at index " + wantFirst) + " of the region");
            }
        }
    }

    /** A region index outside the host must be refused as the SPI's defaults refuse it: IllegalArgumentException. */
    private void refusesRegion(String method, long region, LongSupplier call) {
        String answer;
        try {
            answer = "returned " + call.getAsLong();
        } catch (IllegalArgumentException expected) {
            return; // the contract
        } catch (RuntimeException e) {
            answer = "threw " + e;
        }
        detect(Rule.OUT_OF_CONTRACT, method + "(" + region + ") on a host of " + machine.host().regionCount()
                + " regions " + answer + " instead of throwing IllegalArgumentException");
    }

    /** Whether {@code machine}'s class declares its own observations instead of the SPI's RMPREAD-scan defaults. */
    private static boolean overridesObservations(SnpMachine machine) {
        try {
            return machine.getClass().getMethod("assignedPages", long.class).getDeclaringClass() != SnpMachine.class
                    || machine.getClass().getMethod("firstAssignedPage", long.class).getDeclaringClass() != SnpMachine.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("SnpMachine lost its observations", e);
        }
    }

    private void checkEntries() {
        Map<Long, RmpReadResult> heads = new HashMap<>();
        for (long spa : hot.pages()) {
            RmpReadResult got = machine.rmpRead(spa);
            if (got instanceof RmpReadResult.Read) {
                RmpEntry e = got.entry();
                String bad = inconsistency(e);
                if (bad != null) {
                    detect(Rule.I6, "RMPREAD " + Geometry.hex(spa) + " gives " + e + ": " + bad);
                }
                long base = Geometry.alignDown(spa, Geometry.PAGE_2M);
                RmpReadResult head = heads.computeIfAbsent(base, machine::rmpRead);
                boolean headIs2M = head instanceof RmpReadResult.Read && head.entry().pageSize() == PageSize.SIZE_2M;
                if ((e.pageSize() == PageSize.SIZE_2M || headIs2M) && !head.equals(got)) {
                    detect(Rule.I6, "the 2M range at " + Geometry.hex(base) + " disagrees with itself: RMPREAD "
                            + Geometry.hex(base) + " gives " + head + " but RMPREAD " + Geometry.hex(spa) + " gives " + got);
                }
            }
            RmpReadResult want = model.rmpRead(spa);
            if (!want.equals(got)) {
                detect(Rule.S4_RESULTS, "RMPREAD " + Geometry.hex(spa) + " gives "
                        + Describe.result(got) + ", expected " + Describe.result(want));
            }
        }
    }

    /** What makes an entry inconsistent (model §6 I6), or null. */
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

package dev.rmpopt.tck;

import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.RmpoptResults;
import dev.rmpopt.api.ShutdownKind;

import java.util.HashSet;
import java.util.Set;

/**
 * Where a sequential run stands in the SNP lifecycle (model §4 and §7: power-on, SNP_INIT,
 * a shutdown of either kind, SNP_INIT again), counted into the {@link Coverage}: RMPOPT before the first
 * SNP_INIT (when SnpEn is set at power-on) and between a legacy shutdown, which keeps every MSR and
 * SnpEn, and the next SNP_INIT (model §4.8), a re-initialization after each kind, and VERIFY of a region after the firmware path assigned
 * a page of it (SNP_INIT's RMP and firmware pages in a region a VERIFY found clean before; a
 * context page made by LAUNCH_START). These are the premises of the stale-bit and stale-cache
 * failures, which the kit requires itself to reach ({@link Coverage#MINIMUMS}).
 */
final class Lifecycle {

    private final Coverage coverage;
    private int inits;
    private int shutdowns;
    /** The kind of the last successful shutdown, or null before the first. */
    private ShutdownKind lastShutdown;
    /** Regions a VERIFY found clean while SNP was off, since the last SNP_INIT. */
    private final Set<Long> cleanWhileOff = new HashSet<>();
    /** Regions SNP_INIT assigned pages in that a VERIFY had found clean just before. */
    private final Set<Long> assignedByInit = new HashSet<>();
    /** Regions holding a context page LAUNCH_START made. */
    private final Set<Long> contextRegions = new HashSet<>();

    Lifecycle(Coverage coverage) {
        this.coverage = coverage;
    }

    /** SNP_SHUTDOWNs that succeeded so far. */
    int shutdowns() {
        return shutdowns;
    }

    /** Counts what {@code step}, which returned {@code actual}, reached; {@code model} is the state after it. */
    void afterStep(Step step, Observation actual, SpecModel model) {
        Object v = actual.value();
        if (step instanceof Step.SnpInit && v == FirmwareStatus.SUCCESS) {
            if (inits++ > 0) {
                coverage.count(Coverage.REINIT);
                if (lastShutdown != null) {
                    coverage.count(lastShutdown == ShutdownKind.X86_SNP_SHUTDOWN ? Coverage.REINIT_AFTER_X86 : Coverage.REINIT_AFTER_LEGACY);
                }
            }
            assignedByInit.clear();
            for (long region : cleanWhileOff) {
                if (reservedIn(model, region)) {
                    assignedByInit.add(region);
                }
            }
            cleanWhileOff.clear();
            contextRegions.clear();
        } else if (step instanceof Step.SnpShutdown && v == FirmwareStatus.SUCCESS) {
            shutdowns++;
            lastShutdown = ((Step.SnpShutdown) step).kind();
        } else if (step instanceof Step.LaunchStart && v == FirmwareStatus.SUCCESS) {
            contextRegions.add(Geometry.regionIndex(((Step.LaunchStart) step).contextPage()));
        } else if (step instanceof Step.Rmpopt && v instanceof RmpoptResult.Completed) {
            Step.Rmpopt s = (Step.Rmpopt) step;
            afterRmpopt(s.function() == RmpoptFunction.VERIFY_AND_REPORT_STATUS, Geometry.regionIndex(s.spa()),
                    ((RmpoptResult) v).carry(), model);
        } else if (step instanceof Step.RmpoptRound && v instanceof RmpoptResults) {
            // a round counts once, as one RMPOPT of its CPUs that did not raise #UD would
            Step.RmpoptRound s = (Step.RmpoptRound) step;
            RmpoptResults results = (RmpoptResults) v;
            if (results.invalidOpcodeCount() < s.cpus().count()) {
                afterRmpopt(s.function() == RmpoptFunction.VERIFY_AND_REPORT_STATUS, Geometry.regionIndex(s.spa()),
                        results.carryCount() > 0, model);
            }
        }
    }

    private void afterRmpopt(boolean verify, long region, boolean carry, SpecModel model) {
        if (!model.isSnpInitialized()) {
            boolean first = inits == 0;
            coverage.count(verify ? (first ? Coverage.VERIFY_BEFORE_FIRST_INIT : Coverage.VERIFY_BETWEEN_SHUTDOWN_AND_INIT)
                    : (first ? Coverage.REPORT_BEFORE_FIRST_INIT : Coverage.REPORT_BETWEEN_SHUTDOWN_AND_INIT));
            if (verify && carry) {
                cleanWhileOff.add(region);
            }
        } else if (verify && assignedByInit.contains(region)) {
            coverage.count(Coverage.VERIFY_AFTER_INIT_ASSIGNED);
        } else if (verify && contextRegions.contains(region)) {
            coverage.count(Coverage.VERIFY_CONTEXT_REGION);
        }
    }

    /** Whether SNP_INIT assigns a page of {@code region} (the RMP or the firmware's pages lie in it). */
    private static boolean reservedIn(SpecModel model, long region) {
        PhysRange r = PhysRange.ofSize(Geometry.regionBase(region), Geometry.REGION_1G);
        return model.host().rmpTable().stream().anyMatch(r::overlaps) || model.host().firmwarePages().stream().anyMatch(r::overlaps);
    }
}

package dev.rmpopt.telemetry;

import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.PassTrigger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every counter of an {@link RmpTelemetry} at one simulated time: what the JSON snapshot and the
 * HTML report are made of (see the module README for the meaning of each field). Maps keep their
 * keys' declaration order, and hold every key, zeros included.
 *
 * @param host               the host's layout
 * @param timeNanos          simulated time of the snapshot
 * @param writes             host-side writes by outcome (model §5)
 * @param snpGuestWrites     SNP guests' own writes by outcome (always checked, model §5)
 * @param rmpopt             the workload's RMPOPT instructions by outcome (model §4)
 * @param observerRmpopt     REPORT_STATUS instructions run to look at the tables (debugfs, samples)
 * @param clears             optimization clears by cause (model §4)
 * @param allTablesCleared   whole-table clears by cause (SNP_INIT)
 * @param rmpoptBaseWrites   RMPOPT_BASE writes that took effect, each resetting its core's table
 * @param rmpUpdates         RMPUPDATEs by return code
 * @param psmashes           PSMASHes by return code
 * @param passTotals         passes added up by trigger (model §7)
 * @param passes             every pass, in order
 * @param coverage           every coverage sample, in time order
 */
public record TelemetrySnapshot(HostLayout host, long timeNanos,
                                Map<WriteOutcome, CounterSeries> writes,
                                Map<WriteOutcome, Long> snpGuestWrites,
                                Map<RmpoptOutcome, CounterSeries> rmpopt,
                                Map<RmpoptOutcome, Long> observerRmpopt,
                                Map<ClearCause, ClearCounts> clears,
                                Map<ClearCause, Long> allTablesCleared,
                                long rmpoptBaseWrites,
                                Map<RmpReturnCode, Long> rmpUpdates,
                                Map<RmpReturnCode, Long> psmashes,
                                Map<PassTrigger, PassTotals> passTotals,
                                List<PassRecord> passes,
                                List<CoverageSample> coverage) {

    /** Copies every collection, keeping the maps' order. */
    public TelemetrySnapshot {
        writes = copy(writes);
        snpGuestWrites = copy(snpGuestWrites);
        rmpopt = copy(rmpopt);
        observerRmpopt = copy(observerRmpopt);
        clears = copy(clears);
        allTablesCleared = copy(allTablesCleared);
        rmpUpdates = copy(rmpUpdates);
        psmashes = copy(psmashes);
        passTotals = copy(passTotals);
        passes = List.copyOf(passes);
        coverage = List.copyOf(coverage);
    }

    /** Every pass added up, whatever its trigger. */
    public PassTotals allPasses() {
        return passTotals.values().stream().reduce(PassTotals.NONE, PassTotals::plus);
    }

    /** The passes after the boot pass, in order. */
    public List<PassRecord> passesAfterBoot() {
        return passes.stream().filter(p -> p.trigger() != PassTrigger.BOOT).toList();
    }

    /**
     * The share of (region, core) pairs optimized over the kernel's pass range (over every region
     * when the range is not known) in each coverage sample, in time order, 0 to 1.
     */
    public double[] passRangeCoverage() {
        RegionSpan span = host.coverageSpan();
        return coverage.stream().mapToDouble(sample -> sample.optimizedShare(span, host.cores())).toArray();
    }

    /** The latest coverage sample, or null if none was taken. */
    public CoverageSample latestCoverage() {
        return coverage.isEmpty() ? null : coverage.get(coverage.size() - 1);
    }

    private static <K, V> Map<K, V> copy(Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}

package dev.rmpopt.telemetry;

import java.util.Arrays;

/**
 * One counted quantity, split two ways: by 1 GiB region and by physical core (model §2). The total
 * is the sum of the regions plus {@code beyondRam} (events for addresses at or above the top of RAM,
 * which RMPOPT can name); the per-core split adds up to the same total whenever no event is in
 * flight while the snapshot is taken.
 *
 * @param total      every event
 * @param byRegion   events per region, indexed by region number (SPA &gt;&gt; 30)
 * @param beyondRam  events for regions at or above the host's region count
 * @param byCore     events per physical core ({@code CpuTopology.coreOf}); empty where the quantity has no core
 */
public record CounterSeries(long total, long[] byRegion, long beyondRam, long[] byCore) {

    /** Rejects a total that is not the sum of its regions. */
    public CounterSeries {
        long sum = Arrays.stream(byRegion).sum() + beyondRam;
        if (sum != total) {
            throw new IllegalArgumentException("total " + total + " is not the sum of its regions, " + sum);
        }
    }

    /** The series of these parts, its total their sum. */
    public static CounterSeries of(long[] byRegion, long beyondRam, long[] byCore) {
        return new CounterSeries(Arrays.stream(byRegion).sum() + beyondRam, byRegion, beyondRam, byCore);
    }

    /** The sum of the per-core split. */
    public long coreSum() {
        return Arrays.stream(byCore).sum();
    }
}

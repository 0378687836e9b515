package dev.rmpopt.experiments.sweep;

import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.SetupResult;
import dev.rmpopt.kvm.ChurnReport;
import dev.rmpopt.telemetry.RegionSpan;
import dev.rmpopt.telemetry.TelemetrySnapshot;
import java.util.List;
import java.util.Optional;

/**
 * What one run left: the churn's own counts, the telemetry at its end (every other figure is read
 * from it), the boot, the debugfs table at the end and the Prometheus text of its meters.
 *
 * @param key        which run
 * @param churn      what the churn did (none when only booting)
 * @param telemetry  telemetry at the end
 * @param setup      what the kernel's setup did
 * @param bootPass   the boot pass, from telemetry's first pass
 * @param table      the debugfs {@code rmpopt-table} at the end
 * @param prometheus the run's meters in the Prometheus text format, labelled with the run
 * @param writes     host-side writes at each coverage sample, read from telemetry's counters
 */
public record RunResult(RunKey key, Optional<ChurnReport> churn, TelemetrySnapshot telemetry, SetupResult setup,
                        PassRecord bootPass, List<String> table, String prometheus, List<WritePoint> writes) {

    /** Copies. */
    public RunResult {
        table = List.copyOf(table);
        writes = List.copyOf(writes);
    }

    /**
     * Host-side writes up to a time.
     *
     * @param timeNanos simulated time after boot
     * @param skipped   writes that skipped the RMP check so far
     * @param total     every host-side write so far
     */
    public record WritePoint(long timeNanos, long skipped, long total) {
    }

    /**
     * The share of (region, core) pairs optimized over every 1 GiB region of RAM in each sample
     * (regions outside the kernel's pass range are never optimized), 0 to 1; model §7.1, §7.10.
     */
    public double[] allRamCoverage() {
        RegionSpan all = new RegionSpan(0, telemetry.host().regionCount());
        return telemetry.coverage().stream().mapToDouble(s -> s.optimizedShare(all, telemetry.host().cores())).toArray();
    }

    /** The most assigned 4 KiB pages seen outside the pass range in any sample (0 when RAM is all inside). */
    public long assignedPagesOutsidePassRange() {
        RegionSpan range = telemetry.host().passRange();
        if (range == null) {
            return 0;
        }
        long most = 0;
        for (var sample : telemetry.coverage()) {
            long outside = 0;
            long[] assigned = sample.assignedPages();
            for (int r = 0; r < assigned.length; r++) {
                if (r < range.first() || r >= range.end()) {
                    outside += assigned[r];
                }
            }
            most = Math.max(most, outside);
        }
        return most;
    }

    /** Assigned 4 KiB pages inside the pass range in the sample where the most lay outside it. */
    public long assignedPagesInsidePassRangeAtMostOutside() {
        RegionSpan range = telemetry.host().passRange();
        if (range == null) {
            return 0;
        }
        long most = -1;
        long inside = 0;
        for (var sample : telemetry.coverage()) {
            long out = 0;
            long in = 0;
            long[] assigned = sample.assignedPages();
            for (int r = 0; r < assigned.length; r++) {
                if (r < range.first() || r >= range.end()) {
                    out += assigned[r];
                } else {
                    in += assigned[r];
                }
            }
            if (out > most) {
                most = out;
                inside = in;
            }
        }
        return inside;
    }

    /**
     * The summary's warning when guest memory lay outside the pass range (model §7.1: the kernel
     * covers at most 2 TiB from the base; §7.10 coverage), or empty.
     */
    public Optional<String> passRangeWarning() {
        long outside = assignedPagesOutsidePassRange();
        if (outside == 0) {
            return Optional.empty();
        }
        RegionSpan range = telemetry.host().passRange();
        return Optional.of(String.format(java.util.Locale.ROOT,
                "warning: guest memory lies outside the pass range (regions %d-%d of %d): up to %,d assigned 4 KiB pages above it"
                        + " against %,d inside; coverage over the range overstates the host, see coverage over all RAM",
                range.first(), range.end() - 1, telemetry.host().regionCount(), outside, assignedPagesInsidePassRangeAtMostOutside()));
    }
}

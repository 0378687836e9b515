package dev.rmpopt.experiments.sweep;

import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.telemetry.WriteOutcome;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The figures of a run that every output reports (text, JSON, CSV, the experiment's report), each
 * read from the run's telemetry, or for the VM counts from the churn itself.
 */
public enum Figure {
    /** VMs launched. */
    VMS_LAUNCHED("VMs launched", "vms_launched", Unit.COUNT, r -> r.churn().map(c -> c.vmsLaunched()).orElse(0)),
    /** VMs destroyed. */
    VMS_DESTROYED("VMs destroyed", "vms_destroyed", Unit.COUNT, r -> r.churn().map(c -> c.vmsDestroyed()).orElse(0)),
    /** Launches refused for want of memory. */
    LAUNCHES_REFUSED("launches refused (full)", "launches_refused", Unit.COUNT, r -> r.churn().map(c -> c.launchesRefused()).orElse(0)),
    /** Passes after the boot pass. */
    PASSES("passes after boot", "passes", Unit.COUNT, r -> passes(r).size()),
    /** Regions won by passes. */
    REGIONS_WON("regions won", "regions_won", Unit.COUNT, r -> passes(r).stream().mapToLong(PassRecord::regionsWon).sum()),
    /** Regions lost between passes. */
    REGIONS_LOST("regions lost", "regions_lost", Unit.COUNT, r -> passes(r).stream().mapToLong(PassRecord::regionsLost).sum()),
    /** RMPOPT instructions of the passes after boot. */
    RMPOPT_INSTRUCTIONS("RMPOPT instructions", "rmpopt_instructions", Unit.COUNT,
            r -> passes(r).stream().mapToLong(PassRecord::rmpoptInstructions).sum()),
    /** Modelled pass time, all passes after boot. */
    PASS_TIME_TOTAL("modelled pass time, total", "pass_time_total_ms", Unit.MILLIS,
            r -> passes(r).stream().mapToLong(PassRecord::modeledNanos).sum() / 1e6),
    /** The longest pass. */
    PASS_TIME_LONGEST("modelled pass time, longest", "pass_time_longest_ms", Unit.MILLIS,
            r -> passes(r).stream().mapToLong(PassRecord::modeledNanos).max().orElse(0) / 1e6),
    /** The longest interruption of a CPU by a pass. */
    LONGEST_INTERRUPTION("longest CPU interruption", "longest_interruption_us", Unit.MICROS,
            r -> passes(r).stream().mapToLong(p -> p.jitter().worstInterruptionNanos()).max().orElse(0) / 1e3),
    /** The most a follower CPU lost to one pass. */
    FOLLOWER_TIME("follower time per pass, most", "follower_time_most_ms", Unit.MILLIS,
            r -> passes(r).stream().mapToLong(p -> p.jitter().worstTargetStolenNanos()).max().orElse(0) / 1e6),
    /** Mean coverage over the pass range. */
    COVERAGE_MEAN("coverage, mean", "coverage_mean", Unit.SHARE, r -> Arrays.stream(r.telemetry().passRangeCoverage()).average().orElse(0)),
    /** Coverage over the pass range at the end. */
    COVERAGE_END("coverage, at the end", "coverage_end", Unit.SHARE, r -> last(r.telemetry().passRangeCoverage())),
    /** The lowest coverage over the pass range. */
    COVERAGE_LOWEST("coverage, lowest", "coverage_lowest", Unit.SHARE, r -> Arrays.stream(r.telemetry().passRangeCoverage()).min().orElse(0)),
    /** Mean coverage over all RAM. */
    COVERAGE_ALL_RAM_MEAN("all-RAM coverage, mean", "coverage_all_ram_mean", Unit.SHARE,
            r -> Arrays.stream(r.allRamCoverage()).average().orElse(0)),
    /** Coverage over all RAM at the end. */
    COVERAGE_ALL_RAM_END("all-RAM coverage, at the end", "coverage_all_ram_end", Unit.SHARE, r -> last(r.allRamCoverage())),
    /** Host-side writes. */
    HOST_WRITES("host-side writes", "host_writes", Unit.COUNT, Figure::hostWrites),
    /** Share of host-side writes that skipped the RMP check. */
    HOST_WRITES_SKIPPED("host-side writes skipped", "host_writes_skipped", Unit.SHARE, r -> {
        long total = hostWrites(r);
        return total == 0 ? 0 : (double) r.telemetry().writes().get(WriteOutcome.SKIPPED).total() / total;
    }),
    /** SNP guests' own writes, all checked. */
    SNP_GUEST_WRITES("SNP guest writes checked", "snp_guest_writes_checked", Unit.COUNT,
            r -> r.telemetry().snpGuestWrites().get(WriteOutcome.CHECKED)),
    /** RMP faults. */
    RMP_FAULTS("RMP faults", "rmp_faults", Unit.COUNT,
            r -> r.telemetry().writes().get(WriteOutcome.FAULTED).total() + r.telemetry().snpGuestWrites().get(WriteOutcome.FAULTED));

    /** How a figure is shown. */
    public enum Unit {
        /** A whole count. */
        COUNT,
        /** Milliseconds. */
        MILLIS,
        /** Microseconds. */
        MICROS,
        /** A share, 0 to 1, shown as a percentage. */
        SHARE
    }

    private final String label;
    private final String key;
    private final Unit unit;
    private final ToDoubleFunction<RunResult> value;

    Figure(String label, String key, Unit unit, ToDoubleFunction<RunResult> value) {
        this.label = label;
        this.key = key;
        this.unit = unit;
        this.value = value;
    }

    /** For people. */
    public String label() {
        return label;
    }

    /** For JSON and CSV. */
    public String key() {
        return key;
    }

    /** Its unit. */
    public Unit unit() {
        return unit;
    }

    /** The figure of {@code run}. */
    public double of(RunResult run) {
        return value.applyAsDouble(run);
    }

    /** {@code v} in this figure's unit for people. */
    public String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return switch (unit) {
            case COUNT -> v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%,.1f", v);
            case MILLIS -> String.format(Locale.ROOT, "%.1f ms", v);
            case MICROS -> String.format(Locale.ROOT, "%.1f us", v);
            case SHARE -> String.format(Locale.ROOT, "%.1f%%", 100 * v);
        };
    }

    private static List<PassRecord> passes(RunResult r) {
        return r.telemetry().passesAfterBoot();
    }

    private static double last(double[] values) {
        return values.length == 0 ? 0 : values[values.length - 1];
    }

    private static long hostWrites(RunResult r) {
        long total = 0;
        for (WriteOutcome outcome : WriteOutcome.values()) {
            total += r.telemetry().writes().get(outcome).total();
        }
        return total;
    }
}

package dev.rmpopt.cli;

import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kvm.ChurnConfig;
import dev.rmpopt.kvm.ChurnReport;
import dev.rmpopt.telemetry.TelemetrySnapshot;
import dev.rmpopt.telemetry.WriteOutcome;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Prints churn runs side by side, one column per run. Every figure but the VM counts is read from
 * the run's telemetry, the same snapshot its HTML report, JSON and Prometheus text are made from.
 */
final class ChurnSummary {

    /** One run: what the churn did, and what telemetry observed of it. */
    record Column(ChurnReport churn, TelemetrySnapshot telemetry) {
    }

    private ChurnSummary() {
    }

    static void print(PrintWriter out, ChurnConfig c, List<Column> columns) {
        out.printf(Locale.ROOT, "Churn: %d min simulated, a VM every %d s living %d s on average, %d-%d GiB, %.0f%% SNP, seed %d%n",
                c.durationNanos() / (60 * EventScheduler.SECOND), c.meanArrivalNanos() / EventScheduler.SECOND,
                c.meanLifetimeNanos() / EventScheduler.SECOND, c.minVmGib(), c.maxVmGib(), 100 * c.snpFraction(), c.seed());
        row(out, "placement", columns, r -> r.churn().placement());
        row(out, "policy", columns, r -> r.churn().policy());
        row(out, "VMs launched / destroyed", columns, r -> r.churn().vmsLaunched() + " / " + r.churn().vmsDestroyed());
        row(out, "launches refused (full)", columns, r -> String.valueOf(r.churn().launchesRefused()));
        row(out, "passes after boot", columns, r -> String.valueOf(passes(r).size()));
        row(out, "regions won / lost", columns, r -> passes(r).stream().mapToLong(PassRecord::regionsWon).sum()
                + " / " + passes(r).stream().mapToLong(PassRecord::regionsLost).sum());
        row(out, "RMPOPT instructions", columns, r -> String.format(Locale.ROOT, "%,d",
                passes(r).stream().mapToLong(PassRecord::rmpoptInstructions).sum()));
        row(out, "modelled pass time, total", columns, r -> millis(passes(r).stream().mapToLong(PassRecord::modeledNanos).sum()));
        row(out, "modelled pass time, longest", columns, r -> millis(passes(r).stream().mapToLong(PassRecord::modeledNanos).max().orElse(0)));
        row(out, "longest CPU interruption", columns, r -> micros(passes(r).stream()
                .mapToLong(p -> p.jitter().worstInterruptionNanos()).max().orElse(0)));
        row(out, "follower time per pass, most", columns, r -> millis(passes(r).stream()
                .mapToLong(p -> p.jitter().worstTargetStolenNanos()).max().orElse(0)));
        row(out, "coverage, mean", columns, r -> percent(Arrays.stream(coverage(r)).average().orElse(0)));
        row(out, "coverage, at the end", columns, r -> percent(coverage(r)[coverage(r).length - 1]));
        row(out, "coverage, lowest", columns, r -> percent(Arrays.stream(coverage(r)).min().orElse(0)));
        row(out, "host-side writes skipped", columns, ChurnSummary::skipped);
        row(out, "SNP guest writes checked", columns, r -> String.format(Locale.ROOT, "%,d",
                r.telemetry().snpGuestWrites().get(WriteOutcome.CHECKED)));
        row(out, "RMP faults", columns, r -> String.valueOf(r.telemetry().writes().get(WriteOutcome.FAULTED).total()
                + r.telemetry().snpGuestWrites().get(WriteOutcome.FAULTED)));
    }

    private static List<PassRecord> passes(Column column) {
        return column.telemetry().passesAfterBoot();
    }

    private static double[] coverage(Column column) {
        return column.telemetry().passRangeCoverage();
    }

    private static void row(PrintWriter out, String label, List<Column> columns, Function<Column, String> cell) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-28s", label));
        for (Column column : columns) {
            line.append(String.format(Locale.ROOT, "%21s", cell.apply(column)));
        }
        out.println(line);
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    private static String skipped(Column column) {
        long total = 0;
        for (WriteOutcome outcome : WriteOutcome.values()) {
            total += column.telemetry().writes().get(outcome).total();
        }
        long skipped = column.telemetry().writes().get(WriteOutcome.SKIPPED).total();
        return String.format(Locale.ROOT, "%.1f%% of %,d", total == 0 ? 0 : 100.0 * skipped / total, total);
    }
}

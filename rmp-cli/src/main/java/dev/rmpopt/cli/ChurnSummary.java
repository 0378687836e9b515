package dev.rmpopt.cli;

import dev.rmpopt.kvm.ChurnConfig;
import dev.rmpopt.kvm.ChurnReport;
import dev.rmpopt.kvm.Coverage;
import dev.rmpopt.kvm.EventScheduler;
import dev.rmpopt.kvm.PassRecord;
import dev.rmpopt.kvm.PassTrigger;
import dev.rmpopt.kvm.WriteKind;
import dev.rmpopt.kvm.WriteStats;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Prints churn reports side by side, one column per policy. */
final class ChurnSummary {

    private ChurnSummary() {
    }

    static void print(PrintWriter out, ChurnConfig c, List<ChurnReport> reports) {
        out.printf(Locale.ROOT, "Churn: %d min simulated, a VM every %d s living %d s on average, %d-%d GiB, %.0f%% SNP, seed %d%n",
                c.durationNanos() / (60 * EventScheduler.SECOND), c.meanArrivalNanos() / EventScheduler.SECOND,
                c.meanLifetimeNanos() / EventScheduler.SECOND, c.minVmGib(), c.maxVmGib(), 100 * c.snpFraction(), c.seed());
        row(out, "placement", reports, ChurnReport::placement);
        row(out, "policy", reports, ChurnReport::policy);
        row(out, "VMs launched / destroyed", reports, r -> r.vmsLaunched() + " / " + r.vmsDestroyed());
        row(out, "launches refused (full)", reports, r -> String.valueOf(r.launchesRefused()));
        row(out, "passes after boot", reports, r -> String.valueOf(r.passes().stream().filter(p -> p.trigger() != PassTrigger.BOOT).count()));
        row(out, "regions won / lost", reports, r -> r.passes().stream().filter(p -> p.trigger() != PassTrigger.BOOT).mapToLong(PassRecord::regionsWon).sum()
                + " / " + r.passes().stream().filter(p -> p.trigger() != PassTrigger.BOOT).mapToLong(PassRecord::regionsLost).sum());
        row(out, "RMPOPT instructions", reports, r -> String.format(Locale.ROOT, "%,d", r.reoptimizationInstructions()));
        row(out, "modelled pass time, total", reports, r -> millis(r.reoptimizationNanos()));
        row(out, "modelled pass time, longest", reports, r -> millis(r.passes().stream().filter(p -> p.trigger() != PassTrigger.BOOT)
                .mapToLong(PassRecord::modeledNanos).max().orElse(0)));
        row(out, "coverage, mean", reports, r -> percent(r.meanCoverage()));
        row(out, "coverage, at the end", reports, r -> percent(r.coverage().get(r.coverage().size() - 1).fraction()));
        row(out, "coverage, lowest", reports, r -> percent(r.coverage().stream().mapToDouble(Coverage::fraction).min().orElse(0)));
        row(out, "host-side writes skipped", reports, r -> skipped(r.writes()));
        row(out, "SNP guest writes checked", reports, r -> String.format(Locale.ROOT, "%,d", r.writes().checked(WriteKind.SNP_GUEST)));
        row(out, "RMP faults", reports, r -> String.valueOf(faults(r.writes())));
    }

    private static void row(PrintWriter out, String label, List<ChurnReport> reports, Function<ChurnReport, String> cell) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-28s", label));
        for (ChurnReport r : reports) {
            line.append(String.format(Locale.ROOT, "%21s", cell.apply(r)));
        }
        out.println(line);
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    private static String skipped(WriteStats w) {
        long total = w.hostSideTotal();
        return String.format(Locale.ROOT, "%.1f%% of %,d", total == 0 ? 0 : 100.0 * w.hostSideSkipped() / total, total);
    }

    private static long faults(WriteStats w) {
        long sum = 0;
        for (WriteKind kind : WriteKind.values()) {
            sum += w.faulted(kind);
        }
        return sum;
    }
}

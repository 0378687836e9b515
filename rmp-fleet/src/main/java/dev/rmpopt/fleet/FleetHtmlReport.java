package dev.rmpopt.fleet;

import dev.rmpopt.telemetry.Html;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a fleet run as one self-contained HTML page: inline CSS and SVG, no script, no external
 * resource. Panels: the schedulers side by side, fleet coverage over time (each scheduler's line
 * with the band of its hosts' 10th to 90th percentile), memory optimized on every core over time,
 * hosts' mean coverage across the fleet (sorted, one curve per scheduler), percentiles across
 * hosts, and every host's figures.
 */
final class FleetHtmlReport {

    private static final String[] COLORS = {"#2ca02c", "#1f77b4", "#d62728", "#ff7f0e", "#9467bd"};
    private static final int W = 860;
    private static final int H = 260;
    private static final int PAD = 48;

    private final FleetPlan plan;
    private final FleetRun run;
    private final double wallSeconds;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    FleetHtmlReport(FleetPlan plan, FleetRun run, double wallSeconds) {
        this.plan = plan;
        this.run = run;
        this.wallSeconds = wallSeconds;
    }

    String render() {
        FleetSpec spec = plan.spec();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>RMPOPT fleet: ")
                .append(Html.escape(spec.name())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        out.append("<header><h1>RMPOPT fleet: ").append(Html.escape(spec.name())).append("</h1><p>")
                .append(spec.fleetHosts().size()).append(" hosts (");
        for (int i = 0; i < spec.hosts().size(); i++) {
            HostGroup g = spec.hosts().get(i);
            out.append(i > 0 ? ", " : "").append(g.count()).append(" &times; ").append(Html.escape(g.shape())).append(" ")
                    .append(Html.escape(g.summary()));
        }
        out.append("), ").append(plan.vms().size()).append(" VMs (").append(Html.escape(workload(spec.workload()))).append("), ")
                .append(fmt(spec.durationNanos() / 60e9, 1)).append(" simulated minutes, policy <code>").append(Html.escape(spec.policy()))
                .append("</code>, placement <code>").append(Html.escape(spec.placement())).append("</code>, seed ").append(spec.seed())
                .append(". Ran on ").append(Html.escape(run.runner())).append(" in ").append(fmt(wallSeconds, 1)).append(" s.</p></header>\n");
        cards();
        comparison();
        overTime("Fleet coverage over time", "share of (region, core) pairs optimized over every host's pass range; "
                + "the band is the hosts' 10th to 90th percentile", true);
        overTime("Memory optimized on every core", "GiB of host memory, fleet-wide, whose 1 GiB region is optimized on every core of its host",
                false);
        acrossHosts();
        percentiles();
        hostTable();
        out.append("<footer>Written by rmp-fleet from a model of AMD SEV-SNP's RMP and RMPOPT. Every figure is also in <code>")
                .append(FleetOutputs.JSON_FILE).append("</code>; per-host series in <code>coverage.parquet</code>.</footer>\n");
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static String workload(FleetWorkload w) {
        if (w instanceof FleetWorkload.Synthetic s) {
            return "synthetic, " + fmt(s.vmsPerHour(), 0) + " per hour, " + pct(s.snpFraction()) + " SNP";
        }
        FleetWorkload.Trace t = (FleetWorkload.Trace) w;
        return "trace " + t.file().getFileName() + " (" + t.format() + ")";
    }

    private void cards() {
        out.append("<section class=\"cards\">\n");
        for (int i = 0; i < run.summaries().size(); i++) {
            FleetSummary s = run.summaries().get(i);
            out.append("<div class=\"card\" style=\"border-color:").append(color(i)).append("\"><h3>").append(Html.escape(s.scheduler()))
                    .append("</h3><b>").append(pct(s.meanCoverage())).append("</b> mean fleet coverage<br><b>")
                    .append(pct(s.skippedShare())).append("</b> of host writes skipped the RMP check<br><b>").append(s.hostsUsed())
                    .append("</b> hosts used, <b>").append(s.snpHosts()).append("</b> with SNP guests<br><b>")
                    .append(s.vmsRefused() + s.vmsRefusedByHosts()).append("</b> VMs refused</div>\n");
        }
        out.append("</section>\n");
    }

    private void comparison() {
        out.append("<section><h2>Schedulers side by side</h2>\n<table><tr><th></th>");
        run.summaries().forEach(s -> out.append("<th>").append(Html.escape(s.scheduler())).append("</th>"));
        out.append("</tr>\n");
        row("hosts used / with SNP guests", s -> s.hostsUsed() + " / " + s.snpHosts() + " of " + s.hosts());
        row("VMs placed / refused by the scheduler", s -> (s.vms() - s.vmsRefused()) + " / " + s.vmsRefused());
        row("VMs refused by their host (no frame)", s -> Long.toString(s.vmsRefusedByHosts()));
        row("fleet coverage, mean / at the end", s -> pct(s.meanCoverage()) + " / " + pct(s.endCoverage()));
        row("host-side writes skipped", s -> pct(s.skippedShare()) + " of " + String.format(Locale.ROOT, "%,d", s.writesSkipped() + s.writesChecked()));
        row("SNP guest writes (checked)", s -> String.format(Locale.ROOT, "%,d", s.snpGuestWrites()));
        row("passes after boot", s -> String.format(Locale.ROOT, "%,d", s.passes()));
        row("RMPOPT instructions", s -> String.format(Locale.ROOT, "%,d", s.rmpoptInstructions()));
        row("modelled pass time, total", s -> fmt(s.passModeledNanos() / 1e6, 1) + " ms");
        row("CPU time taken by passes", s -> fmt(s.passCpuNanos() / 1e6, 1) + " ms");
        row("longest pass", s -> fmt(s.longestPassNanos() / 1e6, 2) + " ms");
        row("worst per-CPU interruption", s -> fmt(s.worstInterruptionNanos() / 1e3, 1) + " &micro;s");
        out.append("</table></section>\n");
    }

    private void row(String label, java.util.function.Function<FleetSummary, String> value) {
        out.append("<tr><td>").append(label).append("</td>");
        run.summaries().forEach(s -> out.append("<td class=\"n\">").append(value.apply(s)).append("</td>"));
        out.append("</tr>\n");
    }

    private void overTime(String title, String caption, boolean coverage) {
        double maxT = 0;
        double maxY = coverage ? 1 : 0;
        for (FleetSummary s : run.summaries()) {
            for (FleetPoint p : s.overTime()) {
                maxT = Math.max(maxT, p.timeNanos() / 60e9);
                if (!coverage) {
                    maxY = Math.max(maxY, p.optimizedGib());
                }
            }
        }
        maxT = Math.max(maxT, 1e-9);
        maxY = Math.max(maxY, 1);
        out.append("<section><h2>").append(title).append("</h2><p class=\"cap\">").append(caption).append("</p>\n");
        svgStart();
        axes(maxT, "simulated minutes", maxY, coverage);
        for (int i = 0; i < run.summaries().size(); i++) {
            List<FleetPoint> points = run.summaries().get(i).overTime();
            if (coverage) {
                StringBuilder band = new StringBuilder();
                for (FleetPoint p : points) {
                    band.append(x(p.timeNanos() / 60e9, maxT)).append(',').append(ys(p.hostP90(), 1)).append(' ');
                }
                for (int k = points.size() - 1; k >= 0; k--) {
                    FleetPoint p = points.get(k);
                    band.append(x(p.timeNanos() / 60e9, maxT)).append(',').append(ys(p.hostP10(), 1)).append(' ');
                }
                out.append("<polygon points=\"").append(band).append("\" fill=\"").append(color(i)).append("\" fill-opacity=\"0.08\"/>\n");
            }
            StringBuilder line = new StringBuilder();
            for (FleetPoint p : points) {
                line.append(x(p.timeNanos() / 60e9, maxT)).append(',')
                        .append(ys(coverage ? p.coverage() : p.optimizedGib(), maxY)).append(' ');
            }
            out.append("<polyline points=\"").append(line).append("\" fill=\"none\" stroke=\"").append(color(i))
                    .append("\" stroke-width=\"2\"><title>").append(Html.escape(run.summaries().get(i).scheduler())).append("</title></polyline>\n");
        }
        legend();
        out.append("</svg></section>\n");
    }

    private void acrossHosts() {
        out.append("<section><h2>Coverage across hosts</h2><p class=\"cap\">each host's mean coverage, hosts sorted from "
                + "the least covered; the curve's height at a share of the fleet is that percentile</p>\n");
        svgStart();
        axes(1, "share of the fleet's hosts", 1, true);
        for (int i = 0; i < run.summaries().size(); i++) {
            String scheduler = run.summaries().get(i).scheduler();
            double[] values = run.hosts().stream().filter(h -> h.scheduler().equals(scheduler))
                    .mapToDouble(HostResult::meanCoverage).sorted().toArray();
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < values.length; k++) {
                double share = values.length == 1 ? 1 : (double) k / (values.length - 1);
                line.append(x(share, 1)).append(',').append(ys(values[k], 1)).append(' ');
            }
            out.append("<polyline points=\"").append(line).append("\" fill=\"none\" stroke=\"").append(color(i))
                    .append("\" stroke-width=\"2\"/>\n");
        }
        legend();
        out.append("</svg></section>\n");
    }

    private void percentiles() {
        out.append("<section><h2>Percentiles across hosts</h2>\n<table><tr><th>scheduler</th><th>figure</th><th>min</th>"
                + "<th>p10</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr>\n");
        for (FleetSummary s : run.summaries()) {
            for (Map.Entry<String, Percentiles> e : s.acrossHosts().entrySet()) {
                Percentiles p = e.getValue();
                boolean share = e.getKey().endsWith("Coverage") || e.getKey().endsWith("Share");
                out.append("<tr><td>").append(Html.escape(s.scheduler())).append("</td><td>").append(Html.escape(e.getKey())).append("</td>");
                for (double v : new double[] {p.min(), p.p10(), p.p50(), p.p90(), p.p99(), p.max()}) {
                    out.append("<td class=\"n\">").append(share ? pct(v) : fmt(v, 2)).append("</td>");
                }
                out.append("</tr>\n");
            }
        }
        out.append("</table></section>\n");
    }

    private void hostTable() {
        out.append("<section><h2>Hosts</h2>\n<table><tr><th>scheduler</th><th>host</th><th>shape</th><th>VMs (SNP)</th>"
                + "<th>refused</th><th>mean coverage</th><th>at the end</th><th>writes skipped</th><th>passes</th>"
                + "<th>pass time</th><th>worst interruption</th></tr>\n");
        for (HostResult h : run.hosts()) {
            out.append("<tr><td>").append(Html.escape(h.scheduler())).append("</td><td>").append(Html.escape(h.host())).append("</td><td>")
                    .append(Html.escape(h.shape())).append("</td><td class=\"n\">").append(h.vmsAssigned()).append(" (")
                    .append(h.snpVmsAssigned()).append(")</td><td class=\"n\">").append(h.vmsRefused())
                    .append("</td><td class=\"n\">").append(pct(h.meanCoverage())).append("</td><td class=\"n\">")
                    .append(pct(h.endCoverage())).append("</td><td class=\"n\">").append(pct(h.skippedShare()))
                    .append("</td><td class=\"n\">").append(h.passes()).append("</td><td class=\"n\">")
                    .append(fmt(h.passModeledNanos() / 1e6, 1)).append(" ms</td><td class=\"n\">")
                    .append(fmt(h.worstInterruptionNanos() / 1e3, 1)).append(" &micro;s</td></tr>\n");
        }
        out.append("</table></section>\n");
    }

    private void svgStart() {
        out.append("<svg viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" role=\"img\">\n");
    }

    private void axes(double maxX, String xLabel, double maxY, boolean share) {
        out.append("<line x1=\"").append(PAD).append("\" y1=\"").append(H - PAD).append("\" x2=\"").append(W - 10)
                .append("\" y2=\"").append(H - PAD).append("\" stroke=\"#333\"/>\n<line x1=\"").append(PAD).append("\" y1=\"10\" x2=\"")
                .append(PAD).append("\" y2=\"").append(H - PAD).append("\" stroke=\"#333\"/>\n");
        for (int k = 0; k <= 4; k++) {
            double v = maxY * k / 4;
            out.append("<text x=\"").append(PAD - 4).append("\" y=\"").append(fmt(y(v, maxY) + 4, 1))
                    .append("\" text-anchor=\"end\">").append(share ? pct(v) : fmt(v, 0)).append("</text>\n");
            double t = maxX * k / 4;
            out.append("<text x=\"").append(x(t, maxX)).append("\" y=\"").append(H - PAD + 16)
                    .append("\" text-anchor=\"middle\">").append(fmt(t, maxX < 10 ? 2 : 0)).append("</text>\n");
        }
        out.append("<text x=\"").append((W + PAD) / 2).append("\" y=\"").append(H - 8).append("\" text-anchor=\"middle\">")
                .append(xLabel).append("</text>\n");
    }

    private void legend() {
        for (int i = 0; i < run.summaries().size(); i++) {
            out.append("<rect x=\"").append(W - 150).append("\" y=\"").append(14 + 16 * i).append("\" width=\"12\" height=\"4\" fill=\"")
                    .append(color(i)).append("\"/><text x=\"").append(W - 132).append("\" y=\"").append(20 + 16 * i).append("\">")
                    .append(Html.escape(run.summaries().get(i).scheduler())).append("</text>\n");
        }
    }

    private static String x(double v, double max) {
        return fmt(PAD + (W - 10 - PAD) * v / max, 1);
    }

    private static double y(double v, double max) {
        return (H - PAD) - (H - PAD - 10) * v / max;
    }

    private static String ys(double v, double max) {
        return fmt(y(v, max), 1);
    }

    private static String color(int i) {
        return COLORS[i % COLORS.length];
    }

    static String pct(double share) {
        return fmt(100 * share, 1) + "%";
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static final String CSS = String.join("\n",
            "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:960px}",
            "h1{font-size:22px;margin:0 0 6px}h2{font-size:17px;margin:24px 0 4px}h3{margin:0 0 6px;font-size:15px}",
            "header p,.cap{color:#555;font-size:13px;margin:2px 0 8px}",
            ".cards{display:flex;gap:12px;flex-wrap:wrap}.card{border-left:5px solid;padding:8px 12px;background:#f6f6f6;font-size:13px;min-width:220px}",
            "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:3px 7px}th{background:#f0f0f0}",
            "td.n{text-align:right;font-variant-numeric:tabular-nums}svg text{font-size:11px;fill:#333}",
            "footer{margin-top:24px;color:#777;font-size:12px}", "");
}

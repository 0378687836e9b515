package dev.rmpopt.telemetry;

import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.PassTrigger;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@link TelemetrySnapshot} as one self-contained HTML page: inline CSS, inline SVG
 * charts, a few lines of inline script for the region details; no external resource at all.
 */
final class HtmlReport {

    /** Passes listed row by row; older ones are summed in the totals only. */
    static final int PASS_ROWS = 100;

    private static final String[] TRIGGER_COLORS = {"#555555", "#1f77b4", "#2ca02c", "#ff7f0e", "#d62728", "#9467bd"};
    private static final String NEVER_COLOR = "#4d4d4d";
    private static final String OUTSIDE_COLOR = "#cfcfcf";

    private final TelemetrySnapshot s;
    private final HostLayout host;
    private final int regions;
    private final Set<Long> never;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    HtmlReport(TelemetrySnapshot snapshot) {
        this.s = snapshot;
        this.host = snapshot.host();
        this.regions = Math.toIntExact(host.regionCount());
        this.never = new HashSet<>(host.neverOptimizableRegions());
    }

    String render() {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>RMPOPT telemetry: ").append(Html.escape(host.summary())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        header();
        summary();
        heatMaps();
        coverageOverTime();
        passes();
        jitter();
        counters();
        out.append("<footer>Written by rmp-telemetry from a model of AMD SEV-SNP's RMP and RMPOPT. Every counter is also in <code>")
                .append(ReportWriter.JSON_FILE).append("</code>.</footer>\n");
        out.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    // ------------------------------------------------------------------ sections

    private void header() {
        out.append("<header><h1>RMPOPT telemetry</h1><p>").append(Html.escape(host.summary()))
                .append(" &middot; ").append(host.regionCount()).append(" regions of 1 GiB &middot; ")
                .append(host.cores()).append(" cores, ").append(host.cpus()).append(" CPUs")
                .append(" &middot; simulated time ").append(seconds(s.timeNanos())).append("</p></header>\n");
    }

    private void summary() {
        long skipped = s.writes().get(WriteOutcome.SKIPPED).total();
        long checked = s.writes().get(WriteOutcome.CHECKED).total();
        long faulted = s.writes().get(WriteOutcome.FAULTED).total();
        long unchecked = s.writes().get(WriteOutcome.UNCHECKED).total();
        long checkable = skipped + checked + faulted;
        PassTotals passes = s.allPasses();
        CoverageSample latest = s.latestCoverage();
        out.append("<section class=\"cards\">\n");
        card("Writes that skipped the RMP check", percent(skipped, checkable),
                number(skipped) + " skipped, " + number(checked) + " checked, " + number(faulted) + " faulted"
                        + (unchecked > 0 ? ", " + number(unchecked) + " before RMP checks were on" : ""));
        if (latest != null) {
            long inRange = host.passRange() == null ? regions : host.passRange().end() - host.passRange().first();
            long assigned = latest.assignedPagesTotal();
            card("Regions optimized on every core", latest.regionsOptimizedOnAtLeast(host.cores()) + " / " + inRange,
                    latest.regionsOptimizedOnAtLeast(1) + " on at least one core; "
                            + mib(assigned * Geometry.PAGE_4K) + " assigned, at " + seconds(latest.timeNanos()));
        } else {
            card("Regions optimized on every core", "no sample", "no CoverageSampler sample was taken");
        }
        card("RMPOPT passes", number(passes.passes()),
                millis(passes.modeledNanos()) + " modelled, " + number(passes.rmpoptInstructions()) + " VERIFYs, "
                        + number(passes.ipiRounds()) + " IPI rounds");
        long verify = s.rmpopt().get(RmpoptOutcome.VERIFY_WON).total() + s.rmpopt().get(RmpoptOutcome.VERIFY_FAILED).total();
        card("VERIFY won (CF=1)", percent(s.rmpopt().get(RmpoptOutcome.VERIFY_WON).total(), verify),
                number(verify) + " VERIFYs, " + number(s.rmpopt().get(RmpoptOutcome.VERIFY_UD).total()) + " #UD");
        long clears = 0;
        for (ClearCounts c : s.clears().values()) {
            clears += c.events().total();
        }
        card("Optimization clears", number(clears), "by RMPUPDATE " + number(s.clears().get(ClearCause.RMPUPDATE).events().total())
                + ", PSMASH " + number(s.clears().get(ClearCause.PSMASH).events().total()));
        out.append("</section>\n");
    }

    private void card(String title, String value, String detail) {
        out.append("<div class=\"card\"><div class=\"card-title\">").append(Html.escape(title))
                .append("</div><div class=\"card-value\">").append(Html.escape(value))
                .append("</div><div class=\"card-detail\">").append(Html.escape(detail)).append("</div></div>\n");
    }

    private void heatMaps() {
        CoverageSample latest = s.latestCoverage();
        out.append("<section><h2>Regions</h2><p class=\"note\">One cell per 1 GiB region, region 0 top left. ");
        if (latest != null) {
            out.append("Optimized cores and assigned pages are from the latest sample, at ")
                    .append(seconds(latest.timeNanos())).append("; ");
        }
        out.append("writes are since the start. Hover a cell for its figures.</p>\n<div class=\"maps\">\n");
        int cores = host.cores();
        heatMap("Optimized on how many cores", latest == null ? null : r -> {
            double f = (double) latest.optimizedCores()[r] / cores;
            return ramp(f, OPT_RAMP);
        }, legend(OPT_RAMP, "0 cores", "all " + cores));
        heatMap("Assigned 4 KiB pages (log scale)", latest == null ? null : r -> {
            long a = latest.assignedPages()[r];
            return a == 0 ? "#f7f7f7" : ramp(Math.log1p(a) / Math.log1p(Geometry.PAGES_PER_REGION), ASSIGNED_RAMP);
        }, legend(ASSIGNED_RAMP, "1 page", "all 262,144"));
        CounterSeries sk = s.writes().get(WriteOutcome.SKIPPED);
        CounterSeries ch = s.writes().get(WriteOutcome.CHECKED);
        CounterSeries fa = s.writes().get(WriteOutcome.FAULTED);
        heatMap("Writes that skipped the RMP check", r -> {
            long all = sk.byRegion()[r] + ch.byRegion()[r] + fa.byRegion()[r];
            return all == 0 ? "#f7f7f7" : ramp((double) sk.byRegion()[r] / all, SKIP_RAMP);
        }, legend(SKIP_RAMP, "0%", "100%"));
        out.append("</div>\n<div class=\"details\" id=\"details\">Region details appear here.</div>\n");
        out.append("<div class=\"legend\"><span class=\"swatch\" style=\"background:").append(NEVER_COLOR)
                .append("\"></span>holds RMP or firmware pages: never optimizable")
                .append("<span class=\"swatch\" style=\"background:").append(OUTSIDE_COLOR)
                .append("\"></span>outside the kernel's pass range</div>\n");
        regionData(latest);
        out.append("</section>\n");
    }

    /** Region figures for the details box, as a compact script array. */
    private void regionData(CoverageSample latest) {
        CounterSeries sk = s.writes().get(WriteOutcome.SKIPPED);
        CounterSeries ch = s.writes().get(WriteOutcome.CHECKED);
        CounterSeries fa = s.writes().get(WriteOutcome.FAULTED);
        CounterSeries won = s.rmpopt().get(RmpoptOutcome.VERIFY_WON);
        long[] clears = new long[regions];
        for (ClearCounts c : s.clears().values()) {
            for (int r = 0; r < regions; r++) {
                clears[r] += c.events().byRegion()[r];
            }
        }
        out.append("<script>const CORES=").append(host.cores()).append(";const REGIONS=[");
        for (int r = 0; r < regions; r++) {
            if (r > 0) {
                out.append(',');
            }
            out.append('[').append(latest == null ? -1 : latest.optimizedCores()[r]).append(',')
                    .append(latest == null ? -1 : latest.assignedPages()[r]).append(',')
                    .append(sk.byRegion()[r]).append(',').append(ch.byRegion()[r]).append(',').append(fa.byRegion()[r])
                    .append(',').append(won.byRegion()[r]).append(',').append(clears[r]).append(',')
                    .append('"').append(status(r)).append("\"]");
        }
        out.append("];</script>\n");
    }

    private String status(int r) {
        if (never.contains((long) r)) {
            return "never optimizable: holds RMP or firmware pages";
        }
        if (host.passRange() != null && !host.passRange().contains(r)) {
            return "outside the kernel's pass range";
        }
        return "";
    }

    private interface CellColor {
        String of(int region);
    }

    private void heatMap(String title, CellColor color, String legend) {
        int cols = regions <= 64 ? 16 : regions <= 512 ? 32 : 64;
        int rows = (regions + cols - 1) / cols;
        int cell = Math.max(4, Math.min(22, 352 / cols));
        int w = cols * cell;
        int h = rows * cell;
        out.append("<figure class=\"map\"><figcaption>").append(Html.escape(title)).append("</figcaption>\n");
        out.append("<svg class=\"heat\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\">");
        for (int r = 0; r < regions; r++) {
            String fill;
            if (never.contains((long) r)) {
                fill = NEVER_COLOR;
            } else if (host.passRange() != null && !host.passRange().contains(r)) {
                fill = OUTSIDE_COLOR;
            } else if (color == null) {
                fill = "#f7f7f7";
            } else {
                fill = color.of(r);
            }
            int x = (r % cols) * cell;
            int y = (r / cols) * cell;
            out.append("<rect data-r=\"").append(r).append("\" x=\"").append(x).append("\" y=\"").append(y)
                    .append("\" width=\"").append(cell - 1).append("\" height=\"").append(cell - 1)
                    .append("\" fill=\"").append(fill).append("\"/>");
        }
        out.append("</svg>\n").append(legend).append("</figure>\n");
    }

    private static String legend(String[] ramp, String low, String high) {
        StringBuilder g = new StringBuilder("<div class=\"ramp\"><span>").append(Html.escape(low)).append("</span><span class=\"bar\" style=\"background:linear-gradient(to right");
        for (String c : ramp) {
            g.append(',').append(c);
        }
        return g.append(")\"></span><span>").append(Html.escape(high)).append("</span></div>\n").toString();
    }

    private void coverageOverTime() {
        List<CoverageSample> samples = s.coverage();
        out.append("<section><h2>Coverage over time</h2>\n");
        if (samples.isEmpty()) {
            out.append("<p class=\"note\">No coverage sample was taken.</p></section>\n");
            return;
        }
        long t0 = Math.min(samples.get(0).timeNanos(), s.passes().isEmpty() ? Long.MAX_VALUE : s.passes().get(0).startNanos());
        long t1 = Math.max(samples.get(samples.size() - 1).timeNanos(), t0 + 1);
        long inRange = host.passRange() == null ? regions : host.passRange().end() - host.passRange().first();
        Chart chart = new Chart(900, 260, t0, t1, 0, Math.max(1, inRange));
        chart.open("Regions optimized (of " + inRange + " in the pass range)", "simulated time (s)");
        chart.line(samples, smp -> smp.regionsOptimizedOnAtLeast(host.cores()), "#1a9850", false);
        chart.line(samples, smp -> smp.regionsOptimizedOnAtLeast(1), "#91cf60", true);
        chart.passMarks(s.passes());
        chart.close();
        out.append("<div class=\"legend\"><span class=\"swatch\" style=\"background:#1a9850\"></span>on every core")
                .append("<span class=\"swatch\" style=\"background:#91cf60\"></span>on at least one core");
        triggerLegend();
        out.append("</div>\n");
        long maxAssigned = 1;
        for (CoverageSample smp : samples) {
            maxAssigned = Math.max(maxAssigned, assignedMib(smp));
        }
        Chart assigned = new Chart(900, 160, t0, t1, 0, maxAssigned);
        assigned.open("Assigned memory (MiB)", "simulated time (s)");
        assigned.line(samples, HtmlReport::assignedMib, "#6a51a3", false);
        assigned.passMarks(s.passes());
        assigned.close();
        out.append("</section>\n");
    }

    private static long assignedMib(CoverageSample smp) {
        return smp.assignedPagesTotal() * Geometry.PAGE_4K >> 20;
    }

    private void triggerLegend() {
        Set<PassTrigger> seen = new HashSet<>();
        for (PassRecord p : s.passes()) {
            seen.add(p.trigger());
        }
        for (PassTrigger t : PassTrigger.values()) {
            if (seen.contains(t)) {
                out.append("<span class=\"swatch tri\" style=\"border-bottom-color:").append(TRIGGER_COLORS[t.ordinal()])
                        .append("\"></span>").append(Html.escape(t.name().toLowerCase(Locale.ROOT))).append(" pass");
            }
        }
    }

    /** The size of a per-pass bar chart: width, height, the left margin for ticks, the bottom one for labels. */
    private static final int PASS_CHART_W = 900;
    private static final int PASS_CHART_H = 170;
    private static final int PASS_CHART_LEFT = 60;
    private static final int PASS_CHART_BOTTOM = 24;

    /**
     * Opens a per-pass bar chart: its caption, the SVG element and a grid of ticks up to {@code top}
     * (ms); returns the width of one pass's bar.
     */
    private double passChartFrame(String caption, int passes, double top) {
        int w = PASS_CHART_W;
        int h = PASS_CHART_H;
        out.append("<figure class=\"chart\"><figcaption>").append(Html.escape(caption)).append("</figcaption><svg width=\"")
                .append(w).append("\" height=\"").append(h).append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\">");
        for (double tick : niceTicks(0, top, 4)) {
            double y = h - PASS_CHART_BOTTOM - (tick / top) * (h - PASS_CHART_BOTTOM - 10);
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>",
                    PASS_CHART_LEFT, w - 10, y, y, PASS_CHART_LEFT - 6, y + 4, fmt(tick)));
        }
        return Math.min(40, (double) (w - PASS_CHART_LEFT - 10) / passes);
    }

    private void passes() {
        List<PassRecord> all = s.passes();
        out.append("<section><h2>Passes</h2>\n");
        if (all.isEmpty()) {
            out.append("<p class=\"note\">No pass ran.</p></section>\n");
            return;
        }
        long maxNanos = 1;
        for (PassRecord p : all) {
            maxNanos = Math.max(maxNanos, p.modeledNanos());
        }
        double top = maxNanos / 1e6;
        double bar = passChartFrame("Modelled duration of each pass (ms), in order", all.size(), top);
        for (int i = 0; i < all.size(); i++) {
            PassRecord p = all.get(i);
            double bh = (p.modeledNanos() / 1e6) / top * (PASS_CHART_H - PASS_CHART_BOTTOM - 10);
            out.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>pass %d (%s) at %s: %s, %d regions, %d won, %d lost</title></rect>",
                    PASS_CHART_LEFT + i * bar + 0.5, PASS_CHART_H - PASS_CHART_BOTTOM - bh, Math.max(0.8, bar - 1), bh, TRIGGER_COLORS[p.trigger().ordinal()],
                    p.sequence(), p.trigger().name().toLowerCase(Locale.ROOT), seconds(p.startNanos()), millis(p.modeledNanos()),
                    p.regions(), p.regionsWon(), p.regionsLost()));
        }
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"tick\">pass 1</text><text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">pass %d</text>",
                PASS_CHART_LEFT, PASS_CHART_H - 6, PASS_CHART_W - 10, PASS_CHART_H - 6, all.get(all.size() - 1).sequence()));
        out.append("</svg></figure>\n<div class=\"legend\">");
        triggerLegend();
        out.append("</div>\n");

        out.append("<table class=\"passes\"><thead><tr><th>#</th><th>trigger</th><th>start</th><th>modelled</th><th>regions</th>")
                .append("<th>VERIFYs</th><th>IPI rounds</th><th>clean</th><th>won</th><th>lost</th></tr></thead><tbody>\n");
        int from = Math.max(0, all.size() - PASS_ROWS);
        for (PassRecord p : all.subList(from, all.size())) {
            out.append("<tr><td>").append(p.sequence()).append("</td><td><span class=\"dot\" style=\"background:")
                    .append(TRIGGER_COLORS[p.trigger().ordinal()]).append("\"></span>")
                    .append(Html.escape(p.trigger().name().toLowerCase(Locale.ROOT))).append("</td><td>").append(seconds(p.startNanos()))
                    .append("</td><td>").append(millis(p.modeledNanos())).append("</td><td>").append(number(p.regions()))
                    .append("</td><td>").append(number(p.rmpoptInstructions())).append("</td><td>").append(number(p.ipiRounds()))
                    .append("</td><td>").append(number(p.regionsClean())).append("</td><td>").append(number(p.regionsWon()))
                    .append("</td><td>").append(number(p.regionsLost())).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
        if (from > 0) {
            out.append("<p class=\"note\">The ").append(from).append(" earlier passes are in the totals and in the JSON.</p>\n");
        }
        out.append("<table class=\"narrow\"><thead><tr><th>trigger</th><th>passes</th><th>modelled</th><th>regions</th><th>VERIFYs</th><th>IPI rounds</th><th>won</th><th>lost</th></tr></thead><tbody>\n");
        for (Map.Entry<PassTrigger, PassTotals> e : s.passTotals().entrySet()) {
            PassTotals t = e.getValue();
            if (t.passes() > 0) {
                out.append("<tr><td>").append(Html.escape(e.getKey().name().toLowerCase(Locale.ROOT))).append("</td><td>").append(number(t.passes()))
                        .append("</td><td>").append(millis(t.modeledNanos())).append("</td><td>").append(number(t.regions()))
                        .append("</td><td>").append(number(t.rmpoptInstructions())).append("</td><td>").append(number(t.ipiRounds()))
                        .append("</td><td>").append(number(t.regionsWon())).append("</td><td>").append(number(t.regionsLost()))
                        .append("</td></tr>\n");
            }
        }
        out.append("</tbody></table></section>\n");
    }

    /**
     * How long each pass took CPUs from their work (model §8.4): per pass, the issuer's time, the
     * most one target lost, and the longest single interruption; and who was touched at all.
     */
    private void jitter() {
        List<PassRecord> all = s.passes();
        out.append("<section><h2>CPU time taken by passes</h2>\n");
        if (all.isEmpty()) {
            out.append("<p class=\"note\">No pass ran.</p></section>\n");
            return;
        }
        long worstTarget = 0;
        long longest = 0;
        long issuerTotal = 0;
        long targetsTotal = 0;
        for (PassRecord p : all) {
            worstTarget = Math.max(worstTarget, p.jitter().worstTargetStolenNanos());
            longest = Math.max(longest, p.jitter().worstInterruptionNanos());
            issuerTotal += p.jitter().issuerStolenNanos();
            targetsTotal += p.jitter().targetsStolenNanos();
        }
        out.append("<section class=\"cards\">\n");
        card("Longest single interruption", micros(longest), "of any CPU, in any pass: a target's IPI handler or one iteration of the issuer");
        card("Most one target lost in a pass", millis(worstTarget), "in " + number(all.get(all.size() - 1).jitter().interruptions())
                + " interruptions, one per region, in the last pass");
        card("CPU time taken, all passes", millis(issuerTotal + targetsTotal), millis(issuerTotal) + " on the issuers, "
                + millis(targetsTotal) + " in the targets' handlers");
        out.append("</section>\n");
        double top = Math.max(1, worstTarget) / 1e6;
        for (PassRecord p : all) {
            top = Math.max(top, p.jitter().issuerStolenNanos() / 1e6);
        }
        double bar = passChartFrame("Per pass (ms): the issuer's time (grey) and the most one target lost (orange)", all.size(), top);
        for (int i = 0; i < all.size(); i++) {
            PassRecord p = all.get(i);
            double ih = (p.jitter().issuerStolenNanos() / 1e6) / top * (PASS_CHART_H - PASS_CHART_BOTTOM - 10);
            double th = (p.jitter().worstTargetStolenNanos() / 1e6) / top * (PASS_CHART_H - PASS_CHART_BOTTOM - 10);
            double x = PASS_CHART_LEFT + i * bar + 0.5;
            double bw = Math.max(0.8, bar - 1);
            out.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#9e9e9e\"><title>pass %d: issuer CPU %d busy %s, longest iteration %s</title></rect>",
                    x, PASS_CHART_H - PASS_CHART_BOTTOM - ih, bw / 2, ih, p.sequence(), p.jitter().issuerCpu(), millis(p.jitter().issuerStolenNanos()),
                    micros(p.jitter().issuerLongestNanos())));
            out.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#ff7f0e\"><title>pass %d: %d targets, at most %s each in %d interruptions, longest %s</title></rect>",
                    x + bw / 2, PASS_CHART_H - PASS_CHART_BOTTOM - th, bw / 2, th, p.sequence(), p.jitter().targets(),
                    millis(p.jitter().worstTargetStolenNanos()), p.jitter().interruptions(), micros(p.jitter().targetLongestNanos())));
        }
        out.append("</svg></figure>\n");
        PassRecord last = all.get(all.size() - 1);
        int untouched = host.cpus() - last.jitter().targets() - 1;
        out.append("<table class=\"narrow\"><thead><tr><th>last pass (").append(Html.escape(last.shape().name().toLowerCase(Locale.ROOT)))
                .append(")</th><th>CPUs</th><th>time taken, each</th><th>longest interruption</th></tr></thead><tbody>\n")
                .append("<tr><td>issuer (CPU ").append(last.jitter().issuerCpu()).append(")</td><td>1</td><td>")
                .append(millis(last.jitter().issuerStolenNanos())).append("</td><td>").append(micros(last.jitter().issuerLongestNanos()))
                .append("</td></tr>\n<tr><td>targets</td><td>").append(number(last.jitter().targets())).append("</td><td>up to ")
                .append(millis(last.jitter().worstTargetStolenNanos())).append("</td><td>").append(micros(last.jitter().targetLongestNanos()))
                .append("</td></tr>\n<tr><td>untouched</td><td>").append(number(Math.max(0, untouched)))
                .append("</td><td>0</td><td>0</td></tr>\n</tbody></table>\n</section>\n");
    }

    private void counters() {
        out.append("<section><h2>Counters</h2><div class=\"tables\">\n<table class=\"narrow\"><thead><tr><th>writes</th><th>count</th></tr></thead><tbody>");
        for (Map.Entry<WriteOutcome, CounterSeries> e : s.writes().entrySet()) {
            row(e.getKey().name(), e.getValue().total());
        }
        out.append("</tbody></table>\n<table class=\"narrow\"><thead><tr><th>RMPOPT</th><th>workload</th><th>observer</th></tr></thead><tbody>");
        for (Map.Entry<RmpoptOutcome, CounterSeries> e : s.rmpopt().entrySet()) {
            out.append("<tr><td>").append(Html.escape(e.getKey().name())).append("</td><td>").append(number(e.getValue().total()))
                    .append("</td><td>").append(number(s.observerRmpopt().get(e.getKey()))).append("</td></tr>");
        }
        out.append("</tbody></table>\n<table class=\"narrow\"><thead><tr><th>clear cause</th><th>events</th><th>tables</th><th>all tables</th></tr></thead><tbody>");
        for (Map.Entry<ClearCause, ClearCounts> e : s.clears().entrySet()) {
            out.append("<tr><td>").append(Html.escape(e.getKey().name())).append("</td><td>").append(number(e.getValue().events().total()))
                    .append("</td><td>").append(number(e.getValue().tablesCleared())).append("</td><td>")
                    .append(number(s.allTablesCleared().get(e.getKey()))).append("</td></tr>");
        }
        out.append("<tr><td>RMPOPT_BASE writes</td><td colspan=\"3\">").append(number(s.rmpoptBaseWrites())).append("</td></tr>");
        out.append("</tbody></table>\n<table class=\"narrow\"><thead><tr><th>return code</th><th>RMPUPDATE</th><th>PSMASH</th></tr></thead><tbody>");
        for (RmpReturnCode code : RmpReturnCode.values()) {
            long u = s.rmpUpdates().get(code);
            long p = s.psmashes().get(code);
            if (u > 0 || p > 0 || code == RmpReturnCode.SUCCESS) {
                out.append("<tr><td>").append(Html.escape(code.name())).append("</td><td>").append(number(u)).append("</td><td>")
                        .append(number(p)).append("</td></tr>");
            }
        }
        out.append("</tbody></table>\n</div></section>\n");
    }

    private void row(String name, long value) {
        out.append("<tr><td>").append(Html.escape(name)).append("</td><td>").append(number(value)).append("</td></tr>");
    }

    // ------------------------------------------------------------------ a line chart over simulated time

    private interface SampleFigure {
        long of(CoverageSample sample);
    }

    private final class Chart {
        private final int w;
        private final int h;
        private final long t0;
        private final long t1;
        private final double y0;
        private final double y1;
        private static final int LEFT = 60;
        private static final int RIGHT = 10;
        private static final int TOP = 10;
        private static final int BOTTOM = 36;

        Chart(int w, int h, long t0, long t1, double y0, double y1) {
            this.w = w;
            this.h = h;
            this.t0 = t0;
            this.t1 = t1;
            this.y0 = y0;
            this.y1 = y1;
        }

        double x(long t) {
            return LEFT + (double) (t - t0) / (t1 - t0) * (w - LEFT - RIGHT);
        }

        double y(double v) {
            return h - BOTTOM - (v - y0) / (y1 - y0) * (h - BOTTOM - TOP);
        }

        void open(String title, String xLabel) {
            out.append("<figure class=\"chart\"><figcaption>").append(Html.escape(title)).append("</figcaption><svg width=\"").append(w)
                    .append("\" height=\"").append(h).append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\">");
            for (double v : niceTicks(y0, y1, 4)) {
                out.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                        + "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>", LEFT, w - RIGHT, y(v), y(v), LEFT - 6, y(v) + 4, fmt(v)));
            }
            for (double sec : niceTicks(t0 / 1e9, t1 / 1e9, 8)) {
                double x = x(Math.round(sec * 1e9));
                out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" class=\"axis\"/>"
                        + "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s</text>", x, x, h - BOTTOM, h - BOTTOM + 4, x, h - BOTTOM + 16, fmt(sec)));
            }
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" class=\"axis\"/>", LEFT, w - RIGHT, h - BOTTOM, h - BOTTOM));
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%s</text>", w - RIGHT, h - 4, Html.escape(xLabel)));
        }

        void line(List<CoverageSample> samples, SampleFigure figure, String color, boolean dashed) {
            StringBuilder points = new StringBuilder();
            for (CoverageSample smp : samples) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(smp.timeNanos()), y(figure.of(smp))));
            }
            out.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"")
                    .append(dashed ? " stroke-dasharray=\"6 3\"" : "").append(" points=\"").append(points.toString().trim()).append("\"/>");
            if (samples.size() <= 200) {
                for (CoverageSample smp : samples) {
                    out.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s: %d</title></circle>",
                            x(smp.timeNanos()), y(figure.of(smp)), color, seconds(smp.timeNanos()), figure.of(smp)));
                }
            }
        }

        void passMarks(List<PassRecord> passes) {
            for (PassRecord p : passes) {
                if (p.startNanos() < t0 || p.startNanos() > t1) {
                    continue;
                }
                double x = x(p.startNanos());
                double base = h - BOTTOM;
                out.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1f l-5 -9 h10 z\" fill=\"%s\"><title>pass %d (%s) at %s, %s</title></path>",
                        x, base, TRIGGER_COLORS[p.trigger().ordinal()], p.sequence(), p.trigger().name().toLowerCase(Locale.ROOT),
                        seconds(p.startNanos()), millis(p.modeledNanos())));
            }
        }

        void close() {
            out.append("</svg></figure>\n");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static final String[] OPT_RAMP = {"#d73027", "#fc8d59", "#fee08b", "#d9ef8b", "#91cf60", "#1a9850"};
    private static final String[] ASSIGNED_RAMP = {"#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d"};
    private static final String[] SKIP_RAMP = {"#fee5d9", "#c6dbef", "#6baed6", "#2171b5", "#08306b"};

    /** The colour at {@code f} in [0, 1] along {@code ramp}, interpolated in RGB. */
    static String ramp(double f, String[] ramp) {
        double clamped = Math.max(0, Math.min(1, f));
        double pos = clamped * (ramp.length - 1);
        int i = Math.min(ramp.length - 2, (int) Math.floor(pos));
        double t = pos - i;
        int a = Integer.parseInt(ramp[i].substring(1), 16);
        int b = Integer.parseInt(ramp[i + 1].substring(1), 16);
        int r = (int) Math.round(((a >> 16) & 255) * (1 - t) + ((b >> 16) & 255) * t);
        int g = (int) Math.round(((a >> 8) & 255) * (1 - t) + ((b >> 8) & 255) * t);
        int bl = (int) Math.round((a & 255) * (1 - t) + (b & 255) * t);
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, bl);
    }

    /** About {@code count} round tick values covering [lo, hi]. */
    static double[] niceTicks(double lo, double hi, int count) {
        double span = hi - lo;
        if (span <= 0) {
            return new double[] {lo};
        }
        double raw = span / count;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag * (raw / mag < 1.5 ? 1 : raw / mag < 3 ? 2 : raw / mag < 7 ? 5 : 10);
        double first = Math.ceil(lo / step) * step;
        int n = (int) Math.floor((hi - first) / step + 1e-9) + 1;
        double[] ticks = new double[Math.max(1, n)];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = first + i * step;
        }
        return ticks;
    }

    static String fmt(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.format(Locale.ROOT, "%,d", (long) Math.rint(v));
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String percent(long part, long whole) {
        return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;padding:0 28px 28px;color:#222;background:#fafafa}
            header{padding:18px 0 6px;border-bottom:1px solid #ddd;margin-bottom:14px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:22px 0 8px}
            header p,.note{color:#555;margin:2px 0 8px}
            .cards{display:flex;flex-wrap:wrap;gap:12px}
            .card{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:10px 14px;min-width:200px;flex:1}
            .card-title{font-size:12px;color:#666;text-transform:uppercase;letter-spacing:.03em}
            .card-value{font-size:24px;font-weight:600;margin:2px 0}
            .card-detail{font-size:12px;color:#555}
            .maps{display:flex;flex-wrap:wrap;gap:22px}
            figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}
            svg{background:#fff;border:1px solid #e2e2e2;border-radius:4px}
            .heat rect:hover{stroke:#000;stroke-width:1.5}
            .ramp{display:flex;align-items:center;gap:6px;font-size:12px;color:#555;margin-top:4px}
            .ramp .bar{display:inline-block;width:150px;height:10px;border-radius:2px}
            .legend{font-size:12px;color:#444;margin:6px 0 4px}
            .swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin:0 5px -2px 14px}
            .swatch.tri{width:0;height:0;border-left:6px solid transparent;border-right:6px solid transparent;border-bottom:10px solid #000;border-radius:0;background:none}
            .legend .swatch:first-child{margin-left:0}
            .details{margin-top:10px;background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:8px 12px;font-size:13px;min-height:20px;max-width:1080px}
            .grid{stroke:#eee}.axis{stroke:#999}.tick{font-size:11px;fill:#555}
            table{border-collapse:collapse;background:#fff;font-size:13px;margin:8px 0}
            th,td{border:1px solid #e2e2e2;padding:3px 9px;text-align:right}th{background:#f0f0f0}
            td:first-child,th:first-child{text-align:left}
            td:nth-child(2) .dot{vertical-align:middle}.passes td:nth-child(2){text-align:left}
            .tables{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
            .dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px}
            footer{margin-top:26px;color:#777;font-size:12px}
            """;

    private static final String SCRIPT = """
            (function(){
              const box=document.getElementById('details');
              if(!box||typeof REGIONS==='undefined')return;
              const n=v=>v.toLocaleString('en-US');
              document.querySelectorAll('rect[data-r]').forEach(function(cell){
                cell.addEventListener('mouseenter',function(){
                  const r=+cell.dataset.r,d=REGIONS[r],w=d[2]+d[3]+d[4];
                  box.textContent='Region '+r+' ['+r+' GiB, '+(r+1)+' GiB): '
                    +(d[0]<0?'no sample':'optimized on '+d[0]+' of '+CORES+' cores, '+n(d[1])+' assigned pages')
                    +'; writes '+n(w)+(w?' ('+(100*d[2]/w).toFixed(1)+'% skipped, '+n(d[4])+' faulted)':'')
                    +'; VERIFY won '+n(d[5])+'; clears '+n(d[6])+(d[7]?'; '+d[7]:'');
                });
              });
            })();
            """;
}

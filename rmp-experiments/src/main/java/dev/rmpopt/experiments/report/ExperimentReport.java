package dev.rmpopt.experiments.report;

import dev.rmpopt.experiments.scenario.Scenario;
import dev.rmpopt.experiments.sweep.Figure;
import dev.rmpopt.experiments.sweep.RunKey;
import dev.rmpopt.experiments.sweep.RunResult;
import dev.rmpopt.experiments.sweep.Stats;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.telemetry.CoverageSample;
import dev.rmpopt.telemetry.Html;
import dev.rmpopt.telemetry.ReportWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The experiment's {@code index.html}, beside the runs' own reports: coverage over time of every
 * (placement, policy) cell overlaid (the line is the mean over the seeds, the band their spread
 * from the lowest to the highest), the same over all RAM, the share of host-side writes skipped
 * in each sampling interval, each pass's modelled cost at its simulated time, the spread of the
 * main figures across seeds, the summary table and a link to every run. Self-contained: inline
 * SVG and CSS, and one inline script that only toggles series and marks the page as rendered.
 */
public final class ExperimentReport {

    /** The page's file name. */
    public static final String FILE = "index.html";

    private static final double NANOS_PER_MINUTE = 60e9;

    private ExperimentReport() {
    }

    /** The page for {@code runs} (complete or not), with {@code missing} listed. */
    public static String html(Scenario scenario, List<RunResult> runs, List<RunKey> missing) {
        Map<RunKey.Cell, List<RunResult>> cells = Summaries.byCell(runs);
        List<RunKey.Cell> order = new ArrayList<>(cells.keySet());
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>rmpopt experiment: ")
                .append(Html.escape(scenario.name())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<h1>Experiment <code>").append(Html.escape(scenario.name())).append("</code></h1>\n<p class=\"note\">")
                .append(Html.escape(scenario.description())).append("</p>\n");
        manifest(b, scenario, runs, missing);
        legend(b, order);
        double minutes = Math.max(1, scenario.durationNanos()) / NANOS_PER_MINUTE;
        b.append("<section><h2>Coverage over time, pass range</h2><p class=\"note\">The share of (region, core) pairs optimized over "
                + "the kernel's pass range (model §7.10) at each sample; the line is the mean over the seeds, the band runs from the "
                + "lowest seed to the highest.</p>\n");
        b.append(Svg.chart("coverage", "simulated minutes", "coverage", minutes, 1, true,
                timeSeries(cells, order, r -> r.telemetry().passRangeCoverage())));
        b.append("</section>\n<section><h2>Coverage over time, all RAM</h2><p class=\"note\">The same over every 1 GiB region of RAM: "
                + "regions beyond the pass range are never optimized, so on hosts above 2 TiB this is the host's real share.</p>\n");
        b.append(Svg.chart("coverage-all", "simulated minutes", "coverage", minutes, 1, true, timeSeries(cells, order, RunResult::allRamCoverage)));
        b.append("</section>\n<section><h2>Host-side writes skipped over time</h2><p class=\"note\">The share of host-side writes "
                + "(hypervisor, legacy guests, the host itself) that skipped the RMP check in each sampling interval (model §5).</p>\n");
        b.append(Svg.chart("skipped", "simulated minutes", "writes skipped", minutes, 1, true, timeSeries(cells, order, ExperimentReport::skippedShares)));
        b.append("</section>\n<section><h2>Each pass's modelled cost</h2><p class=\"note\">Every pass after boot of every seed, at its "
                + "start (model §8.2).</p>\n");
        b.append(passChart(cells, order, minutes));
        b.append("</section>\n<section><h2>Spread across seeds</h2><p class=\"note\">Per cell: the range from the lowest seed to the "
                + "highest (bar), the mean (dot) and the 95% confidence interval of the mean by Student's t (whiskers).</p>\n");
        for (Figure f : List.of(Figure.COVERAGE_MEAN, Figure.COVERAGE_ALL_RAM_MEAN, Figure.HOST_WRITES_SKIPPED, Figure.PASS_TIME_TOTAL,
                Figure.PASS_TIME_LONGEST)) {
            spread(b, f, cells, order);
        }
        b.append("</section>\n<section><h2>Summary</h2>\n");
        summaryTable(b, cells);
        b.append("</section>\n<section><h2>Runs</h2>\n");
        runTable(b, scenario, runs, order);
        b.append("</section>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void manifest(StringBuilder b, Scenario s, List<RunResult> runs, List<RunKey> missing) {
        b.append("<table class=\"manifest\">\n");
        Manifest.of(s).forEach((k, v) -> b.append("<tr><th>").append(Html.escape(k)).append("</th><td>").append(Html.escape(String.valueOf(v)))
                .append("</td></tr>\n"));
        b.append("<tr><th>workload</th><td>").append(Html.escape(s.describeWorkload())).append("</td></tr>\n");
        b.append("<tr><th>runs</th><td>").append(runs.size()).append(" of ").append(s.runCount()).append(" complete")
                .append(missing.isEmpty() ? "" : "; missing: " + Html.escape(String.join(", ",
                        missing.stream().map(k -> k.directory(s.seeds().size() > 1)).toList()))).append("</td></tr>\n</table>\n");
        for (RunResult r : runs) {
            r.passRangeWarning().ifPresent(w -> b.append("<p class=\"warning\">").append(Html.escape("warning ("
                    + r.key().cell().label() + ", seed " + r.key().seed() + "): " + w)).append("</p>\n"));
        }
    }

    private static void legend(StringBuilder b, List<RunKey.Cell> order) {
        b.append("<div class=\"legend\" id=\"legend\">");
        for (int i = 0; i < order.size(); i++) {
            b.append("<label><input type=\"checkbox\" checked data-series=\"").append(Html.escape(order.get(i).label())).append("\">")
                    .append("<span class=\"swatch\" style=\"background:").append(Svg.COLORS[i % Svg.COLORS.length]).append("\"></span>")
                    .append(Html.escape(order.get(i).label())).append("</label> ");
        }
        b.append("</div>\n");
    }

    /** Mean over seeds per sample index, with the lowest and highest seed; x in simulated minutes after boot. */
    private static List<Svg.Series> timeSeries(Map<RunKey.Cell, List<RunResult>> cells, List<RunKey.Cell> order,
                                               Function<RunResult, double[]> values) {
        List<Svg.Series> series = new ArrayList<>();
        for (int c = 0; c < order.size(); c++) {
            List<RunResult> runs = cells.get(order.get(c));
            List<double[]> all = runs.stream().map(values).toList();
            int n = all.stream().mapToInt(a -> a.length).min().orElse(0);
            double[] x = new double[n];
            double[] mean = new double[n];
            double[] low = new double[n];
            double[] high = new double[n];
            List<Double> times = sampleMinutes(runs.get(0));
            for (int i = 0; i < n; i++) {
                double[] at = new double[all.size()];
                for (int s = 0; s < all.size(); s++) {
                    at[s] = all.get(s)[i];
                }
                Stats st = Stats.of(at);
                x[i] = i < times.size() ? times.get(i) : i;
                mean[i] = st.mean();
                low[i] = st.min();
                high[i] = st.max();
            }
            series.add(new Svg.Series(order.get(c).label(), c, x, mean, runs.size() > 1 ? low : null, high, false));
        }
        return series;
    }

    private static List<Double> sampleMinutes(RunResult run) {
        List<CoverageSample> samples = run.telemetry().coverage();
        long start = samples.isEmpty() ? 0 : samples.get(0).timeNanos();
        return samples.stream().map(s -> (s.timeNanos() - start) / NANOS_PER_MINUTE).toList();
    }

    /** Share skipped within each interval between samples (the first sample: since boot). */
    static double[] skippedShares(RunResult run) {
        List<RunResult.WritePoint> w = run.writes();
        double[] out = new double[w.size()];
        long skipped = 0;
        long total = 0;
        for (int i = 0; i < w.size(); i++) {
            long dt = w.get(i).total() - total;
            long ds = w.get(i).skipped() - skipped;
            out[i] = dt == 0 ? (i > 0 ? out[i - 1] : 0) : (double) ds / dt;
            skipped = w.get(i).skipped();
            total = w.get(i).total();
        }
        return out;
    }

    private static String passChart(Map<RunKey.Cell, List<RunResult>> cells, List<RunKey.Cell> order, double minutes) {
        List<Svg.Series> series = new ArrayList<>();
        double yMax = 0;
        for (int c = 0; c < order.size(); c++) {
            List<double[]> points = new ArrayList<>();
            for (RunResult r : cells.get(order.get(c))) {
                long boot = r.bootPass().startNanos();
                for (PassRecord p : r.telemetry().passesAfterBoot()) {
                    points.add(new double[] {(p.startNanos() - boot) / NANOS_PER_MINUTE, p.modeledNanos() / 1e6});
                }
            }
            double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
            for (double v : y) {
                yMax = Math.max(yMax, v);
            }
            series.add(new Svg.Series(order.get(c).label(), c, x, y, null, null, true));
        }
        return Svg.chart("passes", "simulated minutes", "modelled pass time, ms", minutes, yMax * 1.1, false, series);
    }

    private static void spread(StringBuilder b, Figure f, Map<RunKey.Cell, List<RunResult>> cells, List<RunKey.Cell> order) {
        double max = 0;
        List<Stats> stats = new ArrayList<>();
        for (RunKey.Cell cell : order) {
            Stats st = Stats.of(cells.get(cell).stream().mapToDouble(f::of).toArray());
            stats.add(st);
            max = Math.max(max, Double.isNaN(st.ciHigh()) ? st.max() : Math.max(st.max(), st.ciHigh()));
        }
        if (f.unit() == Figure.Unit.SHARE) {
            max = 1;
        }
        double scale = max > 0 ? max : 1;
        int rowH = 22;
        int w = 720;
        int left = 220;
        int plot = w - left - 110;
        b.append("<h3>").append(Html.escape(f.label())).append("</h3>\n");
        b.append(String.format(Locale.ROOT, "<svg class=\"spread\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">%n", w, rowH * order.size() + 6, w,
                rowH * order.size() + 6));
        for (int i = 0; i < order.size(); i++) {
            Stats st = stats.get(i);
            String color = Svg.COLORS[i % Svg.COLORS.length];
            double y = 4 + i * rowH + rowH / 2.0;
            double x0 = left + plot * st.min() / scale;
            double x1 = left + plot * st.max() / scale;
            double xm = left + plot * st.mean() / scale;
            b.append("<g class=\"series\" data-series=\"").append(Html.escape(order.get(i).label())).append("\">");
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>", left - 8, y + 4,
                    Html.escape(order.get(i).label())));
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"8\" fill=\"%s\" fill-opacity=\"0.3\"/>", x0, y - 4,
                    Math.max(1, x1 - x0), color));
            if (!Double.isNaN(st.ciLow())) {
                double c0 = left + plot * Math.max(0, st.ciLow()) / scale;
                double c1 = left + plot * Math.min(scale, st.ciHigh()) / scale;
                b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\"/>", c0, c1,
                        y, y, color));
            }
            b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>", xm, y, color));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick\">%s</text>", left + plot + 8, y + 4,
                    Html.escape(f.format(st.mean()))));
            b.append("</g>\n");
        }
        b.append("</svg>\n");
    }

    private static void summaryTable(StringBuilder b, Map<RunKey.Cell, List<RunResult>> cells) {
        b.append("<table class=\"summary\">\n<tr><th>figure</th>");
        cells.keySet().forEach(c -> b.append("<th>").append(Html.escape(c.label())).append("<br><small>")
                .append(cells.get(c).size()).append(" seed(s)</small></th>"));
        b.append("</tr>\n");
        for (Figure f : Figure.values()) {
            b.append("<tr><td>").append(Html.escape(f.label())).append("</td>");
            for (List<RunResult> runs : cells.values()) {
                Stats st = Stats.of(runs.stream().mapToDouble(f::of).toArray());
                b.append("<td>").append(Html.escape(f.format(st.mean())));
                if (st.n() > 1) {
                    b.append("<br><small>").append(Html.escape(f.format(st.min()))).append(" - ").append(Html.escape(f.format(st.max())))
                            .append("; CI ").append(Html.escape(f.format(st.ciLow()))).append(" - ").append(Html.escape(f.format(st.ciHigh())))
                            .append("</small>");
                }
                b.append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    private static void runTable(StringBuilder b, Scenario s, List<RunResult> runs, List<RunKey.Cell> order) {
        b.append("<table class=\"runs\">\n<tr><th>run</th><th>seed</th><th>coverage, mean</th><th>writes skipped</th><th>passes</th>"
                + "<th>files</th></tr>\n");
        for (RunResult r : runs) {
            String dir = r.key().directory(s.seeds().size() > 1);
            int color = order.indexOf(r.key().cell());
            b.append("<tr><td><span class=\"swatch\" style=\"background:").append(Svg.COLORS[color % Svg.COLORS.length]).append("\"></span>")
                    .append(Html.escape(r.key().cell().label())).append("</td><td>").append(r.key().seed()).append("</td><td>")
                    .append(Html.escape(Figure.COVERAGE_MEAN.format(Figure.COVERAGE_MEAN.of(r)))).append("</td><td>")
                    .append(Html.escape(Figure.HOST_WRITES_SKIPPED.format(Figure.HOST_WRITES_SKIPPED.of(r)))).append("</td><td>")
                    .append((long) Figure.PASSES.of(r)).append("</td><td><a href=\"").append(Html.escape(dir + "/" + ReportWriter.HTML_FILE))
                    .append("\">report</a> · <a href=\"").append(Html.escape(dir + "/" + RunFiles.RUN_JSON)).append("\">run.json</a> · <a href=\"")
                    .append(Html.escape(dir + "/" + RunFiles.TABLE)).append("\">rmpopt-table</a></td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:980px;color:#222;padding:0 12px}
            h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}h3{font-size:14px;margin:12px 0 2px}
            .note{color:#555}.warning{background:#fff3cd;border:1px solid #e0c36a;padding:6px 10px}
            table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
            .summary td{text-align:right}.summary td:first-child{text-align:left}small{color:#666}
            .chart .grid{stroke:#eee}.tick{font-size:11px;fill:#555}.axis{font-size:12px;fill:#333}
            .legend label{margin-right:14px;white-space:nowrap;cursor:pointer}
            .swatch{display:inline-block;width:12px;height:12px;margin:0 4px -1px 2px;border-radius:2px}
            .hidden{display:none}
            """;

    private static final String SCRIPT = """
            (function () {
              var boxes = document.querySelectorAll('#legend input[type=checkbox]');
              boxes.forEach(function (box) {
                box.addEventListener('change', function () {
                  var name = box.getAttribute('data-series');
                  document.querySelectorAll('g.series').forEach(function (g) {
                    if (g.getAttribute('data-series') === name) {
                      g.classList.toggle('hidden', !box.checked);
                    }
                  });
                });
              });
              document.body.setAttribute('data-rendered', 'charts:' + document.querySelectorAll('svg').length);
            })();
            """;
}

package dev.rmpopt.experiments.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rmpopt.experiments.scenario.Scenario;
import dev.rmpopt.experiments.sweep.Figure;
import dev.rmpopt.experiments.sweep.RunKey;
import dev.rmpopt.experiments.sweep.RunResult;
import dev.rmpopt.experiments.sweep.Stats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The experiment's summary as text, JSON or CSV, all made from the same runs and {@link Figure}s.
 * With one seed the text is the main job's side-by-side table, one column per run; with several,
 * one block per (placement, policy) cell, each figure with its mean, min, max and 95% interval.
 */
public final class Summaries {

    private Summaries() {
    }

    /** The runs of each cell, in the runs' order. */
    public static Map<RunKey.Cell, List<RunResult>> byCell(List<RunResult> runs) {
        return runs.stream().collect(Collectors.groupingBy(r -> r.key().cell(), LinkedHashMap::new, Collectors.toList()));
    }

    /** Each figure's statistics across the seeds of {@code runs}. */
    public static Map<Figure, Stats> stats(List<RunResult> runs) {
        Map<Figure, Stats> out = new LinkedHashMap<>();
        for (Figure f : Figure.values()) {
            out.put(f, Stats.of(runs.stream().mapToDouble(f::of).toArray()));
        }
        return out;
    }

    /** The text summary (the "Boot:" line comes before it, from the CLI). */
    public static String text(Scenario scenario, List<RunResult> runs) {
        StringWriter s = new StringWriter();
        PrintWriter out = new PrintWriter(s);
        List<RunResult> churned = runs.stream().filter(r -> r.churn().isPresent()).toList();
        if (!churned.isEmpty()) {
            if (scenario.seeds().size() == 1) {
                out.println(scenario.describeWorkload(scenario.seeds().get(0)));
                columns(out, churned);
            } else {
                out.println(scenario.describeWorkload(scenario.seeds().get(0)).replaceFirst(", seed -?\\d+$", "")
                        + ", seeds " + scenario.seeds().stream().map(String::valueOf).collect(Collectors.joining(", ")));
                cells(out, churned);
            }
        }
        runs.stream().map(RunResult::passRangeWarning).flatMap(java.util.Optional::stream).distinct().forEach(out::println);
        out.flush();
        return s.toString();
    }

    private static void columns(PrintWriter out, List<RunResult> runs) {
        row(out, "placement", runs, r -> r.key().placement());
        row(out, "policy", runs, r -> r.key().policy());
        row(out, "VMs launched / destroyed", runs, r -> fmt(Figure.VMS_LAUNCHED, r) + " / " + fmt(Figure.VMS_DESTROYED, r));
        for (Figure f : List.of(Figure.LAUNCHES_REFUSED, Figure.PASSES)) {
            row(out, f.label(), runs, r -> fmt(f, r).replace(",", ""));
        }
        row(out, "regions won / lost", runs, r -> fmt(Figure.REGIONS_WON, r).replace(",", "") + " / "
                + fmt(Figure.REGIONS_LOST, r).replace(",", ""));
        for (Figure f : List.of(Figure.RMPOPT_INSTRUCTIONS, Figure.PASS_TIME_TOTAL, Figure.PASS_TIME_LONGEST, Figure.LONGEST_INTERRUPTION,
                Figure.FOLLOWER_TIME, Figure.COVERAGE_MEAN, Figure.COVERAGE_END, Figure.COVERAGE_LOWEST, Figure.COVERAGE_ALL_RAM_MEAN,
                Figure.COVERAGE_ALL_RAM_END)) {
            row(out, f.label(), runs, r -> fmt(f, r));
        }
        row(out, "host-side writes skipped", runs, r -> fmt(Figure.HOST_WRITES_SKIPPED, r) + " of " + fmt(Figure.HOST_WRITES, r));
        row(out, Figure.SNP_GUEST_WRITES.label(), runs, r -> fmt(Figure.SNP_GUEST_WRITES, r));
        row(out, Figure.RMP_FAULTS.label(), runs, r -> fmt(Figure.RMP_FAULTS, r).replace(",", ""));
    }

    private static String fmt(Figure f, RunResult r) {
        return f.format(f.of(r));
    }

    private static void row(PrintWriter out, String label, List<RunResult> runs, Function<RunResult, String> cell) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-28s", label));
        for (RunResult r : runs) {
            line.append(String.format(Locale.ROOT, "%21s", cell.apply(r)));
        }
        out.println(line);
    }

    private static void cells(PrintWriter out, List<RunResult> runs) {
        for (Map.Entry<RunKey.Cell, List<RunResult>> cell : byCell(runs).entrySet()) {
            out.printf(Locale.ROOT, "%n%-34s%14s%14s%14s   %s%n", cell.getKey().label() + " (" + cell.getValue().size() + " seeds)",
                    "mean", "min", "max", "95% CI of the mean");
            for (Map.Entry<Figure, Stats> e : stats(cell.getValue()).entrySet()) {
                Figure f = e.getKey();
                Stats st = e.getValue();
                out.printf(Locale.ROOT, "  %-32s%14s%14s%14s   [%s, %s]%n", f.label(), f.format(st.mean()), f.format(st.min()),
                        f.format(st.max()), f.format(st.ciLow()), f.format(st.ciHigh()));
            }
        }
    }

    /** The summary as JSON: the manifest, every run's figures and every cell's statistics. */
    public static String json(Scenario scenario, List<RunResult> runs, List<RunKey> missing) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("manifest", Manifest.json(Manifest.of(scenario)));
        root.put("complete", missing.isEmpty());
        ArrayNode missingNode = root.putArray("missing");
        missing.forEach(k -> missingNode.add(k.directory(scenario.seeds().size() > 1)));
        ArrayNode runsNode = root.putArray("runs");
        for (RunResult r : runs) {
            runsNode.add(runJson(scenario, r));
        }
        ArrayNode cellsNode = root.putArray("cells");
        for (Map.Entry<RunKey.Cell, List<RunResult>> cell : byCell(runs).entrySet()) {
            ObjectNode c = cellsNode.addObject();
            c.put("policy", cell.getKey().policy());
            c.put("placement", cell.getKey().placement());
            c.put("seeds", cell.getValue().size());
            ObjectNode figures = c.putObject("figures");
            stats(cell.getValue()).forEach((f, st) -> {
                ObjectNode n = figures.putObject(f.key());
                n.set("mean", Json.number(st.mean()));
                n.set("min", Json.number(st.min()));
                n.set("max", Json.number(st.max()));
                ArrayNode ci = n.putArray("ci95");
                ci.add(Json.number(st.ciLow()));
                ci.add(Json.number(st.ciHigh()));
            });
        }
        return Json.text(root);
    }

    /** One run's figures with its manifest, as its {@code run.json} has them. */
    static ObjectNode runJson(Scenario scenario, RunResult r) {
        ObjectNode run = Json.MAPPER.createObjectNode();
        run.set("manifest", Manifest.json(Manifest.of(scenario, r.key())));
        run.put("directory", r.key().directory(scenario.seeds().size() > 1));
        ObjectNode figures = run.putObject("figures");
        for (Figure f : Figure.values()) {
            figures.set(f.key(), Json.number(f.of(r)));
        }
        ArrayNode warnings = run.putArray("warnings");
        r.passRangeWarning().ifPresent(warnings::add);
        return run;
    }

    /** The CSV header and one row per run: the run's manifest, then every figure. */
    public static String csv(Scenario scenario, List<RunResult> runs) {
        List<String> header = new ArrayList<>(List.of("tool_version", "schema_version", "scenario", "scenario_sha256", "backend",
                "seed", "policy", "placement"));
        for (Figure f : Figure.values()) {
            header.add(f.key());
        }
        StringBuilder b = new StringBuilder(String.join(",", header)).append('\n');
        for (RunResult r : runs) {
            Map<String, Object> m = Manifest.of(scenario, r.key());
            List<String> cells = new ArrayList<>();
            for (String h : header.subList(0, 8)) {
                cells.add(csvCell(String.valueOf(m.get(h))));
            }
            for (Figure f : Figure.values()) {
                double v = f.of(r);
                cells.add(v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v));
            }
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

package dev.rmpopt.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rmpopt.experiments.report.ExperimentOutput;
import dev.rmpopt.experiments.report.ExperimentReport;
import dev.rmpopt.experiments.scenario.Scenario;
import dev.rmpopt.experiments.scenario.ScenarioException;
import dev.rmpopt.experiments.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps on a small host, seeds 1-3 (printed in the scenario below). */
class SweepTest {

    static final String SMALL = """
            schema: 1
            name: small
            host: {preset: small-64gib}
            durationSeconds: 300
            sampleSeconds: 30
            seeds: [1, 2, 3]
            policies: [{name: v8-v10}, {name: targeted}]
            placements: [scatter, pack]
            workload:
              arrivals: {distribution: exponential, mean: 20}
              lifetime: {distribution: exponential, mean: 120}
              vmSize: {distribution: uniform, min: 1, max: 4}
            """;

    @TempDir
    Path dir;

    private static Scenario small() throws ScenarioException {
        return ScenarioLoader.parse(SMALL, Path.of("."));
    }

    private static List<String> figures(List<RunResult> runs) {
        return runs.stream().map(r -> r.key() + " " + Arrays.stream(Figure.values()).map(f -> String.valueOf(f.of(r))).toList()).toList();
    }

    @Test
    void parallelRunsGiveTheSerialResultsInTheSameOrder() throws ScenarioException {
        Scenario s = small();
        Sweep.Outcome serial = Sweep.run(s, 1, SweepListener.NONE, () -> false);
        Sweep.Outcome parallel = Sweep.run(s, 3, SweepListener.NONE, () -> false);
        assertTrue(serial.complete() && parallel.complete());
        assertEquals(12, serial.completed().size());
        assertEquals(Sweep.keys(s), parallel.completed().stream().map(RunResult::key).toList());
        assertEquals(figures(serial.completed()), figures(parallel.completed()));
        assertTrue(serial.completed().stream().anyMatch(r -> Figure.VMS_LAUNCHED.of(r) > 5), "VMs churned");
        // seeds differ, so their runs do
        assertFalse(figures(serial.completed()).get(0).substring(40).equals(figures(serial.completed()).get(1).substring(40)));
    }

    @Test
    void anExperimentWritesEveryRunTheSummariesAndTheReport() throws ScenarioException, IOException {
        Scenario s = small();
        ExperimentOutput out = new ExperimentOutput(dir, s);
        Sweep.Outcome outcome = Sweep.run(s, 2, new SweepListener() {
            @Override
            public void finished(RunResult result, int done, int total) {
                out.runFinished(result);
            }
        }, () -> false);
        out.finish(outcome);
        for (RunKey k : Sweep.keys(s)) {
            Path run = dir.resolve(k.directory(true));
            for (String f : List.of("report.html", "telemetry.json", "metrics.prom", "rmpopt-table.txt", "run.json")) {
                assertTrue(Files.isRegularFile(run.resolve(f)), run.resolve(f).toString());
            }
        }
        JsonNode summary = new ObjectMapper().readTree(dir.resolve(ExperimentOutput.SUMMARY_JSON).toFile());
        assertEquals(12, summary.get("runs").size());
        assertEquals(4, summary.get("cells").size());
        JsonNode coverage = summary.get("cells").get(2).get("figures").get("coverage_mean");
        assertTrue(coverage.get("min").asDouble() <= coverage.get("mean").asDouble());
        assertTrue(coverage.get("ci95").get(0).asDouble() <= coverage.get("mean").asDouble());
        String html = Files.readString(dir.resolve(ExperimentReport.FILE));
        assertTrue(html.contains("href=\"pack-targeted-seed3/report.html\""), "links to every run");
        assertEquals(4 + 5, html.split("<svg").length - 1, "four charts over time and five spreads");
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains(" src="), "self-contained");
        assertEquals(13, Files.readAllLines(dir.resolve(ExperimentOutput.SUMMARY_CSV)).size());
        assertFalse(Files.exists(dir.resolve(ExperimentOutput.INCOMPLETE)));
        try (Stream<Path> entries = Files.list(dir)) {
            assertTrue(entries.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")), "no temporary left");
        }
    }

    @Test
    void anInterruptedExperimentLeavesCompleteRunsAndSaysWhatIsMissing() throws ScenarioException, IOException {
        Scenario s = small();
        ExperimentOutput out = new ExperimentOutput(dir, s);
        AtomicInteger done = new AtomicInteger();
        Sweep.Outcome outcome = Sweep.run(s, 1, new SweepListener() {
            @Override
            public void finished(RunResult result, int finished, int total) {
                out.runFinished(result);
                done.incrementAndGet();
            }
        }, () -> done.get() >= 2);
        out.finish(outcome);
        assertEquals(2, outcome.completed().size());
        assertEquals(10, outcome.missing().size());
        JsonNode marker = new ObjectMapper().readTree(dir.resolve(ExperimentOutput.INCOMPLETE).toFile());
        assertEquals("interrupted", marker.get("reason").asText());
        assertEquals(10, marker.get("missing").size());
        assertEquals("scatter-v8-v10-seed3", marker.get("missing").get(0).get("directory").asText());
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("INCOMPLETE.json", "index.html", "scatter-v8-v10-seed1", "scatter-v8-v10-seed2", "summary.csv",
                    "summary.json"), names);
        }
    }

    @Test
    void interruptedBeforeAnyRunFinishedLeavesNothing() throws ScenarioException, IOException {
        Scenario s = small();
        Path out = dir.resolve("out");
        ExperimentOutput output = new ExperimentOutput(out, s);
        Sweep.Outcome outcome = Sweep.run(s, 2, SweepListener.NONE, () -> true);
        output.finish(outcome);
        assertTrue(outcome.completed().isEmpty());
        assertFalse(Files.exists(out));
    }

    @Test
    void guestMemoryAboveThePassRangeIsCountedAndWarnedOf() throws ScenarioException {
        // 2112 GiB: pack puts SNP memory in the highest regions, above the 2 TiB pass range (model §7.1)
        Scenario s = ScenarioLoader.parse("""
                schema: 1
                host: {sockets: 1, coresPerSocket: 4, threadsPerCore: 1, memoryGib: 2112}
                durationSeconds: 120
                policies: [{name: v8-v10}]
                placements: [pack]
                workload:
                  arrivals: {distribution: fixed, value: 10}
                  vmSize: {distribution: fixed, value: 8}
                  snpShare: 1.0
                """, Path.of("."));
        RunResult r = Sweep.run(s, 1, SweepListener.NONE, () -> false).completed().get(0);
        assertTrue(r.assignedPagesOutsidePassRange() > 0);
        assertTrue(r.passRangeWarning().orElseThrow().startsWith("guest memory lies outside the pass range (regions 0-2047 of 2112)"),
                r.passRangeWarning().toString());
        assertTrue(Figure.COVERAGE_ALL_RAM_MEAN.of(r) < Figure.COVERAGE_MEAN.of(r), "regions above the range never optimize");
        assertEquals(Figure.COVERAGE_MEAN.of(r) * 2048 / 2112, Figure.COVERAGE_ALL_RAM_MEAN.of(r), 1e-9);
        assertTrue(dev.rmpopt.experiments.report.Summaries.text(s, List.of(r)).contains("warning (pack / v8-v10): guest memory lies outside"));
    }

    @Test
    void theProjectsEventFileDrivesLaunchesConversionsAndDestroys() throws ScenarioException, IOException {
        Files.writeString(dir.resolve("events.csv"), """
                seconds,vm,event,mib,vcpus,snp
                0,g1,launch,4096,2,true
                10,l1,launch,2048,1,false
                30,g1,convert,512,,
                60,g1,destroy,,,
                """);
        Scenario s = ScenarioLoader.parse("""
                schema: 1
                host: {preset: small-64gib}
                durationSeconds: 120
                policies: [{name: v8-v10}]
                placements: [pack]
                workload:
                  trace: {file: events.csv, format: rmpopt-events}
                """, dir);
        RunResult r = Sweep.run(s, 1, SweepListener.NONE, () -> false).completed().get(0);
        assertEquals(2, Figure.VMS_LAUNCHED.of(r));
        assertEquals(1, Figure.VMS_DESTROYED.of(r));
        assertEquals(1, Figure.PASSES.of(r), "v8-v10's pass 10 s after the SNP guest's destroy");
        assertTrue(s.describeWorkload().contains("2 VMs of 2 in the window, 1 SNP"), s.describeWorkload());
    }

    @Test
    void studentTIntervals() {
        Stats st = Stats.of(new double[] {1, 2, 3, 4, 5});
        assertEquals(3, st.mean(), 1e-12);
        double half = 2.776 * Math.sqrt(2.5) / Math.sqrt(5);
        assertEquals(3 - half, st.ciLow(), 1e-9);
        assertEquals(3 + half, st.ciHigh(), 1e-9);
        assertTrue(Double.isNaN(Stats.of(new double[] {7}).ciLow()), "one seed: no interval");
        assertEquals(2.042, Stats.t975(30), 1e-9);
        assertEquals(1.984, Stats.t975(100), 1e-3);
        assertEquals(1.962, Stats.t975(1000), 1e-3);
    }
}

package dev.rmpopt.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Spark in local mode on a small fleet: the same numbers as the hosts run one by one without
 * Spark; bad input stops everything before a task starts; a failed host fails the job by name and
 * leaves no result. Each test starts and stops its own Spark (the command does so itself).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkFleetTest {

    /** Host simulations started in this JVM (Spark's local mode runs its tasks here). */
    static final AtomicInteger SIMULATED = new AtomicInteger();

    @TempDir
    Path dir;

    record Ran(int status, String out, String err) {
    }

    Ran fleet(HostSimulator simulator, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        FleetCommand command = new FleetCommand();
        command.simulator = simulator;
        int status = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Ran(status, out.toString(), err.toString());
    }

    static HostSimulator counting() {
        return task -> {
            SIMULATED.incrementAndGet();
            return HostSimulator.standard().simulate(task);
        };
    }

    @Test
    @Order(1)
    void sparkGivesTheNumbersOfTheHostsRunOneByOne() throws Exception {
        System.out.println("seed " + Fleets.SEED);
        FleetPlan plan = FleetPlan.of(FleetFile.parse("t.yaml", Fleets.small(dir.resolve("out")), dir));
        assertEquals(40, plan.tasks().size(), "20 hosts, two schedulers");
        assertTrue(plan.assignments().get(0).hostsUsed() >= 10, "the workload spreads over the fleet");
        // the hosts one by one, without Spark, then added up in task order
        List<HostResult> alone = plan.tasks().stream().map(HostSimulator.standard()::simulate).toList();
        FleetAccumulator sums = new FleetAccumulator();
        alone.forEach(sums::add);
        List<FleetSummary> aloneSummaries = FleetRun.summaries(plan, sums);
        FleetRun spark;
        try (SparkFleetRunner runner = SparkFleetRunner.open("local[2]")) {
            spark = runner.run(plan, HostSimulator.standard(), dir.resolve("parquet"));
            List<Row> hosts = runner.readParquet(dir.resolve("parquet").resolve("hosts.parquet"));
            assertEquals(40, hosts.size());
            long skipped = hosts.stream().mapToLong(r -> r.getLong(r.fieldIndex("writesSkipped"))).sum();
            assertEquals(alone.stream().mapToLong(HostResult::writesSkipped).sum(), skipped);
            List<String> parquetSeries = runner.readParquet(dir.resolve("parquet").resolve("coverage.parquet")).stream()
                    .map(r -> r.getString(0) + " " + r.getInt(1) + " " + r.getLong(3) + " " + r.getLong(4) + "/" + r.getLong(5)
                            + " " + r.getLong(7) + " " + r.getLong(8)).sorted().toList();
            List<String> aloneSeries = alone.stream().flatMap(h -> h.coverage().stream().map(p -> h.scheduler() + " "
                    + h.hostIndex() + " " + p.timeNanos() + " " + p.optimizedPairs() + "/" + p.pairs() + " " + p.optimizedGib()
                    + " " + p.assignedPages())).sorted().toList();
            assertEquals(aloneSeries, parquetSeries, "every host's coverage series, in coverage.parquet");
        }
        assertEquals(alone.stream().map(HostResult::withoutSeries).toList(), spark.hosts(), "every host's figures");
        assertEquals(aloneSummaries, spark.summaries(), "the fleet's figures, percentiles and series");
        FleetSummary aware = spark.summaries().get(0);
        assertEquals("snp-aware", aware.scheduler());
        assertTrue(aware.passes() > 0 && aware.writesSkipped() > 0 && aware.vmsLaunched() > 0, aware.toString());
        assertEquals(12, aware.overTime().size(), "a sample at the start, every 30 s, and the end's (at 300 s too)");
    }

    @Test
    @Order(2)
    void theCommandWritesEveryOutputAndSaysTheyAreComplete() throws Exception {
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, Fleets.small(dir.resolve("out")));
        Ran ran = fleet(HostSimulator.standard(), file.toString());
        assertEquals(0, ran.status(), ran.err());
        assertTrue(ran.out().contains("fleet coverage, mean"), ran.out());
        Path out = dir.resolve("out");
        String json = Files.readString(out.resolve("fleet.json"));
        assertTrue(json.contains("\"complete\" : true"), json.substring(0, 200));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("Fleet coverage over time") && html.contains("snp-aware") && html.contains("first-fit"));
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("src="), "self-contained");
        assertTrue(Files.isRegularFile(out.resolve("hosts.parquet").resolve("_SUCCESS")));
        assertTrue(Files.isRegularFile(out.resolve("coverage.parquet").resolve("_SUCCESS")));
        assertFalse(Files.exists(out.resolve(".incomplete")));
    }

    @Test
    @Order(3)
    void aBadFleetFileOrTraceStopsEverythingBeforeATaskStarts() throws Exception {
        SIMULATED.set(0);
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, Fleets.small(dir.resolve("out")).replace("count: 12", "count: -12"));
        Ran ran = fleet(counting(), file.toString());
        assertEquals(3, ran.status());
        assertTrue(ran.err().contains(file + ":8:21: hosts[1].count: must be a whole number >= 1, not -12"), ran.err());
        Files.writeString(file, Fleets.small(dir.resolve("out")).replaceAll("(?s)  synthetic:.*?snpFraction: 0.5\n",
                "  trace: {file: missing.csv, format: rmpopt-events}\n"));
        ran = fleet(counting(), file.toString());
        assertEquals(3, ran.status());
        assertTrue(ran.err().contains("workload.trace"), ran.err());
        assertEquals(0, SIMULATED.get(), "no host simulated");
        assertTrue(SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty(), "Spark never started");
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    @Order(4)
    void aFailedHostFailsTheJobByNameAndNoResultIsReportedComplete() throws Exception {
        Path file = dir.resolve("fleet.yaml");
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("fleet.json"), "{\"complete\": true, \"from\": \"an earlier run\"}");
        Files.writeString(file, Fleets.small(out));
        HostSimulator faulty = task -> {
            if (task.plan().host().name().equals("narrow-0007") && task.settings().scheduler().equals("first-fit")) {
                throw new IllegalStateException("injected fault in the RMP model");
            }
            return HostSimulator.standard().simulate(task);
        };
        Ran ran = fleet(faulty, file.toString());
        assertEquals(1, ran.status(), ran.err());
        assertTrue(ran.err().contains("host narrow-0007 (16 GiB x 2 cores, scheduler first-fit) failed: "
                + "java.lang.IllegalStateException: injected fault in the RMP model"), ran.err());
        assertTrue(ran.err().contains("no result written"), ran.err());
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(), left.toList(), "no fleet.json, report, Parquet or staging; the earlier run's removed");
        }
    }
}

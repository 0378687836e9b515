package dev.rmpopt.fleet;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rmpopt fleet FILE}: reads a fleet description, places its workload with each scheduler,
 * runs every host as one Spark task (local mode on the machine's cores unless {@code spark-submit}
 * or {@code --master} says otherwise), and writes fleet.json, report.html and the Parquet tables.
 * Everything in the file and the trace is checked before Spark starts.
 */
@Command(name = "rmpopt fleet", mixinStandardHelpOptions = true, version = "rmpopt 0.1.0",
        description = "Run a fleet of hosts: a VM scheduler over the fleet, one host simulation per Spark task.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the fleet ran and its outputs are complete", "1:a host's simulation or the job failed; nothing written",
            "2:usage error", "3:bad fleet file or trace; nothing run", "4:the output directory cannot be written"})
public final class FleetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The fleet description (YAML, or JSON if it ends in .json).")
    Path file;

    @Option(names = "--out", description = "Output directory (default: the file's outputs.dir).")
    Path out;

    @Option(names = "--master", description = "Spark master when not under spark-submit (default: local[N], N the cores).")
    String master;

    @Option(names = "--parquet", paramLabel = "URI", description = "Write the Parquet tables under this URI instead of the "
            + "output directory: on a cluster, a file system every executor reaches (hdfs://..., s3a://...).")
    String parquetUri;

    @Option(names = "--plan-only", description = "Place the workload with each scheduler and print what each did and how "
            + "long it took, without simulating a host (no Spark, no outputs).")
    boolean planOnly;

    @Option(names = "--bench", paramLabel = "ROUNDS", description = "After the run, time ROUNDS more rounds of the same hosts, "
            + "each through Spark and through a plain thread pool of Spark's size (no outputs written), check that the "
            + "results are equal, and print throughput and the Spark / pool ratio (default: no rounds).")
    int benchRounds;

    /** What simulates each host: the model's; tests put a faulty one in. */
    HostSimulator simulator = HostSimulator.standard();

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new FleetCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FleetSpec fleet;
        FleetPlan plan;
        try {
            fleet = FleetFile.read(file);
            if (out != null) {
                fleet = new FleetSpec(fleet.name(), fleet.seed(), fleet.durationNanos(), fleet.sampleNanos(), fleet.hosts(),
                        fleet.workload(), fleet.guests(), fleet.schedulers(), fleet.policy(), fleet.placement(), fleet.backend(),
                        fleet.vcpuOvercommit(), new FleetSpec.Outputs(out, fleet.outputs().parquet(), fleet.outputs().json(),
                                fleet.outputs().html()));
            }
            long planning = System.nanoTime();
            plan = FleetPlan.of(fleet);
            if (planOnly) {
                printPlan(stdout, fleet, plan, (System.nanoTime() - planning) / 1e9);
                return 0;
            }
        } catch (FleetFileException e) {
            err.println("rmpopt fleet: " + e.getMessage());
            return 3;
        }
        FleetOutputs outputs = new FleetOutputs(fleet.outputs().dir());
        try {
            outputs.prepare();
        } catch (IOException e) {
            err.println("rmpopt fleet: cannot write " + fleet.outputs().dir() + ": " + e);
            return 4;
        }
        int tasks = plan.tasks().size();
        err.printf("rmpopt fleet: %s, %d hosts x %d schedulers = %d host simulations of %.1f simulated minutes, %d VMs%n",
                fleet.name(), fleet.fleetHosts().size(), fleet.schedulers().size(), tasks, fleet.durationNanos() / 60e9,
                plan.vms().size());
        err.flush();
        long opened = System.nanoTime();
        try (SparkFleetRunner spark = SparkFleetRunner.open(master)) {
            String parquet = !fleet.outputs().parquet() ? null
                    : parquetUri != null ? parquetUri : outputs.staging().toAbsolutePath().toUri().toString();
            FleetRun run = spark.run(plan, simulator, parquet);
            outputs.complete(plan, run, run.seconds(), fleet.outputs().json(), fleet.outputs().html());
            print(stdout, plan, run);
            double hostDays = tasks * (fleet.durationNanos() / 86400e9);
            stdout.printf(Locale.ROOT, "%nSpark %s (%d slots): %d host simulations in %.1f s (%.1f s with Spark's start and "
                            + "the outputs), %.2f simulated host-days per wall minute%n", spark.master(), spark.parallelism(),
                    tasks, run.seconds(), (System.nanoTime() - opened) / 1e9, hostDays / (run.seconds() / 60));
            if (benchRounds > 0) {
                bench(stdout, plan, run, spark, benchRounds, hostDays);
            }
            stdout.println("wrote " + outputs.dir().resolve(FleetOutputs.HTML_FILE) + ", " + FleetOutputs.JSON_FILE
                    + (parquet == null ? "" : parquetUri == null ? ", hosts.parquet and coverage.parquet"
                            : "; hosts.parquet and coverage.parquet under " + parquetUri));
            stdout.flush();
            return 0;
        } catch (FleetJobException e) {
            outputs.abandon();
            err.println("rmpopt fleet: " + e.getMessage());
            err.println("rmpopt fleet: no result written");
            return 1;
        } catch (IOException e) {
            outputs.abandon();
            err.println("rmpopt fleet: cannot write the outputs: " + e);
            return 4;
        }
    }

    /**
     * Rounds of the same hosts through Spark and through a plain pool, alternating which goes first so
     * that neither always meets a warmer JIT or a quieter machine; the first run (above) warmed both.
     */
    private static void bench(PrintWriter stdout, FleetPlan plan, FleetRun first, SparkFleetRunner spark, int rounds,
                              double hostDays) throws FleetJobException {
        LocalFleetRunner pool = new LocalFleetRunner(spark.parallelism());
        double sparkTotal = 0;
        double poolTotal = 0;
        double sparkCpu = 0;
        double poolCpu = 0;
        boolean same = true;
        for (int round = 1; round <= rounds; round++) {
            FleetRun a;
            FleetRun b;
            double cpuA;
            double cpuB;
            if (round % 2 == 1) {
                double c0 = cpuSeconds();
                b = pool.run(plan, HostSimulator.standard());
                double c1 = cpuSeconds();
                a = spark.run(plan, HostSimulator.standard(), (String) null);
                cpuB = c1 - c0;
                cpuA = cpuSeconds() - c1;
            } else {
                double c0 = cpuSeconds();
                a = spark.run(plan, HostSimulator.standard(), (String) null);
                double c1 = cpuSeconds();
                b = pool.run(plan, HostSimulator.standard());
                cpuA = c1 - c0;
                cpuB = cpuSeconds() - c1;
            }
            sparkCpu += cpuA;
            poolCpu += cpuB;
            same &= a.hosts().equals(first.hosts()) && b.hosts().equals(first.hosts())
                    && a.summaries().equals(first.summaries()) && b.summaries().equals(first.summaries());
            sparkTotal += a.seconds();
            poolTotal += b.seconds();
            stdout.printf(Locale.ROOT, "round %d: Spark %.1f s (CPU %.1f s), thread pool of %d %.1f s (CPU %.1f s), "
                    + "Spark / pool %.3f (CPU %.3f)%n", round, a.seconds(), cpuA, spark.parallelism(), b.seconds(), cpuB,
                    a.seconds() / b.seconds(), cpuA / cpuB);
        }
        stdout.printf(Locale.ROOT, "bench: %d rounds; Spark %.2f and pool %.2f simulated host-days per wall minute; "
                        + "Spark / pool = %.3f wall, %.3f CPU of this JVM; results %s%n", rounds,
                hostDays * rounds / (sparkTotal / 60), hostDays * rounds / (poolTotal / 60), sparkTotal / poolTotal,
                sparkCpu / poolCpu, same ? "equal to the first run's, number for number" : "DIFFER");
    }

    /** This JVM's CPU time so far: on a machine shared with other work, a steadier cost than wall time. */
    private static double cpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9 : Double.NaN;
    }

    private static void printPlan(PrintWriter out, FleetSpec fleet, FleetPlan plan, double seconds) {
        out.printf(Locale.ROOT, "%s: %d hosts, %d VMs; read and placed by %d schedulers in %.2f s%n", fleet.name(),
                fleet.fleetHosts().size(), plan.vms().size(), plan.assignments().size(), seconds);
        for (FleetAssignment a : plan.assignments()) {
            long started = System.nanoTime();
            Assigner.assign(plan.vms(), fleet.fleetHosts(), Schedulers.named(a.scheduler()), fleet.vcpuOvercommit(),
                    fleet.durationNanos());
            out.printf(Locale.ROOT, "  %-10s hosts used %d, with SNP guests %d, VMs refused %d; placing again took %.2f s%n",
                    a.scheduler(), a.hostsUsed(), a.snpHosts(), a.refused().size(), (System.nanoTime() - started) / 1e9);
        }
        out.flush();
    }

    /** The schedulers side by side. */
    static void print(PrintWriter out, FleetPlan plan, FleetRun run) {
        List<FleetSummary> s = run.summaries();
        out.printf("%-40s", "scheduler");
        s.forEach(x -> out.printf("%18s", x.scheduler()));
        out.println();
        line(out, s, "hosts used / with SNP guests", x -> x.hostsUsed() + " / " + x.snpHosts());
        line(out, s, "VMs placed / refused", x -> (x.vms() - x.vmsRefused()) + " / " + x.vmsRefused());
        line(out, s, "VMs refused by their host", x -> Long.toString(x.vmsRefusedByHosts()));
        line(out, s, "fleet coverage, mean", x -> FleetHtmlReport.pct(x.meanCoverage()));
        line(out, s, "fleet coverage, at the end", x -> FleetHtmlReport.pct(x.endCoverage()));
        line(out, s, "host coverage p10 / p50 (mean)", x -> FleetHtmlReport.pct(x.acrossHosts().get("meanCoverage").p10())
                + " / " + FleetHtmlReport.pct(x.acrossHosts().get("meanCoverage").p50()));
        line(out, s, "memory optimized at the end, GiB", x -> x.overTime().isEmpty() ? "-"
                : Long.toString(x.overTime().get(x.overTime().size() - 1).optimizedGib()));
        line(out, s, "host-side writes skipped", x -> FleetHtmlReport.pct(x.skippedShare()));
        line(out, s, "host-side writes", x -> String.format(Locale.ROOT, "%,d", x.writesSkipped() + x.writesChecked()));
        line(out, s, "passes after boot", x -> String.format(Locale.ROOT, "%,d", x.passes()));
        line(out, s, "modelled pass time, total", x -> FleetHtmlReport.fmt(x.passModeledNanos() / 1e6, 1) + " ms");
        line(out, s, "worst per-CPU interruption", x -> FleetHtmlReport.fmt(x.worstInterruptionNanos() / 1e3, 1) + " us");
    }

    private static void line(PrintWriter out, List<FleetSummary> s, String label, java.util.function.Function<FleetSummary, String> f) {
        out.printf("%-40s", label);
        s.forEach(x -> out.printf("%18s", f.apply(x)));
        out.println();
    }
}

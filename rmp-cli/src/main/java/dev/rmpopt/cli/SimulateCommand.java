package dev.rmpopt.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.core.RmpCoreModule;
import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.KernelListener;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.RmpoptPolicy;
import dev.rmpopt.kernel.SetupResult;
import dev.rmpopt.kernel.files.DebugfsRmpoptTable;
import dev.rmpopt.kvm.ChurnConfig;
import dev.rmpopt.kvm.ChurnReport;
import dev.rmpopt.kvm.ChurnSimulation;
import dev.rmpopt.kvm.Hypervisor;
import dev.rmpopt.kvm.KvmModule;
import dev.rmpopt.kvm.PlacementPolicy;
import dev.rmpopt.telemetry.CoverageSampler;
import dev.rmpopt.telemetry.ReportWriter;
import dev.rmpopt.telemetry.RmpTelemetry;
import dev.rmpopt.telemetry.RmpoptMeters;
import dev.rmpopt.telemetry.TelemetrySnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job: boots a host (SNP_INIT, the kernel's RMPOPT setup and boot pass, model §7), then
 * runs the same VM churn under the v8-v10 policy and under the targeted one, for each frame
 * placement, and prints coverage, writes skipped, passes and their modelled cost side by side,
 * followed by the debugfs {@code rmpopt-table} at the end of the last placement's v8-v10 run
 * exactly as the kernel prints it. What the
 * kernel logs goes to standard error. Each run's telemetry is written beside: an HTML report, a
 * JSON snapshot of every counter and the metrics in the Prometheus text format.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Boot a host, churn VMs under the v8-v10 and the targeted RMPOPT policies, and report.")
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", description = "RMP backend by name (default: ${DEFAULT-VALUE}).")
    String backend = RmpCoreModule.DEFAULT_BACKEND;

    @Option(names = "--sockets", description = "Sockets (default: ${DEFAULT-VALUE}).")
    int sockets = 2;

    @Option(names = "--cores-per-socket", description = "Physical cores per socket (default: ${DEFAULT-VALUE}).")
    int coresPerSocket = 256;

    @Option(names = "--threads-per-core", description = "SMT threads per core, 1 or 2 (default: ${DEFAULT-VALUE}).")
    int threadsPerCore = 2;

    @Option(names = "--numa-nodes-per-socket", description = "NUMA nodes per socket, NPS (default: ${DEFAULT-VALUE}).")
    int numaNodesPerSocket = 1;

    @Option(names = "--memory-gib", description = "Top of RAM in GiB; the MMIO hole [3, 4) GiB is carved out (default: ${DEFAULT-VALUE}).")
    long memoryGib = 2048;

    @Option(names = "--minutes", description = "Simulated minutes of VM churn; 0 boots only (default: ${DEFAULT-VALUE}).")
    long minutes = 60;

    @Option(names = "--vm-gib", split = "-", description = "Smallest and largest VM in GiB (default: 8-128).")
    int[] vmGib = {8, 128};

    @Option(names = "--snp-fraction", description = "Share of VMs that are SNP guests (default: ${DEFAULT-VALUE}).")
    double snpFraction = 0.7;

    @Option(names = "--placement", split = ",", description = "Host frame placements to run, scatter and/or pack (default: scatter,pack).")
    List<String> placements = List.of("scatter", "pack");

    @Option(names = "--seed", description = "Random seed of the churn (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--out", description = "Directory for each run's report.html, telemetry.json and metrics.prom (default: ${DEFAULT-VALUE}).")
    Path outDir = Path.of("rmpopt-out");

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HostDescription host;
        ChurnConfig churn;
        try {
            host = HostDescription.standard(new CpuTopology(sockets, coresPerSocket, threadsPerCore, numaNodesPerSocket),
                    Math.multiplyExact(memoryGib, Geometry.GIB));
            churn = churnConfig();
        } catch (IllegalArgumentException | ArithmeticException e) {
            err.println("rmpopt: " + e.getMessage());
            return 2;
        }
        List<Run> runs = new ArrayList<>();
        for (String placement : minutes == 0 ? placements.subList(0, 1) : placements) {
            runs.add(new Run(Policies.debouncedAfterLastDestroy(), placement));
            if (minutes > 0) {
                runs.add(new Run(Policies.targetedFreedRegions(), placement));
            }
        }
        List<Outcome> churned = new ArrayList<>();
        Outcome tableOutcome = null;
        for (Run run : runs) {
            Outcome outcome;
            try {
                outcome = simulate(run, host, churn, run == runs.get(0) ? out : null, err);
            } catch (ProvisionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                err.println("rmpopt: " + cause.getMessage());
                return 2;
            } catch (IOException e) {
                err.println("rmpopt: cannot write the report: " + e.getMessage());
                return 1;
            }
            if (outcome.report().isPresent()) {
                churned.add(outcome);
            }
            if (run.policy().name().equals(runs.get(0).policy().name())) {
                tableOutcome = outcome;
            }
        }
        if (!churned.isEmpty()) {
            ChurnSummary.print(out, churn, churned.stream().map(o -> new ChurnSummary.Column(o.report().orElseThrow(), o.telemetry())).toList());
        }
        out.println();
        Run tableRun = tableOutcome.run();
        out.println(DebugfsRmpoptTable.PATH + (minutes > 0
                ? " at the end (" + tableRun.policy().name() + ", " + tableRun.placement() + " placement):" : " after boot:"));
        tableOutcome.table().forEach(out::println);
        out.flush();
        return 0;
    }

    private ChurnConfig churnConfig() {
        if (minutes < 0) {
            throw new IllegalArgumentException("--minutes must not be negative");
        }
        if (vmGib.length != 2) {
            throw new IllegalArgumentException("--vm-gib takes MIN-MAX, for example 8-128");
        }
        placements.forEach(this::placement);
        ChurnConfig d = ChurnConfig.defaults();
        return new ChurnConfig(Math.max(1, minutes) * 60 * EventScheduler.SECOND, d.meanArrivalNanos(), d.meanLifetimeNanos(),
                vmGib[0], vmGib[1], snpFraction, d.acceptFraction(), d.sharedBounceBytes(), d.writesPerVmPerSecond(),
                d.sampleNanos(), seed);
    }

    /** One churn run: a kernel policy under a placement. */
    private record Run(RmpoptPolicy policy, String placement) {
    }

    /**
     * What a run left: its churn report (none when only booting), its telemetry at the end and the
     * debugfs table at its end.
     */
    private record Outcome(Run run, Optional<ChurnReport> report, TelemetrySnapshot telemetry, List<String> table) {
    }

    /**
     * Boots a fresh host wired for {@code run}, churns it (unless only booting), and writes its
     * telemetry; {@code bootOut}, when given, hears what the boot did.
     */
    private Outcome simulate(Run run, HostDescription host, ChurnConfig churn, PrintWriter bootOut, PrintWriter err)
            throws IOException {
        RmpTelemetry telemetry = new RmpTelemetry(host);
        Injector injector = injector(host, run.policy(), placement(run.placement()), telemetry);
        Hypervisor hypervisor = injector.getInstance(Hypervisor.class);
        EventScheduler scheduler = injector.getInstance(EventScheduler.class);
        if (bootOut != null) {
            err.printf("host: %s; RMP %d MiB; backend %s%n", host.summary(), host.rmpBytes() >> 20, backend);
        }
        SetupResult setup = hypervisor.bootSnp();
        scheduler.runUntil(scheduler.now()); // a boot pass queued with no delay (v8+) runs now
        if (bootOut != null) {
            printBoot(bootOut, err, setup, telemetry.snapshot(scheduler.now()).passes().get(0));
        }
        CoverageSampler sampler = new CoverageSampler(hypervisor.machine(), telemetry);
        Optional<ChurnReport> report = Optional.empty();
        if (minutes > 0) {
            report = Optional.of(new ChurnSimulation(hypervisor, scheduler, churn, sampler::sample).run());
        } else {
            sampler.sample(scheduler.now());
        }
        List<String> table = telemetry.observe(() -> DebugfsRmpoptTable.lines(hypervisor.machine(), setup.passRange()));
        TelemetrySnapshot snapshot = telemetry.snapshot(scheduler.now());
        writeTelemetry(outDir.resolve(minutes == 0 ? "boot" : run.placement() + "-" + run.policy().name()), telemetry,
                snapshot, err);
        return new Outcome(run, report, snapshot, table);
    }

    private static void writeTelemetry(Path dir, RmpTelemetry telemetry, TelemetrySnapshot snapshot, PrintWriter err)
            throws IOException {
        ReportWriter.write(dir, snapshot);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new RmpoptMeters(telemetry).bindTo(prometheus);
        Files.writeString(dir.resolve("metrics.prom"), prometheus.scrape());
        prometheus.close();
        err.println("wrote " + dir.resolve("report.html") + ", telemetry.json and metrics.prom");
        err.flush();
    }

    private Injector injector(HostDescription host, RmpoptPolicy policy, PlacementPolicy placement, RmpTelemetry telemetry) {
        return Guice.createInjector(new RmpCoreModule(), new KvmModule(), new AbstractModule() {
            @Override
            protected void configure() {
                bind(HostDescription.class).toInstance(host);
                RmpCoreModule.selectBackend(binder(), backend);
                RmpCoreModule.addListener(binder(), telemetry);
                Multibinder.newSetBinder(binder(), KernelListener.class).addBinding().toInstance(telemetry);
                OptionalBinder.newOptionalBinder(binder(), RmpoptPolicy.class).setBinding().toInstance(policy);
                OptionalBinder.newOptionalBinder(binder(), PlacementPolicy.class).setBinding().toInstance(placement);
            }
        });
    }

    private PlacementPolicy placement(String name) {
        switch (name) {
            case "scatter":
                return PlacementPolicy.scatter(seed);
            case "pack":
                return PlacementPolicy.packSnpRegions();
            default:
                throw new IllegalArgumentException("--placement is scatter or pack, not " + name);
        }
    }

    private static void printBoot(PrintWriter out, PrintWriter err, SetupResult setup, PassRecord boot) {
        err.printf("SEV-SNP: Attempt RMP optimizations on physical address range @1GB alignment [0x%016x - 0x%016x]%n",
                setup.passRange().start(), setup.passRange().end());
        setup.unoptimizedAbove().ifPresent(above ->
                err.printf("SEV-SNP: RMPOPT coverage limited to 2TB; memory above 0x%x not optimized%n", above));
        err.flush();
        out.printf("Boot: SNP_INIT, RMPOPT_BASE on %d cores, boot pass over %d regions: %d optimized, "
                        + "%d RMPOPT instructions, %d IPI rounds, modelled %s, longest CPU interruption %s%n",
                setup.cpus(), boot.regions(), boot.regionsClean(), boot.rmpoptInstructions(), boot.ipiRounds(),
                ChurnSummary.millis(boot.modeledNanos()), ChurnSummary.micros(boot.jitter().worstInterruptionNanos()));
    }
}

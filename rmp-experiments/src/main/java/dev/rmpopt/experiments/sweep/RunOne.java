package dev.rmpopt.experiments.sweep;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.experiments.Placements;
import dev.rmpopt.experiments.SimulatedHost;
import dev.rmpopt.experiments.scenario.PolicySpec;
import dev.rmpopt.experiments.scenario.Scenario;
import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.KernelRmpopt;
import dev.rmpopt.kernel.SetupResult;
import dev.rmpopt.kernel.files.DebugfsRmpoptTable;
import dev.rmpopt.kvm.ChurnReport;
import dev.rmpopt.kvm.ChurnSimulation;
import dev.rmpopt.kvm.Hypervisor;
import dev.rmpopt.telemetry.CoverageSampler;
import dev.rmpopt.telemetry.RmpTelemetry;
import dev.rmpopt.telemetry.RmpoptMeters;
import dev.rmpopt.telemetry.TelemetrySnapshot;
import dev.rmpopt.telemetry.WriteOutcome;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Runs one {@link RunKey} of a scenario on a fresh host: boots it (SNP_INIT, the kernel's setup
 * and boot pass, model §7.1), churns it, and keeps what telemetry saw. Nothing is shared between
 * runs, so runs on different threads do not meet.
 */
final class RunOne {

    private RunOne() {
    }

    static RunResult run(Scenario scenario, PolicySpec policySpec, RunKey key, SweepListener listener, BooleanSupplier cancelled) {
        HostDescription host = scenario.host().description();
        SimulatedHost booted = SimulatedHost.boot(host, scenario.backend(), policySpec.create(),
                Placements.named(key.placement(), key.seed()));
        Hypervisor hypervisor = booted.hypervisor();
        EventScheduler scheduler = booted.scheduler();
        RmpTelemetry telemetry = booted.telemetry();
        SetupResult setup = booted.setup();
        CoverageSampler sampler = booted.sampler();
        long start = scheduler.now();
        Optional<ChurnReport> report = Optional.empty();
        List<RunResult.WritePoint> writes = new ArrayList<>();
        if (scenario.durationNanos() > 0) {
            policySpec.manualEveryNanos().ifPresent(every -> manualPasses(scheduler, hypervisor.kernel(), every));
            report = Optional.of(new ChurnSimulation(hypervisor, scheduler, scenario.workload(key.seed()), now -> {
                if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("interrupted at " + (now - start) + " ns simulated");
                }
                sampler.sample(now);
                writes.add(writePoint(telemetry, now - start));
                listener.progressed(key, now - start, scenario.durationNanos());
            }).run());
        } else {
            sampler.sample(scheduler.now());
            writes.add(writePoint(telemetry, 0));
        }
        List<String> table = telemetry.observe(() -> DebugfsRmpoptTable.lines(hypervisor.machine(), setup.passRange()));
        TelemetrySnapshot snapshot = telemetry.snapshot(scheduler.now());
        return new RunResult(key, report, snapshot, setup, snapshot.passes().get(0), table, prometheus(scenario, key, telemetry),
                writes);
    }

    private static RunResult.WritePoint writePoint(RmpTelemetry telemetry, long at) {
        long total = 0;
        for (WriteOutcome outcome : WriteOutcome.values()) {
            total += telemetry.writes(outcome);
        }
        return new RunResult.WritePoint(at, telemetry.writes(WriteOutcome.SKIPPED), total);
    }

    /** configfs {@code echo 1 > action} every {@code every} (model §7.6); ignored while a pass runs. */
    private static void manualPasses(EventScheduler scheduler, KernelRmpopt kernel, long every) {
        scheduler.schedule(every, new Runnable() {
            @Override
            public void run() {
                kernel.requestManualPass();
                scheduler.schedule(every, this);
            }
        });
    }

    /** The meters, labelled with the run so that runs scraped together do not collide. */
    private static String prometheus(Scenario scenario, RunKey key, RmpTelemetry telemetry) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(Tags.of("scenario", scenario.name(), "policy", key.policy(), "placement", key.placement(),
                "seed", Long.toString(key.seed()), "backend", scenario.backend()));
        new RmpoptMeters(telemetry).bindTo(registry);
        String text = registry.scrape();
        registry.close();
        return text;
    }
}

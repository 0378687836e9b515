package dev.rmpopt.fleet;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.experiments.Placements;
import dev.rmpopt.experiments.SimulatedHost;
import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.PassTrigger;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.RmpoptPolicy;
import dev.rmpopt.kvm.Arrivals;
import dev.rmpopt.kvm.ChurnReport;
import dev.rmpopt.kvm.ChurnSimulation;
import dev.rmpopt.kvm.ChurnWorkload;
import dev.rmpopt.kvm.Hypervisor;
import dev.rmpopt.kvm.VmEvent;
import dev.rmpopt.telemetry.CoverageSample;
import dev.rmpopt.telemetry.CoverageSampler;
import dev.rmpopt.telemetry.RegionSpan;
import dev.rmpopt.telemetry.RmpTelemetry;
import dev.rmpopt.telemetry.TelemetrySnapshot;
import dev.rmpopt.telemetry.WriteOutcome;
import java.util.ArrayList;
import java.util.List;

/** {@link HostSimulator#standard()}. */
final class StandardHostSimulator implements HostSimulator {

    private static final long serialVersionUID = 1L;

    static final StandardHostSimulator INSTANCE = new StandardHostSimulator();

    private StandardHostSimulator() {
    }

    private Object readResolve() {
        return INSTANCE;
    }

    @Override
    public HostResult simulate(HostTask task) {
        SimSettings settings = task.settings();
        HostPlan plan = task.plan();
        HostDescription host = plan.host().shape().description();
        long seed = settings.hostSeed(plan.host().index());
        RmpoptPolicy policy = Policies.named(settings.policy());
        SimulatedHost booted = SimulatedHost.boot(host, settings.backend(), policy, Placements.named(settings.placement(), seed));
        Hypervisor hypervisor = booted.hypervisor();
        EventScheduler clock = booted.scheduler();
        RmpTelemetry telemetry = booted.telemetry();
        CoverageSampler sampler = booted.sampler();
        long start = clock.now();
        List<CoverageSample> samples = new ArrayList<>();
        ChurnWorkload workload = new ChurnWorkload(settings.durationNanos(), new Arrivals.Scripted(events(plan)),
                settings.guests().behaviour(), settings.guests().hostWritesPerSecond(), settings.sampleNanos(), seed);
        ChurnReport report = new ChurnSimulation(hypervisor, clock, workload, t -> samples.add(sampler.sample(t))).run();
        TelemetrySnapshot snapshot = telemetry.snapshot(clock.now());
        return result(task, report, snapshot, samples, start);
    }

    /** The plan as a trace: each VM launched at its arrival and destroyed at its departure. */
    static List<VmEvent> events(HostPlan plan) {
        List<VmEvent> events = new ArrayList<>();
        for (FleetVm vm : plan.vms()) {
            events.add(new VmEvent.Launch(vm.arrivalNanos(), vm.name(), vm.memoryBytes(), vm.vcpus(), vm.snp()));
            if (vm.departureNanos() != Long.MAX_VALUE) {
                events.add(new VmEvent.Destroy(vm.departureNanos(), vm.name()));
            }
        }
        // departures before arrivals at the same time, as the scheduler saw them (Scripted keeps ties' order)
        events.sort(java.util.Comparator.comparingLong(VmEvent::timeNanos)
                .thenComparingInt(e -> e instanceof VmEvent.Destroy ? 0 : 1));
        return events;
    }

    private static HostResult result(HostTask task, ChurnReport report, TelemetrySnapshot t, List<CoverageSample> samples,
                                     long start) {
        HostPlan plan = task.plan();
        HostGroup shape = plan.host().shape();
        int cores = t.host().cores();
        RegionSpan span = t.host().coverageSpan();
        List<CoveragePoint> points = new ArrayList<>();
        for (CoverageSample sample : samples) {
            points.add(new CoveragePoint(sample.timeNanos() - start, sample.optimizedPairs(span), (span.end() - span.first()) * cores,
                    sample.regionsOptimizedOnAtLeast(cores), sample.assignedPagesTotal()));
        }
        long passes = 0;
        long modeled = 0;
        long cpu = 0;
        long longest = 0;
        long worst = 0;
        long instructions = 0;
        long boot = 0;
        for (PassRecord pass : t.passes()) {
            if (pass.trigger() == PassTrigger.BOOT) {
                boot += pass.modeledNanos();
                continue;
            }
            passes++;
            modeled += pass.modeledNanos();
            cpu += pass.jitter().totalStolenNanos();
            longest = Math.max(longest, pass.modeledNanos());
            worst = Math.max(worst, pass.jitter().worstInterruptionNanos());
            instructions += pass.rmpoptInstructions();
        }
        return new HostResult(task.settings().scheduler(), plan.host().index(), plan.host().name(), shape.shape(),
                shape.memoryGib(), cores, plan.vms().size(), (int) plan.snpVms(), report.vmsLaunched(),
                report.vmsDestroyed(), report.launchesRefused(), t.writes().get(WriteOutcome.SKIPPED).total(),
                t.writes().get(WriteOutcome.CHECKED).total(), t.snpGuestWrites().get(WriteOutcome.CHECKED), passes, modeled,
                cpu, longest, worst, instructions, boot, HostResult.meanOf(points), HostResult.endOf(points), points);
    }
}

package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.GIB;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.KernelRmpopt;
import dev.rmpopt.kernel.PassRecord;
import dev.rmpopt.kernel.RegionClearTracker;
import dev.rmpopt.kernel.RmpoptCostModel;
import dev.rmpopt.kernel.RmpoptPolicy;
import dev.rmpopt.telemetry.CoverageSample;
import dev.rmpopt.telemetry.CoverageSampler;
import dev.rmpopt.telemetry.RmpTelemetry;
import dev.rmpopt.telemetry.WriteOutcome;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A small simulated host wired by hand, as {@link KvmModule} would wire it, observed by telemetry
 * (the owner of write counts, passes and coverage).
 */
final class Sim {
    final SnpMachine machine;
    final EventScheduler scheduler = new EventScheduler();
    final RegionClearTracker clears = new RegionClearTracker();
    final RmpTelemetry telemetry;
    final CoverageSampler sampler;
    final KernelRmpopt kernel;
    final HostFrameAllocator frames;
    final Hypervisor hypervisor;

    Sim(RmpoptPolicy policy, PlacementPolicy placement) {
        this(HostDescription.standard(new CpuTopology(2, 2, 2), 16 * GIB), policy, placement);
    }

    /** 2 sockets x 2 cores x 2 threads: firmware in region 0, RMP segments in regions 7 and 15, hole in 3. */
    Sim(HostDescription host, RmpoptPolicy policy, PlacementPolicy placement) {
        this(host, "reference", UnaryOperator.identity(), policy, placement);
    }

    /** A host on {@code backend}, its machine wrapped by {@code wrap} (a checking proxy, for example). */
    Sim(HostDescription host, String backend, UnaryOperator<SnpMachine> wrap, RmpoptPolicy policy, PlacementPolicy placement) {
        this(host, backend, wrap, policy, placement, RmpoptCostModel.AMD_PUBLISHED);
    }

    /** As above, with {@code costs}. */
    Sim(HostDescription host, String backend, UnaryOperator<SnpMachine> wrap, RmpoptPolicy policy, PlacementPolicy placement,
        RmpoptCostModel costs) {
        this(host, backend, ModelOptions.DEFAULTS, wrap, policy, placement, costs);
    }

    /** As above, with the machine's {@code options}. */
    Sim(HostDescription host, String backend, ModelOptions options, UnaryOperator<SnpMachine> wrap, RmpoptPolicy policy,
        PlacementPolicy placement, RmpoptCostModel costs) {
        telemetry = new RmpTelemetry(host);
        machine = wrap.apply(RmpBackendProvider.named(backend).create(host, options,
                RmpEventListener.compose(clears, telemetry)));
        sampler = new CoverageSampler(machine, telemetry);
        kernel = new KernelRmpopt(machine, clears, scheduler, policy, costs, telemetry);
        frames = new HostFrameAllocator(host, placement);
        hypervisor = new Hypervisor(machine, frames, kernel);
    }

    /** SNP_INIT and the kernel's setup, then what is due now (a v8+ boot pass queued with no delay). */
    void boot() {
        hypervisor.bootSnp();
        scheduler.runUntil(scheduler.now());
    }

    /** A coverage sample now (recorded in the telemetry too). */
    CoverageSample coverage() {
        return sampler.sample(scheduler.now());
    }

    /** Regions optimized on every core now. */
    int regionsOptimizedEverywhere() {
        return coverage().regionsOptimizedOnAtLeast(machine.host().topology().coreCount());
    }

    /** Every pass so far, boot first. */
    List<PassRecord> passes() {
        return telemetry.snapshot(scheduler.now()).passes();
    }

    /** Host-side writes with {@code outcome} so far. */
    long hostWrites(WriteOutcome outcome) {
        return telemetry.writes(outcome);
    }

    /** A churn run of {@code config} on this host, sampled into the telemetry. */
    ChurnReport churn(ChurnConfig config) {
        return new ChurnSimulation(hypervisor, scheduler, config, sampler::sample).run();
    }

    /** The mean share of (region, core) pairs optimized over the samples taken so far. */
    double meanCoverage() {
        return java.util.Arrays.stream(telemetry.snapshot(scheduler.now()).passRangeCoverage()).average().orElse(0);
    }
}

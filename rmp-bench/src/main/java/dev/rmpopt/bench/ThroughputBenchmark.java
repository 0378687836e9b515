package dev.rmpopt.bench;

import static dev.rmpopt.api.Geometry.TIB;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.KernelListener;
import dev.rmpopt.kernel.KernelRmpopt;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.RegionClearTracker;
import dev.rmpopt.kernel.RmpoptCostModel;
import dev.rmpopt.kvm.ChurnConfig;
import dev.rmpopt.kvm.ChurnReport;
import dev.rmpopt.kvm.ChurnSimulation;
import dev.rmpopt.kvm.HostFrameAllocator;
import dev.rmpopt.kvm.Hypervisor;
import dev.rmpopt.kvm.PlacementPolicy;
import dev.rmpopt.telemetry.CoverageSampler;
import dev.rmpopt.telemetry.RmpTelemetry;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Simulation throughput: one (policy, placement) run of the main job's default scenario (a 2 TiB
 * host, 2 sockets x 256 cores x 2 threads, 60 simulated minutes of the default churn, seed 42),
 * wired as the command line wires it, timed from after the boot pass to the end of the churn.
 * Simulated seconds per wall-clock second are {@code 3600 / score}.
 *
 * <ul>
 *   <li>{@code telemetry=on}: the machine's events and the kernel's passes feed an
 *       {@link RmpTelemetry}, and coverage is sampled every 30 simulated seconds, as the main job
 *       does;</li>
 *   <li>{@code telemetry=off}: only what the kernel needs (its clear tracker) listens, and nothing
 *       samples;</li>
 *   <li>{@link #bareScheduler}: the event scheduler alone running as many no-op events as the run
 *       does, each scheduling the next, so the ratios show what the model and the observation
 *       cost above the discrete-event loop.</li>
 * </ul>
 *
 * <p>One run at a time (one thread), a fresh host per iteration, booted untimed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2)
@Measurement(iterations = 4)
public class ThroughputBenchmark {

    /** The main job's default churn, 60 minutes, seed 42. */
    static final ChurnConfig CHURN = defaultChurn();

    @Param({"v8-v10", "targeted"})
    public String policy;

    @Param({"scatter", "pack"})
    public String placement;

    @Param({"on", "off"})
    public String telemetry;

    private EventScheduler scheduler;
    private ChurnSimulation simulation;
    /** Events a run of this (policy, placement) runs, counted once per trial. */
    private long events;

    static ChurnConfig defaultChurn() {
        ChurnConfig d = ChurnConfig.defaults();
        return new ChurnConfig(60 * 60 * EventScheduler.SECOND, d.meanArrivalNanos(), d.meanLifetimeNanos(), 8, 128, 0.7,
                d.acceptFraction(), d.sharedBounceBytes(), d.writesPerVmPerSecond(), d.sampleNanos(), 42);
    }

    @Setup(Level.Trial)
    public void countEvents() {
        prepare();
        long before = scheduler.eventsRun();
        simulation.run();
        events = scheduler.eventsRun() - before;
    }

    /** A fresh host wired for the run, SNP initialized and the boot pass done. */
    @Setup(Level.Iteration)
    public void prepare() {
        HostDescription host = HostDescription.standard(new CpuTopology(2, 256, 2), 2 * TIB);
        scheduler = new EventScheduler();
        RegionClearTracker clears = new RegionClearTracker();
        boolean observed = telemetry.equals("on");
        RmpTelemetry counters = observed ? new RmpTelemetry(host) : null;
        SnpMachine machine = RmpBackendProvider.named("scalable").create(host, ModelOptions.DEFAULTS,
                observed ? RmpEventListener.compose(clears, counters) : clears);
        KernelRmpopt kernel = new KernelRmpopt(machine, clears, scheduler, Policies.named(policy),
                RmpoptCostModel.AMD_PUBLISHED, observed ? counters : KernelListener.NONE);
        PlacementPolicy place = placement.equals("pack") ? PlacementPolicy.packSnpRegions() : PlacementPolicy.scatter(42);
        Hypervisor hypervisor = new Hypervisor(machine, new HostFrameAllocator(host, place), kernel);
        hypervisor.bootSnp();
        scheduler.runUntil(scheduler.now());
        LongConsumer sampler = observed ? new CoverageSampler(machine, counters)::sample : t -> { };
        simulation = new ChurnSimulation(hypervisor, scheduler, CHURN, sampler);
    }

    /** The 60 simulated minutes; returns the VMs launched, so the run is not dead code. */
    @Benchmark
    public int churn() {
        ChurnReport report = simulation.run();
        return report.vmsLaunched();
    }

    /** As many no-op events as {@link #churn} runs, on the scheduler alone, each scheduling the next. */
    @Benchmark
    public long bareScheduler() {
        EventScheduler bare = new EventScheduler();
        SplittableRandom random = new SplittableRandom(42);
        long[] left = {events};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (--left[0] > 0) {
                bare.schedule(random.nextLong(1, EventScheduler.SECOND), next[0]);
            }
        };
        bare.schedule(0, next[0]);
        bare.runAll();
        return bare.eventsRun();
    }
}

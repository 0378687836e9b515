package dev.rmpopt.bench;

import static dev.rmpopt.api.Geometry.TIB;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.kernel.EventScheduler;
import dev.rmpopt.kernel.KernelRmpopt;
import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.RegionClearTracker;
import dev.rmpopt.kernel.RmpoptCostModel;
import java.util.concurrent.TimeUnit;
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
 * Target (e): one full kernel pass (model §7) over a 2 TiB host with AMD's geometry, 2 sockets x
 * 256 cores x 2 threads, by the kernel driver of rmp-kernel: the leader core VERIFYs every
 * region of the range, then every other primary thread VERIFYs each region (1,048,576 RMPOPTs;
 * the followers run on the host's cores, as the kernel's IPI rounds run them on all of theirs).
 * {@code tables=cleared} measures the boot pass (every table reset before each invocation by
 * rewriting RMPOPT_BASE, not timed); {@code tables=set} a repeated pass that finds its bits set.
 * Each invocation is a manual pass (configfs), with the simulated clock moved past the previous
 * pass before it, untimed.
 *
 * <p>Only the scalable backend: the reference stores every page and models hosts up to 64 GiB.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class KernelPassBenchmark {

    @Param({"scalable"})
    public String backend;

    @Param({"cleared", "set"})
    public String tables;

    private SnpMachine machine;
    private final EventScheduler scheduler = new EventScheduler();
    private KernelRmpopt kernel;
    private int[] cpus;
    private long lastRegionsClean;

    @Setup
    public void boot() {
        HostDescription host = HostDescription.standard(new CpuTopology(2, 256, 2), 2 * TIB);
        RegionClearTracker clears = new RegionClearTracker();
        machine = RmpBackendProvider.named(backend).create(host, ModelOptions.DEFAULTS, clears);
        BootedMachine.require(machine.snpInit() == FirmwareStatus.SUCCESS, "SNP_INIT");
        kernel = new KernelRmpopt(machine, clears, scheduler, Policies.bootOnly(), RmpoptCostModel.AMD_PUBLISHED,
                pass -> lastRegionsClean = pass.regionsClean());
        cpus = kernel.cpuSet();
        BootedMachine.require(kernel.boot().bootPass().orElseThrow().regionsClean() > 2000, "the pass optimizes the host");
    }

    @Setup(Level.Invocation)
    public void resetTables() {
        scheduler.runUntil(scheduler.now() + EventScheduler.SECOND);
        if (tables.equals("cleared")) {
            for (int cpu : cpus) {
                machine.wrmsrRmpoptBase(cpu, kernel.passRange().start() | RmpoptBase.ENABLE);
            }
        }
    }

    /** The pass; returns how many regions the leader found clean. */
    @Benchmark
    public long fullPass() {
        BootedMachine.require(kernel.requestManualPass(), "no pass is in progress");
        return lastRegionsClean;
    }
}

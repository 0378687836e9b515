package dev.rmpopt.bench;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.TIB;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.SnpMachine;
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
 * Target (e): one full kernel pass (SPEC 7) over a 2 TiB host with AMD's geometry, 2 sockets x
 * 256 cores x 2 threads: the leader core VERIFYs every region of the range, then for each region
 * every other primary thread VERIFYs it (1,048,576 RMPOPTs), run here one after another on one
 * thread. {@code tables=cleared} measures the boot pass (every table reset before each
 * invocation by rewriting RMPOPT_BASE, not timed); {@code tables=set} a repeated pass that finds
 * its bits set.
 *
 * <p>The loop lives here until the kernel driver of rmp-kvm-adapter exists. Only the scalable
 * backend: the reference stores every page and models hosts up to 64 GiB.
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
    private int[] cpus;
    private long base;
    private long end;

    @Setup
    public void boot() {
        HostDescription host = HostDescription.standard(new CpuTopology(2, 256, 2), 2 * TIB);
        machine = BootedMachine.of(backend, host, ModelOptions.DEFAULTS);
        cpus = host.topology().primaryThreads();
        base = Geometry.alignDown(host.ramStart(), GIB);
        end = Math.min(Geometry.alignUp(host.ramEnd(), GIB), base + ModelOptions.DEFAULT_WINDOW_BYTES);
        BootedMachine.require(fullPass() > 2000 * cpus.length, "the pass optimizes the host");
    }

    @Setup(Level.Invocation)
    public void resetTables() {
        if (tables.equals("cleared")) {
            for (int cpu : cpus) {
                machine.wrmsrRmpoptBase(cpu, base | RmpoptBase.ENABLE);
            }
        }
    }

    /** The pass; returns how many RMPOPTs reported CF=1. */
    @Benchmark
    public int fullPass() {
        int set = 0;
        int leader = cpus[0];
        for (long spa = base; spa < end; spa += GIB) {
            set += machine.rmpopt(leader, spa, RmpoptFunction.VERIFY_AND_REPORT_STATUS).carry() ? 1 : 0;
        }
        for (long spa = base; spa < end; spa += GIB) {
            for (int i = 1; i < cpus.length; i++) {
                set += machine.rmpopt(cpus[i], spa, RmpoptFunction.VERIFY_AND_REPORT_STATUS).carry() ? 1 : 0;
            }
        }
        return set;
    }
}

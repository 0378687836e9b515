package dev.rmpopt.bench;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.PAGE_4K;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.api.SnpMachine;
import java.util.Arrays;
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
 * Target (d): an RMPUPDATE that assigns a page of a region every one of 1024 CPUs has optimized,
 * so it must clear the region on every table before it returns (model §4, I3), against clearing the
 * same number of bits in a bare {@code long[]} row. Before each invocation (not timed) the page is
 * freed and every CPU verifies the region again.
 *
 * <p>Only the scalable backend: refilling the tables takes 1024 VERIFYs per invocation, each of
 * which scans 262,144 entries in the reference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RmpUpdateClearBenchmark {

    @Param({"scalable"})
    public String backend;

    @Param({"PER_CORE", "PER_LOGICAL_CPU"})
    public RmpoptTableScope scope;

    private SnpMachine machine;
    private int cpus;
    private long page;
    private RmpState assign;
    private long[] row;

    @Setup
    public void boot() {
        HostDescription host = HostDescription.standard(new CpuTopology(2, 256, 2), 16 * GIB);
        machine = BootedMachine.of(backend, host, ModelOptions.DEFAULTS.withTableScope(scope));
        cpus = host.topology().cpuCount();
        page = 5 * GIB + 77 * PAGE_4K;
        assign = RmpState.guestPrivate(9, 0, PageSize.SIZE_4K, false);
        int tables = scope == RmpoptTableScope.PER_CORE ? host.topology().coreCount() : cpus;
        row = new long[(tables + 63) / 64];
    }

    @Setup(Level.Invocation)
    public void everyCpuOptimizesTheRegion() {
        machine.rmpUpdate(page, RmpState.shared());
        for (int cpu = 0; cpu < cpus; cpu++) {
            machine.rmpopt(cpu, page, RmpoptFunction.VERIFY_AND_REPORT_STATUS);
        }
        Arrays.fill(row, -1L);
    }

    @Benchmark
    public RmpReturnCode assignAPageOfARegionEveryCpuOptimized() {
        return machine.rmpUpdate(page, assign);
    }

    /** Baseline: count and clear the region's bit of every table in a bare row. */
    @Benchmark
    public int bareRowClear() {
        int cleared = 0;
        for (int i = 0; i < row.length; i++) {
            cleared += Long.bitCount(row[i]);
            row[i] = 0;
        }
        return cleared;
    }
}

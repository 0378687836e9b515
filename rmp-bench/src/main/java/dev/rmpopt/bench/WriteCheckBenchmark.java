package dev.rmpopt.bench;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.PAGE_2M;
import static dev.rmpopt.api.Geometry.PAGE_4K;

import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.SnpMachine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The write check (model §5), targets (a) and (b): a hypervisor write to an optimized region against
 * a bare {@code long[]} bit test, and a write through a 4K mapping to an unoptimized region
 * (a free page beside an assigned one in the same 2 MiB range), and to a region that holds no
 * assigned page but is not optimized, against a bare array lookup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class WriteCheckBenchmark {

    @Param({"scalable", "reference"})
    public String backend;

    private SnpMachine machine;
    private int cpu;
    private long optimizedSpa;
    private long unoptimizedSpa;
    private long emptyRegionSpa;
    private long[] bits;
    private int bit;
    private long[] entries;
    private int entry;

    @Setup
    public void boot() {
        HostDescription host = HostDescription.standard(new CpuTopology(2, 8, 2), 16 * GIB);
        machine = BootedMachine.of(backend, host, ModelOptions.DEFAULTS);
        cpu = 3;
        optimizedSpa = 5 * GIB + 0x123000;
        BootedMachine.require(machine.rmpopt(cpu, optimizedSpa, RmpoptFunction.VERIFY_AND_REPORT_STATUS).carry(), "VERIFY region 5");
        BootedMachine.require(machine.write(cpu, Accessor.HYPERVISOR, optimizedSpa, MappingSize.SIZE_4K) == AccessOutcome.SKIPPED, "skip");
        long assigned = 6 * GIB + 3 * PAGE_2M;
        BootedMachine.require(machine.rmpUpdate(assigned, RmpState.guestPrivate(9, 0, PageSize.SIZE_4K, false)) == RmpReturnCode.SUCCESS, "assign");
        unoptimizedSpa = assigned + 7 * PAGE_4K;
        BootedMachine.require(machine.write(cpu, Accessor.HYPERVISOR, unoptimizedSpa, MappingSize.SIZE_4K) == AccessOutcome.CHECKED, "check");
        emptyRegionSpa = 7 * GIB + 0x456000;
        BootedMachine.require(machine.write(cpu, Accessor.HYPERVISOR, emptyRegionSpa, MappingSize.SIZE_4K) == AccessOutcome.CHECKED, "check empty");
        // the bare equivalents: one bit per (region, core), one long per 4K page
        int cores = host.topology().coreCount();
        bits = new long[(int) host.regionCount() * ((cores + 63) / 64)];
        bit = 5 * 64 + host.topology().coreOf(cpu);
        bits[bit >>> 6] |= 1L << bit;
        entries = new long[(int) Geometry.pfn(host.ramEnd())];
        entry = (int) Geometry.pfn(unoptimizedSpa);
    }

    /** (a) A write whose core holds the region's RMPOPT bit: SKIPPED. */
    @Benchmark
    public AccessOutcome writeToOptimizedRegion() {
        return machine.write(cpu, Accessor.HYPERVISOR, optimizedSpa, MappingSize.SIZE_4K);
    }

    /** (a) baseline: the bit test alone. */
    @Benchmark
    public boolean bareBitTest() {
        return (bits[bit >>> 6] & (1L << bit)) != 0;
    }

    /** (b) A write through a 4K mapping to a free page of a region that cannot optimize: CHECKED. */
    @Benchmark
    public AccessOutcome write4kToUnoptimizedRegion() {
        return machine.write(cpu, Accessor.HYPERVISOR, unoptimizedSpa, MappingSize.SIZE_4K);
    }

    /** (b) A write through a 4K mapping to a region no core has optimized and that holds no assigned page: CHECKED. */
    @Benchmark
    public AccessOutcome write4kToRegionWithoutAssignedPages() {
        return machine.write(cpu, Accessor.HYPERVISOR, emptyRegionSpa, MappingSize.SIZE_4K);
    }

    /** (b) baseline: one lookup of the page's entry in a flat array and a test of its assigned bit. */
    @Benchmark
    public boolean bareEntryLookup() {
        return (entries[entry] & 1) == 0;
    }
}

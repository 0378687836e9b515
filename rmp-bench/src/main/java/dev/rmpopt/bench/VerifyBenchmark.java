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
import dev.rmpopt.api.RmpoptResult;
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
 * RMPOPT VERIFY_AND_REPORT_STATUS (model §4), target (c): of a clean region (CF=1; the bit is
 * already set after the first call, the steady state of repeated passes) and of a region whose
 * only assigned page is its last (CF=0: a scan finds it last), one backend against the other.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class VerifyBenchmark {

    @Param({"scalable", "reference"})
    public String backend;

    private SnpMachine machine;
    private int cpu;
    private long cleanRegion;
    private long lastPageRegion;

    @Setup
    public void boot() {
        HostDescription host = HostDescription.standard(new CpuTopology(2, 8, 2), 16 * GIB);
        machine = BootedMachine.of(backend, host, ModelOptions.DEFAULTS);
        cpu = 3;
        cleanRegion = 5 * GIB;
        lastPageRegion = 6 * GIB;
        long last = lastPageRegion + GIB - PAGE_4K;
        BootedMachine.require(machine.rmpUpdate(last, RmpState.guestPrivate(9, 0, PageSize.SIZE_4K, false)) == RmpReturnCode.SUCCESS, "assign");
        BootedMachine.require(verifyCleanRegion().carry(), "clean region verifies");
        BootedMachine.require(!verifyRegionWhoseLastPageIsAssigned().carry(), "dirty region does not");
    }

    @Benchmark
    public RmpoptResult verifyCleanRegion() {
        return machine.rmpopt(cpu, cleanRegion, RmpoptFunction.VERIFY_AND_REPORT_STATUS);
    }

    @Benchmark
    public RmpoptResult verifyRegionWhoseLastPageIsAssigned() {
        return machine.rmpopt(cpu, lastPageRegion, RmpoptFunction.VERIFY_AND_REPORT_STATUS);
    }
}

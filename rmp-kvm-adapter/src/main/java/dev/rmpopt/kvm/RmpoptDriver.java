package dev.rmpopt.kvm;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.api.WrmsrResult;
import java.util.Arrays;
import java.util.Optional;

/**
 * The Linux kernel's RMPOPT layer (SPEC 7, the v4-v10 patches): setup after SNP_INIT_EX and the
 * full optimization pass with a leader core and one IPI round of followers per region.
 *
 * <p>Setup ({@code snp_setup_rmpopt}): the CPU set is the primary thread of every online core;
 * each gets {@code RMPOPT_BASE = align_down(lowest RAM, 1 GiB) | 1}; the pass range is
 * {@code [base, min(align_up(highest RAM, 1 GiB), base + 2 TiB))}; a first full pass runs at once.
 *
 * <p>A full pass ({@code rmpopt_work_handler}): the leader, the first CPU of the set, runs VERIFY
 * on every region of the range, which caches each region's scan; then, region by region, every
 * other core of the set runs VERIFY (one IPI round per region). The kernel ignores the carry
 * flags; the driver counts them only for reporting.
 *
 * <p>Not thread-safe: the kernel serializes passes on one workqueue, and so does its caller here.
 */
public final class RmpoptDriver {

    /** The kernel's cap: per-CPU RMPOPT tables cover at most 2 TiB (SPEC 4). */
    public static final long KERNEL_WINDOW_BYTES = 2 * Geometry.TIB;

    private final SnpMachine machine;
    private final int[] cpuSet;
    private PhysRange passRange;

    /** A driver for {@code machine}, not yet set up. */
    public RmpoptDriver(SnpMachine machine) {
        this.machine = machine;
        CpuTopology topology = machine.host().topology();
        this.cpuSet = topology.primaryThreads();
    }

    /**
     * {@code snp_setup_rmpopt}: programs RMPOPT_BASE on the primary thread of every core and runs
     * the first full pass. Fails with {@link IllegalStateException}, changing nothing the kernel
     * would not, when SNP is not initialized or the segmented RMP is off (the kernel then leaves
     * RMPOPT disabled).
     *
     * @return the setup's outcome with its first pass
     */
    public SetupResult setup() {
        if (passRange != null) {
            throw new IllegalStateException("RMPOPT is already set up");
        }
        HostDescription host = machine.host();
        if (!machine.isSnpInitialized()) {
            throw new IllegalStateException("RMPOPT is set up after SNP_INIT_EX; SNP is not initialized");
        }
        if (!host.segmentedRmp()) {
            throw new IllegalStateException("RMPOPT optimizations not enabled, segmented RMP required");
        }
        long base = Geometry.alignDown(host.ramStart(), Geometry.REGION_1G);
        for (int cpu : cpuSet) {
            WrmsrResult result = machine.wrmsrRmpoptBase(cpu, base | RmpoptBase.ENABLE);
            if (!(result instanceof WrmsrResult.Written)) {
                throw new IllegalStateException("WRMSR RMPOPT_BASE failed on CPU " + cpu + ": " + result);
            }
        }
        long top = Geometry.alignUp(host.ramEnd(), Geometry.REGION_1G);
        long end = Math.min(top, base + KERNEL_WINDOW_BYTES);
        passRange = new PhysRange(base, end);
        Optional<Long> unoptimizedAbove = top > end ? Optional.of(end) : Optional.empty();
        return new SetupResult(passRange, cpuSet.length, unoptimizedAbove, fullPass());
    }

    /** The range every pass covers; {@link IllegalStateException} before {@link #setup()}. */
    public PhysRange passRange() {
        if (passRange == null) {
            throw new IllegalStateException("RMPOPT is not set up");
        }
        return passRange;
    }

    /** The CPUs the kernel runs RMPOPT on: the primary thread of every core. */
    public int[] cpuSet() {
        return cpuSet.clone();
    }

    /** One full pass over the pass range: leader first, then one follower round per region. */
    public PassResult fullPass() {
        PhysRange range = passRange();
        int leader = cpuSet[0];
        int[] followers = Arrays.stream(cpuSet).filter(cpu -> cpu != leader).toArray();
        long regions = (range.end() - range.start()) / Geometry.REGION_1G;
        long leaderClean = 0;
        for (long pa = range.start(); pa < range.end(); pa += Geometry.REGION_1G) {
            if (verify(leader, pa)) {
                leaderClean++;
            }
        }
        long followerClean = 0;
        for (long pa = range.start(); pa < range.end(); pa += Geometry.REGION_1G) {
            for (int cpu : followers) {
                if (verify(cpu, pa)) {
                    followerClean++;
                }
            }
        }
        long instructions = regions * cpuSet.length;
        return new PassResult(regions, instructions, followers.length == 0 ? 0 : regions, leaderClean,
                leaderClean + followerClean);
    }

    private boolean verify(int cpu, long pa) {
        RmpoptResult result = machine.rmpopt(cpu, pa, RmpoptFunction.VERIFY_AND_REPORT_STATUS);
        if (result instanceof RmpoptResult.InvalidOpcode) {
            throw new IllegalStateException("RMPOPT raised #UD on CPU " + cpu + ": its RMPOPT_BASE is not enabled");
        }
        return result.carry();
    }
}

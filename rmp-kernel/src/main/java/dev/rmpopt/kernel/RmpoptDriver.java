package dev.rmpopt.kernel;

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
import java.util.BitSet;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

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
 * flags; the driver counts them only for its accounting: a region is lost when it was clean at
 * the last pass that covered it and lost its bits since (a {@link RegionClearTracker} tells), and
 * won when this pass finds it clean while it was not optimized before; the modelled duration
 * comes from an {@link RmpoptCostModel}.
 *
 * <p>Not thread-safe: the kernel serializes passes on one workqueue, and so does its caller here.
 * Within a pass, many followers' VERIFYs run on several host threads, as the machine allows
 * (SPEC 4: RMPOPT on different CPUs for one region may run concurrently); listeners hear their
 * events from those threads.
 */
final class RmpoptDriver {

    /** The kernel's cap: per-CPU RMPOPT tables cover at most 2 TiB (SPEC 4). */
    static final long KERNEL_WINDOW_BYTES = 2 * Geometry.TIB;
    /** From this many followers on, follower rounds run on several host threads. */
    private static final int PARALLEL_FOLLOWERS = 64;

    private final SnpMachine machine;
    private final RmpoptCostModel costs;
    private final LongSupplier clock;
    private final KernelListener listener;
    private final RegionClearTracker clears;
    private final int[] cpuSet;
    private PhysRange passRange;
    /** Regions the leader found clean in the pass that last covered them. */
    private final BitSet cleanAtLastPass = new BitSet();
    private long passes;

    /**
     * A driver for {@code machine}, not yet set up.
     *
     * @param clears   a tracker listening to {@code machine}'s events, to account regions won and lost
     * @param costs    what instructions and IPI rounds cost
     * @param clock    the simulated time in nanoseconds, stamped on each pass
     * @param listener told of every pass
     */
    RmpoptDriver(SnpMachine machine, RegionClearTracker clears, RmpoptCostModel costs, LongSupplier clock,
                 KernelListener listener) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.clears = Objects.requireNonNull(clears, "clears");
        this.costs = Objects.requireNonNull(costs, "costs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        CpuTopology topology = machine.host().topology();
        this.cpuSet = topology.primaryThreads();
    }

    /**
     * {@code snp_setup_rmpopt}: programs RMPOPT_BASE on the primary thread of every core and runs
     * the first full pass. Fails with {@link IllegalStateException}, changing nothing, when SNP is
     * not initialized or the segmented RMP is off (the kernel then leaves RMPOPT disabled).
     *
     * @return the setup's outcome with its first pass
     */
    SetupResult setup() {
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
        return new SetupResult(passRange, cpuSet.length, unoptimizedAbove, fullPass(PassTrigger.BOOT));
    }

    /** Whether {@link #setup()} has run. */
    boolean isSetUp() {
        return passRange != null;
    }

    /** The range every pass covers; {@link IllegalStateException} before {@link #setup()}. */
    PhysRange passRange() {
        if (passRange == null) {
            throw new IllegalStateException("RMPOPT is not set up");
        }
        return passRange;
    }

    /** The CPUs the kernel runs RMPOPT on: the primary thread of every core. */
    int[] cpuSet() {
        return cpuSet.clone();
    }

    /** One full pass over the pass range: leader first, then one follower round per region. */
    PassRecord fullPass(PassTrigger trigger) {
        PhysRange range = passRange();
        BitSet regions = new BitSet();
        regions.set(Math.toIntExact(Geometry.regionIndex(range.start())), Math.toIntExact(Geometry.regionIndex(range.end())));
        return pass(trigger, regions);
    }

    /**
     * A pass over only {@code regionIndices} that lie in the pass range (the reviewers' bitmap of
     * regions freed since the last pass, SPEC 7), leader first, then one follower round per region.
     */
    PassRecord targetedPass(BitSet regionIndices) {
        PhysRange range = passRange();
        BitSet regions = (BitSet) regionIndices.clone();
        int first = Math.toIntExact(Geometry.regionIndex(range.start()));
        int end = Math.toIntExact(Geometry.regionIndex(range.end()));
        regions.clear(0, first);
        if (regions.length() > end) {
            regions.clear(end, regions.length());
        }
        return pass(PassTrigger.TARGETED, regions);
    }

    private PassRecord pass(PassTrigger trigger, BitSet regions) {
        long start = clock.getAsLong();
        int leader = cpuSet[0];
        int[] followers = Arrays.stream(cpuSet).filter(cpu -> cpu != leader).toArray();
        BitSet clean = new BitSet();
        long nanos = 0;
        for (int r = regions.nextSetBit(0); r >= 0; r = regions.nextSetBit(r + 1)) {
            boolean ok = verify(leader, Geometry.regionBase(r));
            if (ok) {
                clean.set(r);
            }
            nanos += costs.leaderNanos(ok);
        }
        runFollowers(followers, regions);
        for (int r = regions.nextSetBit(0); r >= 0; r = regions.nextSetBit(r + 1)) {
            nanos += costs.followerRoundNanos(clean.get(r), followers.length);
        }
        // optimized on the leader before this pass: clean when last verified and not cleared since
        BitSet lost = (BitSet) cleanAtLastPass.clone();
        lost.and(regions);
        lost.and(clears.takeCleared(regions));
        BitSet before = (BitSet) cleanAtLastPass.clone();
        before.and(regions);
        before.andNot(lost);
        BitSet won = (BitSet) clean.clone();
        won.andNot(before);
        for (int r = regions.nextSetBit(0); r >= 0; r = regions.nextSetBit(r + 1)) {
            cleanAtLastPass.set(r, clean.get(r));
        }
        long count = regions.cardinality();
        PassRecord record = new PassRecord(++passes, trigger, start, nanos, count, count * cpuSet.length,
                followers.length == 0 ? 0 : count, clean.cardinality(), won.cardinality(), lost.cardinality());
        listener.onPass(record);
        return record;
    }

    /**
     * Every follower VERIFYs every region. The kernel sends one IPI round per region and the
     * followers run in parallel; here, with many followers, groups of them run on the host's
     * cores. Nothing changes the RMP during a pass (the simulation is driven by one thread), so
     * each VERIFY's result does not depend on the order: the outcome is the same as one round
     * after another.
     */
    private void runFollowers(int[] followers, BitSet regions) {
        int groups = followers.length < PARALLEL_FOLLOWERS ? 1
                : Math.min(followers.length, ForkJoinPool.getCommonPoolParallelism() + 1);
        IntStream stream = IntStream.range(0, groups);
        (groups > 1 ? stream.parallel() : stream).forEach(group -> {
            int from = followers.length * group / groups;
            int to = followers.length * (group + 1) / groups;
            for (int r = regions.nextSetBit(0); r >= 0; r = regions.nextSetBit(r + 1)) {
                for (int i = from; i < to; i++) {
                    verify(followers[i], Geometry.regionBase(r));
                }
            }
        });
    }

    private boolean verify(int cpu, long pa) {
        RmpoptResult result = machine.rmpopt(cpu, pa, RmpoptFunction.VERIFY_AND_REPORT_STATUS);
        if (result instanceof RmpoptResult.InvalidOpcode) {
            throw new IllegalStateException("RMPOPT raised #UD on CPU " + cpu + ": its RMPOPT_BASE is not enabled");
        }
        return result.carry();
    }
}

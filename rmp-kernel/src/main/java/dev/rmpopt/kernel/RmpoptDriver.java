package dev.rmpopt.kernel;

import dev.rmpopt.api.CpuMask;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.RmpoptResults;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.api.WrmsrResult;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/**
 * The Linux kernel's RMPOPT layer (model §7): setup after SNP_INIT_EX, and the passes, in the shape
 * of the kernel version the caller names.
 *
 * <p>Setup ({@code snp_setup_rmpopt}): the CPU set is the primary thread of every online core;
 * each gets {@code RMPOPT_BASE = align_down(lowest RAM, 1 GiB) | 1} (the MSR is per core, so its
 * sibling threads share it); the pass range is
 * {@code [base, min(align_up(highest RAM, 1 GiB), base + 2 TiB))}.
 *
 * <p>A pass ({@code rmpopt_work_handler}) runs on the issuer, the CPU that runs the work item. In
 * the v3+ shape the issuer, the leader, VERIFYs every region, which caches each region's scan;
 * then, region by region, the primary thread of every other core VERIFYs it (one IPI round per
 * region). Without a leader (v1, v2) every CPU of the round's mask VERIFYs each region at once.
 * The kernel ignores the carry flags; the driver counts them only for its accounting: a region is
 * lost when it was clean at the last pass that covered it and lost its bits since (a
 * {@link RegionClearTracker} tells), and won when this pass finds it clean while it was not
 * optimized before. The modelled duration and what the pass took from each CPU come from an
 * {@link RmpoptCostModel}, given where each failing region's first assigned page lies
 * ({@link SnpMachine#firstAssignedPage}).
 *
 * <p>Not thread-safe: the kernel serializes passes on one workqueue, and so does its caller here.
 * Each IPI round is one {@link SnpMachine#rmpoptOnCpus} call on the caller's thread (model §4.9:
 * RMPOPT on different CPUs for one region may run concurrently; the round is that), so listeners
 * hear a pass's events on one thread, in order.
 */
final class RmpoptDriver {

    /** The kernel's cap: per-CPU RMPOPT tables cover at most 2 TiB (model §4.2). */
    static final long KERNEL_WINDOW_BYTES = 2 * Geometry.TIB;

    private final SnpMachine machine;
    private final RmpoptCostModel costs;
    private final LongSupplier clock;
    private final KernelListener listener;
    private final RegionClearTracker clears;
    /** The primary thread of every online core, fixed at setup (hotplug is refused while SNP is active). */
    private int[] cpuSet;
    /** Every online CPU, fixed at setup. */
    private int[] onlineCpus;
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
        this.onlineCpus = IntStream.range(0, topology.cpuCount()).toArray();
    }

    /**
     * {@code snp_setup_rmpopt} without its boot pass: programs RMPOPT_BASE on the primary thread of
     * every core and fixes the pass range. Fails with {@link IllegalStateException}, changing nothing,
     * when SNP is not initialized or the segmented RMP is off (the kernel then leaves RMPOPT disabled).
     *
     * @return the setup's outcome, with no boot pass yet
     */
    SetupResult setup(BitSet online) {
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
        CpuTopology topology = host.topology();
        int[] primaries = Arrays.stream(topology.primaryThreads()).filter(online::get).toArray();
        if (primaries.length == 0) {
            throw new IllegalStateException("no online core to run RMPOPT on");
        }
        long base = Geometry.alignDown(host.ramStart(), Geometry.REGION_1G);
        for (int cpu : primaries) {
            WrmsrResult result = machine.wrmsrRmpoptBase(cpu, base | RmpoptBase.ENABLE);
            if (!(result instanceof WrmsrResult.Written)) {
                throw new IllegalStateException("WRMSR RMPOPT_BASE failed on CPU " + cpu + ": " + result);
            }
        }
        long top = Geometry.alignUp(host.ramEnd(), Geometry.REGION_1G);
        long end = Math.min(top, base + KERNEL_WINDOW_BYTES);
        cpuSet = primaries;
        onlineCpus = online.stream().filter(topology::isCpu).toArray();
        passRange = new PhysRange(base, end);
        Optional<Long> unoptimizedAbove = top > end ? Optional.of(end) : Optional.empty();
        return new SetupResult(passRange, cpuSet.length, unoptimizedAbove);
    }

    /** Whether {@link #setup} has run and no {@link #cleanup} since. */
    boolean isSetUp() {
        return passRange != null;
    }

    /**
     * {@code rmpopt_cleanup}'s MSR half (v5-v10, model §7.5): RMPOPT_BASE = 0 on the CPU set, then the
     * setup is forgotten, so the next {@link #setup} programs the cores again. The kernel calls it
     * only once X86_SNP_SHUTDOWN has cleared SnpEn; a disabling write is allowed then (model §4.2).
     *
     * @throws IllegalStateException if not set up, or if a core refuses the write
     */
    void cleanup() {
        if (passRange == null) {
            throw new IllegalStateException("RMPOPT is not set up");
        }
        for (int cpu : cpuSet) {
            WrmsrResult result = machine.wrmsrRmpoptBase(cpu, 0);
            if (!(result instanceof WrmsrResult.Written)) {
                throw new IllegalStateException("WRMSR RMPOPT_BASE = 0 failed on CPU " + cpu + ": " + result);
            }
        }
        passRange = null;
        cleanAtLastPass.clear();
    }

    /** The range every pass covers; {@link IllegalStateException} before {@link #setup}. */
    PhysRange passRange() {
        if (passRange == null) {
            throw new IllegalStateException("RMPOPT is not set up");
        }
        return passRange;
    }

    /** The CPUs the kernel runs RMPOPT on: the primary thread of every online core. */
    int[] cpuSet() {
        return cpuSet.clone();
    }

    /** One full pass over the pass range, in {@code shape}, run by {@code issuer}. */
    PassRecord fullPass(PassTrigger trigger, PassShape shape, int issuer) {
        PhysRange range = passRange();
        BitSet regions = new BitSet();
        regions.set(Math.toIntExact(Geometry.regionIndex(range.start())), Math.toIntExact(Geometry.regionIndex(range.end())));
        return pass(trigger, regions, shape, issuer);
    }

    /**
     * A pass over only {@code regionIndices} that lie in the pass range (the reviewers' bitmap of
     * regions freed since the last pass, model §7.4), in {@code shape}, run by {@code issuer}.
     */
    PassRecord targetedPass(BitSet regionIndices, PassShape shape, int issuer) {
        PhysRange range = passRange();
        BitSet regions = (BitSet) regionIndices.clone();
        int first = Math.toIntExact(Geometry.regionIndex(range.start()));
        int end = Math.toIntExact(Geometry.regionIndex(range.end()));
        regions.clear(0, first);
        if (regions.length() > end) {
            regions.clear(end, regions.length());
        }
        return pass(PassTrigger.TARGETED, regions, shape, issuer);
    }

    /**
     * The CPUs each round of a pass in {@code shape} run by {@code issuer} interrupts: v3+, the primary
     * thread of every other core (a leader on a secondary thread leaves its own core out); v1, every
     * primary thread but the issuer; v2, every online CPU but the issuer.
     */
    int[] targets(PassShape shape, int issuer) {
        CpuTopology topology = machine.host().topology();
        if (!topology.isCpu(issuer) || Arrays.stream(onlineCpus).noneMatch(cpu -> cpu == issuer)) {
            throw new IllegalArgumentException("CPU " + issuer + " is not an online CPU of the host's " + topology.cpuCount());
        }
        return switch (shape) {
            case LEADER_THEN_FOLLOWERS -> Arrays.stream(cpuSet).filter(cpu -> topology.coreOf(cpu) != topology.coreOf(issuer)).toArray();
            case PRIMARY_THREADS_NO_LEADER -> Arrays.stream(cpuSet).filter(cpu -> cpu != issuer).toArray();
            case ALL_CPUS_NO_LEADER -> Arrays.stream(onlineCpus).filter(cpu -> cpu != issuer).toArray();
        };
    }

    private PassRecord pass(PassTrigger trigger, BitSet regions, PassShape shape, int issuer) {
        long start = clock.getAsLong();
        int[] targets = targets(shape, issuer);
        // Without a leader the issuer runs its own VERIFY only when it is in the round's mask (v1:
        // primary threads, v2: every CPU), after sending the IPIs; with one it runs every VERIFY first.
        boolean issuerVerifies = shape != PassShape.PRIMARY_THREADS_NO_LEADER || machine.host().topology().isPrimaryThread(issuer);
        BitSet clean = new BitSet();
        BitSet cleanOnFirstTarget = shape.hasLeader() ? null : runFollowers(targets, regions);
        if (issuerVerifies) {
            for (int r = regions.nextSetBit(0); r >= 0; r = regions.nextSetBit(r + 1)) {
                if (verify(issuer, Geometry.regionBase(r))) {
                    clean.set(r);
                }
            }
        } else {
            clean.or(cleanOnFirstTarget);
        }
        if (shape.hasLeader()) {
            runFollowers(targets, regions);
        }
        long[] firstAssigned = new long[regions.cardinality()];
        int i = 0;
        for (int r = regions.nextSetBit(0); r >= 0; r = regions.nextSetBit(r + 1)) {
            // a region that failed with no assigned page (not wholly RAM in RMP coverage) fails at once [M]
            firstAssigned[i++] = clean.get(r) ? -1 : Math.max(0, machine.firstAssignedPage(r));
        }
        RmpoptCostModel.PassCost cost = costs.passCost(shape, issuer, targets.length, firstAssigned);
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
        long verifiers = targets.length + (issuerVerifies ? 1 : 0);
        PassRecord record = new PassRecord(++passes, trigger, shape, start, cost.nanos(), count, count * verifiers,
                targets.length == 0 ? 0 : count, clean.cardinality(), won.cardinality(), lost.cardinality(), cost.jitter());
        listener.onPass(record);
        return record;
    }

    /**
     * Every follower VERIFYs every region: one IPI round per region, as the kernel sends them, each
     * one call of {@link SnpMachine#rmpoptOnCpus} with the followers' mask (model §7; a backend may do
     * the round in O(CPUs / 64)). Nothing changes the RMP during a pass (the simulation is driven by
     * one thread), so each VERIFY's result does not depend on the order of the CPUs in a round.
     *
     * @return the regions the first (lowest) follower found clean
     */
    private BitSet runFollowers(int[] followers, BitSet regions) {
        BitSet cleanOnFirst = new BitSet();
        if (followers.length == 0) {
            return cleanOnFirst;
        }
        CpuMask mask = CpuMask.of(followers);
        int first = mask.nextCpu(0);
        for (int r = regions.nextSetBit(0); r >= 0; r = regions.nextSetBit(r + 1)) {
            RmpoptResults results = machine.rmpoptOnCpus(mask, Geometry.regionBase(r), RmpoptFunction.VERIFY_AND_REPORT_STATUS);
            if (results.invalidOpcodeCount() > 0) {
                int cpu = CpuMask.ofWords(udWords(results, mask)).nextCpu(0);
                throw new IllegalStateException("RMPOPT raised #UD on CPU " + cpu + ": its RMPOPT_BASE is not enabled");
            }
            if (results.carry(first)) {
                cleanOnFirst.set(r);
            }
        }
        return cleanOnFirst;
    }

    private static long[] udWords(RmpoptResults results, CpuMask mask) {
        long[] w = new long[mask.wordCount()];
        for (int i = 0; i < w.length; i++) {
            w[i] = results.invalidOpcodeWord(i);
        }
        return w;
    }

    private boolean verify(int cpu, long pa) {
        RmpoptResult result = machine.rmpopt(cpu, pa, RmpoptFunction.VERIFY_AND_REPORT_STATUS);
        if (result instanceof RmpoptResult.InvalidOpcode) {
            throw new IllegalStateException("RMPOPT raised #UD on CPU " + cpu + ": its RMPOPT_BASE is not enabled");
        }
        return result.carry();
    }
}

package dev.rmpopt.kernel;

import dev.rmpopt.api.Geometry;

/**
 * What an RMPOPT pass costs, derived from the mechanism (model §8.2): per-instruction costs in
 * cycles, IPI costs per target, a clock, and how a round's CPUs overlap. No parameter is fitted to
 * a pass total; AMD's four measured totals are what the model then <em>predicts</em> (the module
 * README and {@code AmdFiguresTest} put each prediction beside the measurement).
 *
 * <p>The mechanism, one region at a time:
 * <ul>
 *   <li><b>A scan.</b> A VERIFY that finds no cached result scans the region's RMP entries in
 *       address order and stops at the first assigned one: {@link #earlyExitCycles} when that is the
 *       first entry, {@link #fullScanCycles} for all 262,144, in proportion between. So where the
 *       assigned page sits matters: the first page costs an early exit, the last a whole scan.</li>
 *   <li><b>The scan cache.</b> The first VERIFY of a region stores its result; later VERIFYs of the
 *       region, on any core, use it and cost {@link #cachedVerifyCycles} alone. Run by many CPUs at
 *       once they contend, each of the {@code n - 1} others adding the same share, so that
 *       {@link #parallelVerifyCpus} of them at once cost {@link #parallelVerifyCycles} each. A VERIFY
 *       that arrives while the region's first scan is still running waits for its result. Whether a
 *       failing scan is cached too is not published: {@link #cachedFailures} chooses, and without it
 *       every core rescans a failing region up to its first assigned page, all at once, sharing
 *       {@link #memoryBytesPerCycle} of memory bandwidth (16 bytes per RMP entry).</li>
 *   <li><b>A round.</b> The issuer sends one IPI per target, {@link #ipiSendCyclesPerTarget} each,
 *       in turn; a target starts its handler when its IPI is sent and spends
 *       {@link #ipiHandlerCycles} in interrupt entry, exit and the call-function bookkeeping besides
 *       its VERIFY. The round ends when the slowest handler ends, and the issuer waits for it: a
 *       round lasts the fan-out to its last target plus that target's handler, not the sum of the
 *       handlers, which run in parallel.</li>
 * </ul>
 *
 * @param clockGhz                 core clock: cycles per nanosecond
 * @param earlyExitCycles          a VERIFY that fails at the region's first entry
 * @param fullScanCycles           a VERIFY that scans all 262,144 entries of a region alone
 * @param cachedVerifyCycles       a VERIFY that uses the region's cached scan, alone
 * @param parallelVerifyCycles     a cached VERIFY while {@code parallelVerifyCpus} CPUs run one at once
 * @param parallelVerifyCpus       how many CPUs ran at once when {@code parallelVerifyCycles} was measured
 * @param ipiSendCyclesPerTarget   the issuer's cost to queue the call and send the IPI to one target
 * @param ipiHandlerCycles         a target's interrupt entry, call-function handling and exit, besides its VERIFY
 * @param memoryBytesPerCycle      memory bandwidth shared by CPUs scanning at once
 * @param cachedFailures           whether a failing scan's result is cached for later VERIFYs as a clean one is
 */
public record RmpoptCostModel(double clockGhz, long earlyExitCycles, long fullScanCycles, long cachedVerifyCycles,
                              long parallelVerifyCycles, int parallelVerifyCpus, long ipiSendCyclesPerTarget,
                              long ipiHandlerCycles, double memoryBytesPerCycle, boolean cachedFailures) {

    /** RMP entries of a 1 GiB region. */
    static final long ENTRIES_PER_REGION = Geometry.REGION_1G / Geometry.PAGE_4K;
    /** Bytes of one RMP entry in hardware (model §3.1). */
    static final long ENTRY_BYTES = 16;

    /**
     * The defaults, from AMD's per-instruction figures (model §8.1) where there are any:
     * <ul>
     *   <li>60 cycles for an early exit: AMD's smallest measured VERIFY, "RMPOPT exits early as it
     *       finds an assigned page on the first RMP entry";</li>
     *   <li>83,680 cycles for a whole scan: the largest VERIFY measured serially with interrupts off
     *       (the first VERIFY of a clean region scans; every later one uses the cache);</li>
     *   <li>3,530 cycles for a cached VERIFY: the middle of the typical serial range, 1,980-5,080;</li>
     *   <li>114,372 cycles for a cached VERIFY with every CPU running one: AMD's parallel average,
     *       taken with {@code on_each_cpu_mask} on all 1,024 CPUs of its machine [M: the CPU count of
     *       that run is not stated; the patches' examples list CPUs 0-1023];</li>
     *   <li>no published figure, so chosen and marked [M]: a 2.0 GHz clock (AMD gave none); 200 cycles
     *       to send one IPI (queuing the call-single data on another core, a cache line, and one
     *       x2APIC ICR write); 1,500 cycles of interrupt entry, handling and exit (about 0.75 us);
     *       400 bytes per cycle of memory bandwidth (800 GB/s, two sockets of DDR5);</li>
     *   <li>failing scans not cached: every core rescans a failing region up to its first assigned
     *       page. AMD only says "the result of the scan" is stored; of AMD's four totals only the 95 ms
     *       run (every region failing at its first page) tells the two readings apart, and it favours
     *       this one (about 106 ms predicted without the cache, 166 ms with it, against 95 ms). It is
     *       a choice, marked [M]; {@link #withCachedFailures} gives the other, and the module README
     *       shows both predictions of the reviewers' worst case.</li>
     * </ul>
     */
    public static final RmpoptCostModel AMD_PUBLISHED = new RmpoptCostModel(2.0, 60, 83_680, 3_530, 114_372, 1024,
            200, 1_500, 400, false);

    /** Rejects costs that are negative or out of order. */
    public RmpoptCostModel {
        if (!(clockGhz > 0) || Double.isInfinite(clockGhz)) {
            throw new IllegalArgumentException("the clock must be positive, not " + clockGhz + " GHz");
        }
        if (earlyExitCycles < 0 || cachedVerifyCycles < 0 || ipiSendCyclesPerTarget < 0 || ipiHandlerCycles < 0) {
            throw new IllegalArgumentException("costs must not be negative");
        }
        if (fullScanCycles < earlyExitCycles) {
            throw new IllegalArgumentException("a whole scan (" + fullScanCycles + " cycles) cannot cost less than an early exit ("
                    + earlyExitCycles + ")");
        }
        if (parallelVerifyCpus < 2 || parallelVerifyCycles < cachedVerifyCycles) {
            throw new IllegalArgumentException("the parallel figure needs at least 2 CPUs and at least the cost of one alone");
        }
        if (!(memoryBytesPerCycle > 0)) {
            throw new IllegalArgumentException("memory bandwidth must be positive, not " + memoryBytesPerCycle);
        }
    }

    /** This model with {@code cachedFailures} set as given. */
    public RmpoptCostModel withCachedFailures(boolean cached) {
        return new RmpoptCostModel(clockGhz, earlyExitCycles, fullScanCycles, cachedVerifyCycles, parallelVerifyCycles,
                parallelVerifyCpus, ipiSendCyclesPerTarget, ipiHandlerCycles, memoryBytesPerCycle, cached);
    }

    /**
     * A scan alone of a region whose first assigned entry is {@code firstAssigned} (0 to 262,143), or
     * of a clean region ({@code firstAssigned < 0}): the whole region.
     */
    public double scanCycles(long firstAssigned) {
        if (firstAssigned < 0) {
            return fullScanCycles;
        }
        return earlyExitCycles + (double) (fullScanCycles - earlyExitCycles) * Math.min(firstAssigned, ENTRIES_PER_REGION)
                / ENTRIES_PER_REGION;
    }

    /** A cached VERIFY while {@code concurrent} CPUs (at least 1) run one at once. */
    public double cachedCycles(int concurrent) {
        double perOther = (double) (parallelVerifyCycles - cachedVerifyCycles) / (parallelVerifyCpus - 1);
        return cachedVerifyCycles + perOther * (Math.max(1, concurrent) - 1);
    }

    /** {@code cycles} in nanoseconds at this clock. */
    public long nanos(double cycles) {
        return Math.round(cycles / clockGhz);
    }

    /**
     * The modelled duration of one pass and what it took from each CPU.
     *
     * @param shape          the pass's shape
     * @param issuerCpu      the CPU running the work item (the leader from v3)
     * @param targets        CPUs each round interrupts
     * @param firstAssigned  per region of the pass, its first assigned entry, or negative when it is clean
     */
    PassCost passCost(PassShape shape, int issuerCpu, int targets, long[] firstAssigned) {
        if (firstAssigned.length == 0) {
            return new PassCost(0, PassJitter.none(issuerCpu));
        }
        double issuer = 0;
        double issuerLongest = 0;
        double targetsTotal = 0;
        double targetLongest = 0;
        // each target's stolen time, by arrival order (on_each_cpu_mask sends in CPU order); with a
        // leader every target runs the same handler each round, so one sum stands for all of them
        // (the same additions in the same order: the same double, in O(regions) rather than
        // O(regions x targets))
        double[] byTarget = new double[shape.hasLeader() ? 0 : targets];
        double everyTarget = 0;
        for (long k : firstAssigned) {
            boolean cachedResult = k < 0 || cachedFailures;
            double fanOut = (double) targets * ipiSendCyclesPerTarget;
            if (shape.hasLeader()) {
                double leader = scanCycles(k);
                double handler = ipiHandlerCycles + (cachedResult ? cachedCycles(targets) : concurrentScan(k, targets));
                double round = targets == 0 ? 0 : fanOut + handler;
                issuer += leader + round;
                issuerLongest = Math.max(issuerLongest, Math.max(leader, round));
                if (targets > 0) {
                    targetsTotal += targets * handler;
                    targetLongest = Math.max(targetLongest, handler);
                    everyTarget += handler;
                }
                continue;
            }
            // No leader: the targets start as their IPIs go out; the first scans, and those arriving
            // during its scan wait for the result (cached), or, for a failing region whose result is
            // not cached, every CPU scans at once. The issuer's own VERIFY runs after the fan-out.
            int concurrent = targets + 1;
            double round;
            if (cachedResult) {
                double scanDone = ipiSendCyclesPerTarget + ipiHandlerCycles + scanCycles(k);
                double cached = cachedCycles(concurrent);
                round = targets == 0 ? scanCycles(k) : Math.max(scanDone, Math.max(fanOut + ipiHandlerCycles, scanDone) + cached);
                for (int t = 0; t < targets; t++) {
                    double arrival = (t + 1.0) * ipiSendCyclesPerTarget;
                    double handler = t == 0 ? ipiHandlerCycles + scanCycles(k)
                            : Math.max(ipiHandlerCycles, scanDone - arrival) + cached;
                    byTarget[t] += handler;
                    targetsTotal += handler;
                    targetLongest = Math.max(targetLongest, handler);
                }
            } else {
                double scan = concurrentScan(k, concurrent);
                double handler = ipiHandlerCycles + scan;
                round = targets == 0 ? scan : fanOut + handler;
                for (int t = 0; t < targets; t++) {
                    byTarget[t] += handler;
                }
                targetsTotal += targets * handler;
                targetLongest = targets == 0 ? targetLongest : Math.max(targetLongest, handler);
            }
            issuer += round;
            issuerLongest = Math.max(issuerLongest, round);
        }
        double worstTarget = shape.hasLeader() && targets > 0 ? Math.max(0, everyTarget) : 0;
        for (double t : byTarget) {
            worstTarget = Math.max(worstTarget, t);
        }
        PassJitter jitter = new PassJitter(issuerCpu, nanos(issuer), nanos(issuerLongest), targets,
                nanos(targetsTotal), nanos(worstTarget), nanos(targetLongest), firstAssigned.length);
        return new PassCost(nanos(issuer), jitter);
    }

    /** {@code cpus} CPUs each scanning a failing region up to its first assigned entry, at once. */
    private double concurrentScan(long firstAssigned, int cpus) {
        double bytes = (double) Math.max(1, cpus) * ENTRY_BYTES * (Math.min(firstAssigned, ENTRIES_PER_REGION - 1) + 1);
        return Math.max(scanCycles(firstAssigned), bytes / memoryBytesPerCycle);
    }

    /**
     * A pass's modelled duration (the issuer's time from its start to its end) and its jitter.
     *
     * @param nanos  the duration
     * @param jitter what it took from each CPU
     */
    record PassCost(long nanos, PassJitter jitter) {
    }
}

package dev.rmpopt.tck;

import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpReadResult;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.ShutdownKind;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.api.WrmsrResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * model §6 under concurrent operations: threads acting as CPUs (more threads than cores: SMT
 * siblings run at once; on wide hosts the CPUs of the table words' boundaries) race in rounds, each
 * round of one kind whose outcome the model defines:
 * <ul>
 *   <li>{@link RoundKind#MIXED}: each thread RMPUPDATEs and PSMASHes its own 2 MiB ranges (it keeps
 *       its own {@link SpecModel} for them) while every thread VERIFYs and writes everywhere; a
 *       write whose whole interval lies inside an interval where a page of its region was
 *       certainly assigned must not be SKIPPED and must be allowed or faulted as that state
 *       decides (I1, I2);</li>
 *   <li>{@link RoundKind#VERIFY_VS_ASSIGN}: CPUs VERIFY, REPORT and write one region while another
 *       CPU assigns a page of it: once the RMPUPDATE returned, no CPU may see CF=1 or skip a write
 *       there (I3), and the page's writes fault (I2);</li>
 *   <li>{@link RoundKind#PSMASH_VS_WRITES}: CPUs write and read a 2M guest range while another
 *       CPU PSMASHes it: it stays assigned throughout, so every write faults, VERIFY gives CF=0, and
 *       every RMPREAD shows the 2M entry or its split;</li>
 *   <li>{@link RoundKind#WRMSR_VS_VERIFY}: one CPU rewrites its core's RMPOPT_BASE between two
 *       bases while its SMT sibling and other cores VERIFY, REPORT and write: the core's results
 *       must fit one of the windows it had, and what its table holds afterwards only VERIFYs after
 *       the last WRMSR began can have set;</li>
 *   <li>{@link RoundKind#FIRMWARE_AMONG}: LAUNCH_UPDATE, DECOMMISSION and PAGE_RECLAIM on one CPU
 *       while others VERIFY and write the pages they change: those stay assigned, so no bit and no
 *       skipped write, and the commands return what they return alone;</li>
 *   <li>{@link RoundKind#SHUTDOWN_AND_INIT}: X86_SNP_SHUTDOWN, a WRMSR and SNP_INIT on one CPU while
 *       others VERIFY, REPORT, write and rewrite their own RMPOPT_BASE: between the shutdown's
 *       return and SNP_INIT's start SnpEn is clear, so every RMPOPT raises #UD (model §4.8), and
 *       after SNP_INIT only VERIFYs that ended after it began can have left bits (I5);</li>
 *   <li>{@link RoundKind#UPDATE_RACE}: two CPUs race RMPUPDATEs and PSMASHes on disjoint pages of
 *       one 2M range, or on two ranges of one region, while others VERIFY the region: each returns
 *       what its CPU's own model says or, with ModelOptions.failInUse on, FAIL_INUSE having
 *       changed nothing (model §4.1).</li>
 * </ul>
 * FAIL_INUSE from any RMPUPDATE or PSMASH of a round is checked alike: allowed only with the option
 * on (half the trials, {@link Scenario#failInUseTrial}), with the operation's own event alone and
 * no entry changed; one the round needs to succeed is retried, as the hypervisor does.
 * In every round: no VERIFY or REPORT gives CF=1, and no write is skipped, on a region that holds
 * an assigned page throughout the round; every write to memory whose state is fixed during the
 * round is allowed or faulted as the full RMP check decides; every operation's event arrives on its
 * own thread before it returns. At the quiescent point after each round RMPREAD shows every range
 * as the sequential models say, and no REPORT_STATUS gives CF=1 for a region holding an assigned
 * page.
 */
final class ConcurrentExploration {

    /** Rounds per trial, and operations per thread per round, at depth 1. */
    static final int ROUNDS = 12;
    static final int OPERATIONS_PER_ROUND = 60;
    /** At most this many threads, whatever the host's CPU count. */
    static final int MAX_THREADS = 10;

    /** The kinds of round. */
    enum RoundKind { MIXED, VERIFY_VS_ASSIGN, PSMASH_VS_WRITES, WRMSR_VS_VERIFY, FIRMWARE_AMONG, SHUTDOWN_AND_INIT, FIRST_INIT, UPDATE_RACE }

    /** Weights of the kinds after the first round (FIRST_INIT is only ever the first round of a trial that starts with SNP off). */
    private static final int[] ROUND_WEIGHTS = {4, 3, 2, 2, 2, 2, 0, 2};
    /** Coverage: a FAIL_INUSE the kit accepted (a permission, not an obligation: never required). */
    static final String FAIL_INUSE_ACCEPTED = "FAIL_INUSE under contention, changing nothing";
    /** Tries of one RMPUPDATE or PSMASH that meets FAIL_INUSE, as the hypervisor retries it, before the kit calls it a livelock. */
    static final int FAIL_INUSE_TRIES = 100_000;
    /** Coverage: the premises of the races. */
    static final String VERIFY_RACING_ASSIGN = "VERIFY CF=1 racing an assigning RMPUPDATE of its region";
    static final String WRITE_DURING_WRMSR = "write on a core while its RMPOPT_BASE was rewritten";
    static final String UD_AFTER_SHUTDOWN = "RMPOPT #UD after a concurrent SNP_SHUTDOWN";
    static final String VERIFY_DURING_INIT = "VERIFY of a firmware region during SNP_INIT";

    private final MachineFactory factory;
    private final TckSettings settings;

    ConcurrentExploration(MachineFactory factory, TckSettings settings) {
        this.factory = factory;
        this.settings = settings;
    }

    /** One write of a mixed round, as the history recorded it. */
    private record WriteRecord(int cpu, long spa, MappingSize mapping, long start, long effect, AccessOutcome outcome) {
    }

    /** One operation of a round: its interval (start tick, event tick, end tick) and result. */
    private record Op(int cpu, String what, long region, long spa, MappingSize mapping, long start, long effect, long end, Object result) {
        boolean isRmpopt() {
            return what.equals("VERIFY") || what.equals("REPORT");
        }

        boolean carry() {
            return result instanceof RmpoptResult && ((RmpoptResult) result).carry();
        }

        boolean skipped() {
            return result instanceof AccessOutcome.Skipped;
        }

        boolean allowed() {
            return result instanceof AccessOutcome && ((AccessOutcome) result).allowed();
        }

        String text() {
            return "cpu " + cpu + ": " + what + (spa >= 0 ? " " + Geometry.hex(spa) : "") + (mapping != null ? " via " + Describe.mapping(mapping) : "")
                    + " (region " + region + ", ticks " + start + ".." + end + ") -> " + Describe.result(result);
        }
    }

    /**
     * The certain state of one range from {@code from} (its change took effect) until a later change
     * begins ({@code until}, exclusive; Long.MAX_VALUE while none has).
     */
    private static final class RangeState {
        final long from;
        long until = Long.MAX_VALUE;
        /** Bit i: the page at {@link HotAddresses#OFFSETS}[i] is assigned. */
        final int assignedPages;
        final boolean anyAssigned;

        RangeState(long from, int assignedPages, boolean anyAssigned) {
            this.from = from;
            this.assignedPages = assignedPages;
            this.anyAssigned = anyAssigned;
        }
    }

    /** Explores with {@code base}'s table scope and clear policy. */
    Verdicts explore(ModelOptions base) {
        long start = System.nanoTime();
        Verdicts verdicts = new Verdicts();
        verdicts.seeds(settings.describeSeeds());
        long[] seeds = settings.fullBudget().trialSeeds("concurrent", TckSettings.CONCURRENT_TRIALS);
        for (long seed : seeds) {
            String failure = trial(seed, base, verdicts.coverage());
            verdicts.trialDone(false);
            if (failure != null) {
                verdicts.fail(Rule.CONCURRENT, failure);
                break;
            }
        }
        verdicts.took((System.nanoTime() - start) / 1_000_000);
        if (verdicts.firstFailure().isEmpty() && !settings.replaying()) {
            for (RoundKind k : RoundKind.values()) {
                long need = seeds.length / 5;
                if (verdicts.coverage().get(roundKey(k)) < need) {
                    verdicts.notVerified("not verified: only " + verdicts.coverage().get(roundKey(k)) + " concurrent rounds of kind " + k
                            + " ran, fewer than the " + need + " the kit requires of itself");
                }
            }
        }
        return verdicts;
    }

    private static String roundKey(RoundKind k) {
        return "concurrent round " + k;
    }

    private String trial(long seed, ModelOptions base, Coverage coverage) {
        SplittableRandom r = new SplittableRandom(seed);
        HostDescription host;
        do {
            host = r.nextInt(10) < 7 ? HostGen.smallHosts().next(r) : HostGen.wideHosts().next(r);
        } while (!host.segmentedRmp() || host.topology().cpuCount() < 2); // RMPOPT needs the segmented RMP (model §3)
        long window = r.nextInt(3) == 0 ? ModelOptions.DEFAULT_WINDOW_BYTES : (1 + r.nextInt(4)) * Geometry.GIB;
        // SnpEn set at power-on (model §4.2 [M] option, as v1-v9 kernels set it at boot): the first SNP_INIT
        // can then race VERIFYs on cores whose RMPOPT_BASE was written before it.
        // With base.failInUse(), half the trials turn the option on (model §4.1): RMPUPDATE and PSMASH may
        // then return FAIL_INUSE while another CPU changes an entry of the region, changing nothing.
        ModelOptions options = base.withWindowBytes(window).withSnpEnabledAtPowerOn(true).withFailInUse(Scenario.failInUseTrial(seed, base));
        HotAddresses hot = HotAddresses.of(host, r);
        return new Trial(new Scenario(seed, host, options, hot, r), coverage).run();
    }

    /** One trial: a machine, its threads and their histories. */
    private final class Trial {
        final Scenario scenario;
        final Coverage coverage;
        final History history = new History();
        final SnpMachine machine;
        /** The machine's sequential state outside the mixed ranges: setups, cleanups and single-writer rounds. */
        final SpecModel baseline;
        final SplittableRandom random;
        final int[] cpus;
        final long standardBase;
        final List<Long> ranges = new ArrayList<>();
        final List<Long> specialRanges = new ArrayList<>();
        final Map<Long, Integer> owner = new TreeMap<>();
        final List<SpecModel> models = new ArrayList<>();
        final Map<Long, List<RangeState>> states = new TreeMap<>();
        final ConcurrentLinkedQueue<WriteRecord> writes = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        RoundKind kind;
        int specialCursor;
        Observation lastSequential;

        Trial(Scenario scenario, Coverage coverage) {
            this.scenario = scenario;
            this.coverage = coverage;
            this.random = scenario.random();
            this.machine = factory.create(scenario.host(), scenario.options(), history);
            this.baseline = new SpecModel(scenario.host(), scenario.options());
            this.standardBase = Geometry.alignDown(scenario.host().ramStart(), Geometry.REGION_1G) | RmpoptBase.ENABLE;
            List<Integer> pool = new ArrayList<>();
            for (int c : scenario.hot().cpus()) {
                pool.add(c);
            }
            Collections.shuffle(pool, new java.util.Random(random.nextLong()));
            // The first two threads are SMT siblings where the host has SMT: they share a table and an MSR.
            List<Integer> chosen = new ArrayList<>();
            int first = pool.get(0);
            chosen.add(first);
            for (int sibling : scenario.host().topology().siblingsOf(first)) {
                if (sibling != first) {
                    chosen.add(sibling);
                }
            }
            for (int c : pool) {
                if (!chosen.contains(c) && chosen.size() < MAX_THREADS) {
                    chosen.add(c);
                }
            }
            this.cpus = chosen.stream().mapToInt(Integer::intValue).toArray();
        }

        String run() {
            // Half the trials start with SNP off and RMPOPT_BASE already written (model §4 allows it, v1-v3
            // did): their first round races the first SNP_INIT against VERIFYs and writes.
            boolean firstInitRaces = random.nextBoolean();
            String setup = firstInitRaces ? null : sequentialOk(new Step.SnpInit());
            for (int cpu : scenario.host().topology().primaryThreads()) {
                setup = setup != null ? setup : sequentialOk(new Step.WriteRmpoptBase(cpu, standardBase));
            }
            if (setup != null) {
                return report(setup);
            }
            // Ranges wholly RAM and free of reserved pages: every other one dealt round-robin to the
            // threads for the mixed rounds, the rest kept for the single-writer rounds.
            for (long r : scenario.hot().ranges()) {
                if (scenario.host().isRam(PhysRange.ofSize(r, Geometry.PAGE_2M)) && allHypervisor(r) && !reserved(r)) {
                    if ((ranges.size() + specialRanges.size()) % 2 == 0) {
                        owner.put(r, ranges.size() % cpus.length);
                        ranges.add(r);
                        states.put(r, new ArrayList<>(List.of(new RangeState(0, 0, false))));
                    } else {
                        specialRanges.add(r);
                    }
                }
            }
            for (int t = 0; t < cpus.length; t++) {
                SpecModel m = new SpecModel(scenario.host(), scenario.options());
                m.snpInit();
                models.add(m);
            }
            for (int round = 1; round <= ROUNDS; round++) {
                kind = round == 1 && firstInitRaces ? RoundKind.FIRST_INIT : pickKind();
                ops.clear();
                String failure = round(kind);
                if (failure == null && !failures.isEmpty()) {
                    failure = failures.peek();
                }
                if (failure != null) {
                    return report("round " + round + " (" + kind + "): " + failure);
                }
                coverage.count(roundKey(kind));
                String quiescent = checkQuiescent();
                if (quiescent != null) {
                    return report("at the quiescent point after round " + round + " (" + kind + "): " + quiescent);
                }
            }
            return null;
        }

        /** Whether every page of the 2M range at {@code range} is a plain HYPERVISOR page (no firmware, no HV_FIXED). */
        private boolean allHypervisor(long range) {
            for (long p = Geometry.pfn(range); p < Geometry.pfn(range) + Geometry.PAGES_PER_2M; p++) {
                if (!baseline.authoritative(p).equals(RmpEntry.HYPERVISOR)) {
                    return false;
                }
            }
            return true;
        }

        /** Whether the 2M range at {@code range} holds a page SNP_INIT reserves (RMP, firmware, HV-fixed). */
        private boolean reserved(long range) {
            PhysRange r = PhysRange.ofSize(range, Geometry.PAGE_2M);
            HostDescription h = scenario.host();
            return h.rmpTable().stream().anyMatch(r::overlaps) || h.firmwarePages().stream().anyMatch(r::overlaps)
                    || h.hvFixedPages().stream().anyMatch(r::overlaps);
        }

        /** {@link #sequential}, and the step must succeed (a setup or cleanup step). */
        private String sequentialOk(Step step) {
            String bad = sequential(step);
            if (bad != null) {
                return bad;
            }
            Object v = lastSequential.value();
            boolean ok = v == RmpReturnCode.SUCCESS || v == FirmwareStatus.SUCCESS || v instanceof WrmsrResult.Written
                    || (v instanceof dev.rmpopt.api.PvalidateResult && ((dev.rmpopt.api.PvalidateResult) v).succeeded());
            return ok ? null : "the kit's own setup step " + step.describe() + " returned " + lastSequential + " (a kit bug)";
        }

        private RoundKind pickKind() {
            int total = 0;
            for (int w : ROUND_WEIGHTS) {
                total += w;
            }
            int pick = random.nextInt(total);
            int k = 0;
            while (pick >= ROUND_WEIGHTS[k]) {
                pick -= ROUND_WEIGHTS[k];
                k++;
            }
            return RoundKind.values()[k];
        }

        private String round(RoundKind k) {
            switch (k) {
                case VERIFY_VS_ASSIGN:
                    return verifyVsAssign();
                case PSMASH_VS_WRITES:
                    return psmashVsWrites();
                case WRMSR_VS_VERIFY:
                    return wrmsrVsVerify();
                case FIRMWARE_AMONG:
                    return firmwareAmong();
                case SHUTDOWN_AND_INIT:
                    return shutdownAndInit();
                case FIRST_INIT:
                    return firstInit();
                case UPDATE_RACE:
                    return updateRace();
                default:
                    return mixed();
            }
        }

        // ------------------------------------------------------------------ the machinery of a round

        /** A step on the machine and on the baseline, one thread alone: both must answer alike and the machine report it. */
        private String sequential(Step step) {
            Observation got = Observation.of(step, machine);
            long event = history.takeEventTick(0);
            Observation want = Observation.of(step, baseline);
            lastSequential = want;
            if (!got.sameAs(want)) {
                return step.describe() + ", with no other CPU running, returned " + got + ", expected " + want;
            }
            if (event == 0 && !(step instanceof Step.RmpRead)) {
                return step.describe() + " returned without reporting its event";
            }
            return null;
        }

        /** Runs {@code body} on one thread per CPU, started together. */
        private void runThreads(IntConsumer body) {
            CyclicBarrier barrier = new CyclicBarrier(cpus.length);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < cpus.length; t++) {
                int me = t;
                Thread th = new Thread(() -> {
                    try {
                        barrier.await(10, TimeUnit.SECONDS);
                        body.accept(me);
                    } catch (RuntimeException | Error e) {
                        failures.add("cpu " + cpus[me] + " threw " + e);
                    } catch (Exception e) {
                        failures.add("cpu " + cpus[me] + " could not start: " + e);
                    }
                }, "rmp-tck-cpu-" + cpus[t]);
                th.setDaemon(true);
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                try {
                    th.join(TimeUnit.SECONDS.toMillis(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add("interrupted");
                    return;
                }
                if (th.isAlive()) {
                    failures.add(th.getName() + " did not finish its operations within 60 s (deadlock?)");
                }
            }
        }

        /** One operation, recorded with its interval; a missing event on the calling thread is a failure. */
        private Object call(int cpu, String what, long region, long spa, MappingSize mapping, Supplier<Object> op) {
            long start = history.tick();
            Object result = op.get();
            long end = history.tick();
            long effect = history.takeEventTick(0);
            Op o = new Op(cpu, what, region, spa, mapping, start, effect == 0 ? end : effect, end, result);
            if (effect == 0 && !what.equals("RMPREAD")) {
                failures.add(o.text() + " returned without its event on the calling thread (RmpEventListener: events come on the "
                        + "thread that executed the operation, before it returns)");
            }
            ops.add(o);
            return result;
        }

        private RmpoptResult rmpopt(int cpu, long region, RmpoptFunction f) {
            return (RmpoptResult) call(cpu, f == RmpoptFunction.REPORT_STATUS ? "REPORT" : "VERIFY", region, -1, null,
                    () -> machine.rmpopt(cpu, Geometry.regionBase(region), f));
        }

        private AccessOutcome write(int cpu, long spa, MappingSize mapping) {
            return (AccessOutcome) call(cpu, "write", Geometry.regionIndex(spa), spa, mapping,
                    () -> machine.write(cpu, Accessor.HYPERVISOR, spa, mapping));
        }

        private Object rmpRead(int cpu, long spa) {
            return call(cpu, "RMPREAD", Geometry.regionIndex(spa), spa, null, () -> machine.rmpRead(spa));
        }

        private void spin(SplittableRandom r, int max) {
            for (int i = r.nextInt(max); i > 0; i--) {
                Thread.onSpinWait();
            }
        }

        /** The model that knows {@code range}'s entries: its owner's for a mixed range, else the baseline. */
        private SpecModel stateOf(long range) {
            Integer t = owner.get(Geometry.alignDown(range, Geometry.PAGE_2M));
            return t == null ? baseline : models.get(t);
        }

        /** Regions holding an assigned page now (firmware pages, mixed ranges, leftovers). */
        private Set<Long> assignedRegions() {
            Set<Long> out = new HashSet<>();
            for (long region = 0; region < scenario.host().regionCount(); region++) {
                if (baseline.regionHoldsAssignedPage(region)) {
                    out.add(region);
                }
            }
            for (long range : ranges) {
                SpecModel m = stateOf(range);
                if (m.anyAssignedIn(Geometry.pfn(range), Geometry.pfn(range) + Geometry.PAGES_PER_2M)) {
                    out.add(Geometry.regionIndex(range));
                }
            }
            return out;
        }

        /** A region to VERIFY: a hot one, one of the first two or the first past the top. */
        private long anyRegion(SplittableRandom r) {
            List<Long> hotRegions = scenario.hot().regions();
            int k = r.nextInt(hotRegions.size() + 1);
            return k == hotRegions.size() ? scenario.host().regionCount() : hotRegions.get(k);
        }

        /** A page of a hot range whose state does not change in this round (mixed ranges change only in mixed rounds). */
        private long stablePage(SplittableRandom r, List<Long> changing) {
            List<Long> candidates = new ArrayList<>(ranges);
            for (long s : specialRanges) {
                if (!changing.contains(s)) {
                    candidates.add(s);
                }
            }
            long range = candidates.isEmpty() ? scenario.hot().ranges().get(0) : candidates.get(r.nextInt(candidates.size()));
            return range + HotAddresses.OFFSETS[r.nextInt(HotAddresses.OFFSETS.length)] * Geometry.PAGE_4K;
        }

        /**
         * Checks every recorded operation against what stays fixed during the round: the regions in
         * {@code assigned} hold an assigned page throughout, and writes to pages outside
         * {@code changing} ranges are decided by their sequential state.
         */
        private String checkStatic(Set<Long> assigned, List<Long> changing) {
            return checkStatic(assigned, changing, null, null);
        }

        /**
         * As above, with RMP checks off between {@code down} (an X86_SNP_SHUTDOWN) and {@code up} (the
         * next SNP_INIT), model §5.5: a write overlapping that stretch may be UNCHECKED, and one wholly
         * inside it must be (or SKIPPED, the bit being consulted first).
         */
        private String checkStatic(Set<Long> assigned, List<Long> changing, Op down, Op up) {
            for (Op o : ops) {
                if (down != null && o.what().equals("write")) {
                    boolean unchecked = o.result() instanceof AccessOutcome.Unchecked;
                    if (o.start() > down.end() && o.end() < up.start() && !unchecked && !o.skipped()) {
                        return o.text() + ", but it ran after " + down.text() + " returned and before " + up.text()
                                + " began, when RMP checks are off (model §5.5)";
                    }
                    if (unchecked && o.end() > down.start() && o.start() < up.end()) {
                        continue;
                    }
                }
                if (assigned.contains(o.region()) && (o.carry() || o.skipped())) {
                    return o.text() + ", but region " + o.region() + " holds an assigned page throughout the round (model §6 I1)";
                }
                if (o.what().equals("write") && scenario.host().isRam(o.spa())
                        && !changing.contains(Geometry.alignDown(o.spa(), Geometry.PAGE_2M))) {
                    boolean allows = stateOf(o.spa()).fullCheckAllows(o.spa(), o.mapping());
                    if (allows != o.allowed()) {
                        return o.text() + ", but the full RMP check, with the page's state fixed during the round, "
                                + (allows ? "allows" : "forbids") + " it (model §6 I2)";
                    }
                }
            }
            return null;
        }

        /** A special range whose region holds no assigned page, or -1. */
        private long cleanSpecialRange(Set<Long> assigned) {
            for (int i = 0; i < specialRanges.size(); i++) {
                long range = specialRanges.get((specialCursor + i) % specialRanges.size());
                if (!assigned.contains(Geometry.regionIndex(range))) {
                    specialCursor += i + 1;
                    return range;
                }
            }
            return -1;
        }

        /** A special range of its own, whatever its region holds, or -1. */
        private long anySpecialRange() {
            if (specialRanges.isEmpty()) {
                return -1;
            }
            return specialRanges.get(specialCursor++ % specialRanges.size());
        }

        // ------------------------------------------------------------------ round kinds

        /** Mixed: each thread changes its own ranges, all VERIFY and write everywhere. */
        private String mixed() {
            long[] seeds = seeds();
            runThreads(me -> mixedThread(me, new SplittableRandom(seeds[me])));
            if (!failures.isEmpty()) {
                return failures.peek();
            }
            Set<Long> firmware = new HashSet<>();
            for (long region = 0; region < scenario.host().regionCount(); region++) {
                if (baseline.regionHoldsAssignedPage(region)) {
                    firmware.add(region);
                }
            }
            for (Op o : ops) {
                if (firmware.contains(o.region()) && o.carry()) {
                    return o.text() + ", but region " + o.region() + " holds pages assigned since SNP_INIT (model §6 I1)";
                }
            }
            for (WriteRecord w : writes) {
                String bad = checkWrite(w);
                if (bad != null) {
                    return bad;
                }
            }
            writes.clear();
            return null;
        }

        private long[] seeds() {
            long[] seeds = new long[cpus.length];
            for (int t = 0; t < cpus.length; t++) {
                seeds[t] = random.nextLong();
            }
            return seeds;
        }

        private void mixedThread(int me, SplittableRandom r) {
            int cpu = cpus[me];
            SpecModel model = models.get(me);
            List<Long> mine = new ArrayList<>();
            owner.forEach((range, t) -> {
                if (t == me) {
                    mine.add(range);
                }
            });
            for (int i = 0; i < OPERATIONS_PER_ROUND; i++) {
                int k = r.nextInt(100);
                if (k < 30 && !mine.isEmpty()) {
                    mutate(cpu, model, mine.get(r.nextInt(mine.size())), r);
                } else if (k < 55) {
                    RmpoptFunction f = r.nextInt(5) == 0 ? RmpoptFunction.REPORT_STATUS : RmpoptFunction.VERIFY_AND_REPORT_STATUS;
                    if (rmpopt(cpu, anyRegion(r), f).carry() && f == RmpoptFunction.VERIFY_AND_REPORT_STATUS) {
                        coverage.count(Coverage.VERIFY_SET_BIT);
                    }
                } else if (!ranges.isEmpty()) {
                    long range = ranges.get(r.nextInt(ranges.size()));
                    long spa = range + HotAddresses.OFFSETS[r.nextInt(HotAddresses.OFFSETS.length)] * Geometry.PAGE_4K;
                    MappingSize mapping = MappingSize.values()[r.nextInt(3)];
                    long s = history.tick();
                    AccessOutcome outcome = machine.write(cpu, Accessor.HYPERVISOR, spa, mapping);
                    long end = history.tick();
                    long effect = history.takeEventTick(0);
                    if (effect == 0) {
                        failures.add("cpu " + cpu + ": a write returned without its onAccess event on the calling thread");
                    }
                    writes.add(new WriteRecord(cpu, spa, mapping, s, effect == 0 ? end : effect, outcome));
                    if (outcome instanceof AccessOutcome.Skipped) {
                        coverage.count(Coverage.SKIPPED_WRITE);
                    }
                }
            }
        }

        /** An RMPUPDATE or PSMASH of the thread's own range, checked against its model and recorded. */
        private void mutate(int cpu, SpecModel model, long range, SplittableRandom r) {
            int asid = 1 + r.nextInt(3);
            long spa = range + HotAddresses.OFFSETS[r.nextInt(HotAddresses.OFFSETS.length)] * Geometry.PAGE_4K;
            Step step;
            switch (r.nextInt(8)) {
                case 0: case 1: case 2:
                    step = new Step.RmpUpdate(Accessor.HYPERVISOR, spa, RmpState.guestPrivate(asid, 0, PageSize.SIZE_4K, false));
                    break;
                case 3: case 4:
                    step = new Step.RmpUpdate(Accessor.HYPERVISOR, spa, RmpState.shared());
                    break;
                case 5:
                    step = new Step.RmpUpdate(Accessor.HYPERVISOR, range, RmpState.guestPrivate(asid, 0, PageSize.SIZE_2M, false));
                    break;
                case 6:
                    step = new Step.RmpUpdate(Accessor.HYPERVISOR, range, RmpState.shared(PageSize.SIZE_2M));
                    break;
                default:
                    step = new Step.Psmash(Accessor.HYPERVISOR, range);
                    break;
            }
            List<RangeState> timeline = states.get(range);
            long start = history.tick();
            synchronized (timeline) {
                timeline.get(timeline.size() - 1).until = start; // the certain state ends where this change may begin
            }
            history.takeHeard();
            Observation got = Observation.of(step, machine);
            long end = history.tick();
            long effect = history.takeEventTick(0);
            History.Heard heard = history.takeHeard();
            if (effect == 0) {
                failures.add("cpu " + cpu + ": " + step.describe() + " returned without its event on the calling thread");
            }
            if (got.value() == RmpReturnCode.FAIL_INUSE) {
                // Nothing changed (checked), so the model is left as it was (model §4.1).
                String bad = failInUse(cpu, step, heard, model, pagesOf(range));
                if (bad != null) {
                    failures.add(bad);
                }
            } else {
                Observation want = Observation.of(step, model);
                if (!got.sameAs(want)) {
                    failures.add("cpu " + cpu + ": " + step.describe() + " returned " + got + ", expected " + want
                            + " (only this CPU changes that range)");
                }
            }
            int pages = 0;
            for (int i = 0; i < HotAddresses.OFFSETS.length; i++) {
                if (model.authoritative(Geometry.pfn(range) + HotAddresses.OFFSETS[i]).assigned()) {
                    pages |= 1 << i;
                }
            }
            boolean any = model.anyAssignedIn(Geometry.pfn(range), Geometry.pfn(range) + Geometry.PAGES_PER_2M);
            synchronized (timeline) {
                timeline.add(new RangeState(effect == 0 ? end : effect, pages, any));
            }
            if (any && got.value() == RmpReturnCode.SUCCESS) {
                coverage.count(Coverage.ASSIGN_OVER_BIT);
            }
        }

        /** The hot pages of the 2M range at {@code range}. */
        private long[] pagesOf(long range) {
            long[] out = new long[HotAddresses.OFFSETS.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = range + HotAddresses.OFFSETS[i] * Geometry.PAGE_4K;
            }
            return out;
        }

        /**
         * model §4.1: an RMPUPDATE or PSMASH that returned FAIL_INUSE (the machine's listener having
         * heard {@code heard} on this thread meanwhile) is allowed only with ModelOptions.failInUse on,
         * with no event but its own with FAIL_INUSE, and with {@code pages} (which only this thread
         * changes) as {@code model}, not yet told of the step, has them; null if so.
         */
        private String failInUse(int cpu, Step step, History.Heard heard, SpecModel model, long[] pages) {
            String what = "cpu " + cpu + ": " + step.describe() + " returned FAIL_INUSE";
            if (!scenario.options().failInUse()) {
                return what + " with ModelOptions.failInUse off (model §4.1: without the option RMPUPDATE and PSMASH wait, never fail)";
            }
            if (!heard.onlyFailInUse()) {
                return what + ", but the listener heard " + heard.operations() + " operation event(s), the last RMPUPDATE/PSMASH one with "
                        + heard.lastUpdateCode() + ", and " + heard.clears() + " clear event(s): a FAIL_INUSE changes nothing and reports "
                        + "only itself, with FAIL_INUSE (model §4.1)";
            }
            for (long p : pages) {
                if (!scenario.host().isRam(p)) {
                    continue;
                }
                RmpReadResult got = machine.rmpRead(p);
                RmpReadResult want = model.rmpRead(p);
                if (!got.equals(want)) {
                    return what + ", but RMPREAD " + Geometry.hex(p) + " then gives " + Describe.result(got) + " where it had "
                            + Describe.result(want) + ": a FAIL_INUSE changes nothing (model §4.1)";
                }
            }
            coverage.count(FAIL_INUSE_ACCEPTED);
            return null;
        }

        /**
         * {@code step} (an RMPUPDATE or PSMASH the round requires to succeed) tried again while it
         * returns FAIL_INUSE, as the hypervisor does (model §4.1), each FAIL_INUSE checked by
         * {@link #failInUse} against {@code model}; the last result.
         */
        private Object retried(int cpu, Step step, SpecModel model, long[] pages) {
            for (int i = 0; i < FAIL_INUSE_TRIES; i++) {
                history.takeHeard();
                Object v = Observation.of(step, machine).value();
                if (v != RmpReturnCode.FAIL_INUSE) {
                    return v;
                }
                String bad = failInUse(cpu, step, history.takeHeard(), model, pages);
                if (bad != null) {
                    failures.add(bad);
                    return v;
                }
                Thread.onSpinWait();
            }
            failures.add("cpu " + cpu + ": " + step.describe() + " returned FAIL_INUSE " + FAIL_INUSE_TRIES + " times in a row (a livelock)");
            return RmpReturnCode.FAIL_INUSE;
        }

        /**
         * Two CPUs race RMPUPDATEs and PSMASHes on one region (model §4.1): the first changes pages 1
         * and 510 of a 2M range and PSMASHes it, the second either a range of its own in the same
         * region (4K and 2M RMPUPDATEs, PSMASH) or pages 255 and 511 of the same range, while the
         * other CPUs VERIFY the region and write pages that stay fixed. Their changes are disjoint, so
         * each CPU's own model says what each returns; with ModelOptions.failInUse on, FAIL_INUSE is
         * allowed too if it changed nothing, and never with the option off.
         */
        private String updateRace() {
            Set<Long> assigned = assignedRegions();
            long range = -1;
            long second = -1;
            for (int i = 0; i < specialRanges.size() && second < 0; i++) {
                long a = specialRanges.get((specialCursor + i) % specialRanges.size());
                if (!allHypervisor(a)) {
                    continue;
                }
                range = range < 0 ? a : range;
                for (long b : specialRanges) {
                    if (b != a && Geometry.regionIndex(b) == Geometry.regionIndex(a) && allHypervisor(b) && random.nextBoolean()) {
                        range = a;
                        second = b;
                        break;
                    }
                }
            }
            specialCursor++;
            if (range < 0) {
                return mixed();
            }
            long x = range;
            long y = second;
            long region = Geometry.regionIndex(x);
            long[][] own = {
                {x, x + Geometry.PAGE_4K, x + 510 * Geometry.PAGE_4K},
                y >= 0 ? pagesOf(y) : new long[] {x, x + 255 * Geometry.PAGE_4K, x + 511 * Geometry.PAGE_4K}};
            SpecModel[] ownModels = new SpecModel[2];
            List<List<Step>> done = List.of(Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
            for (int t = 0; t < 2; t++) {
                ownModels[t] = new SpecModel(scenario.host(), scenario.options());
                ownModels[t].snpInit();
            }
            List<Long> changing = y >= 0 ? List.of(x, y) : List.of(x);
            long[] seeds = seeds();
            runThreads(me -> {
                SplittableRandom r = new SplittableRandom(seeds[me]);
                int cpu = cpus[me];
                for (int i = 0; i < OPERATIONS_PER_ROUND / 2; i++) {
                    if (me >= 2) {
                        if (r.nextBoolean()) {
                            rmpopt(cpu, region, RmpoptFunction.VERIFY_AND_REPORT_STATUS);
                        } else {
                            write(cpu, stablePage(r, changing), MappingSize.SIZE_4K);
                        }
                        continue;
                    }
                    Step step = raceStep(r, me, x, y);
                    SpecModel model = ownModels[me];
                    history.takeHeard();
                    Observation got = Observation.of(step, machine);
                    History.Heard heard = history.takeHeard();
                    if (heard.operations() == 0) {
                        failures.add("cpu " + cpu + ": " + step.describe() + " returned without its event on the calling thread");
                    }
                    if (got.value() == RmpReturnCode.FAIL_INUSE) {
                        String bad = failInUse(cpu, step, heard, model, own[me]);
                        if (bad != null) {
                            failures.add(bad);
                        }
                        continue;
                    }
                    Observation want = Observation.of(step, model);
                    done.get(me).add(step);
                    if (!got.sameAs(want)) {
                        failures.add("cpu " + cpu + ": " + step.describe() + " returned " + got + ", expected " + want
                                + " (the other CPU racing on region " + region + " changes other entries only)");
                    }
                }
            });
            if (!failures.isEmpty()) {
                return failures.peek();
            }
            // Disjoint changes commute: the baseline takes each CPU's in its order, and must agree with RMPREAD.
            for (List<Step> steps : done) {
                for (Step step : steps) {
                    Observation.of(step, baseline);
                }
            }
            for (long[] pages : own) {
                for (long p : pages) {
                    RmpReadResult got = machine.rmpRead(p);
                    RmpReadResult want = baseline.rmpRead(p);
                    if (!got.equals(want)) {
                        return "after the race on region " + region + ", RMPREAD " + Geometry.hex(p) + " gives " + Describe.result(got)
                                + ", but the operations that changed it, each on one CPU, leave " + Describe.result(want);
                    }
                }
            }
            String stat = checkStatic(withoutRegion(assigned, region), changing);
            if (stat != null) {
                return stat;
            }
            history.takeEventTick(0);
            for (long r2 : changing) {
                String bad = restore(r2);
                if (bad != null) {
                    return bad;
                }
            }
            return null;
        }

        /** The next change of a racing CPU: {@code me} 0 its pages of {@code x}, 1 its own range {@code y} or its pages of {@code x}. */
        private Step raceStep(SplittableRandom r, int me, long x, long y) {
            int asid = 1 + r.nextInt(3);
            if (me == 1 && y >= 0) {
                long spa = y + HotAddresses.OFFSETS[r.nextInt(HotAddresses.OFFSETS.length)] * Geometry.PAGE_4K;
                switch (r.nextInt(6)) {
                    case 0: case 1:
                        return new Step.RmpUpdate(Accessor.HYPERVISOR, spa, RmpState.guestPrivate(asid, 0, PageSize.SIZE_4K, false));
                    case 2:
                        return new Step.RmpUpdate(Accessor.HYPERVISOR, spa, RmpState.shared());
                    case 3:
                        return new Step.RmpUpdate(Accessor.HYPERVISOR, y, RmpState.guestPrivate(asid, 0, PageSize.SIZE_2M, false));
                    case 4:
                        return new Step.RmpUpdate(Accessor.HYPERVISOR, y, RmpState.shared(PageSize.SIZE_2M));
                    default:
                        return new Step.Psmash(Accessor.HYPERVISOR, y);
                }
            }
            int[] offsets = me == 0 ? new int[] {1, 510} : new int[] {255, 511};
            long spa = x + offsets[r.nextInt(2)] * Geometry.PAGE_4K;
            switch (r.nextInt(5)) {
                case 0: case 1:
                    return new Step.RmpUpdate(Accessor.HYPERVISOR, spa, RmpState.guestPrivate(asid, 0, PageSize.SIZE_4K, false));
                case 2: case 3:
                    return new Step.RmpUpdate(Accessor.HYPERVISOR, spa, RmpState.shared());
                default:
                    // Page 0 of x stays a 4K hypervisor entry, so this PSMASH's result is fixed whatever the other CPU does.
                    return new Step.Psmash(Accessor.HYPERVISOR, x);
            }
        }

        /** Returns the 2M range at {@code range} to plain hypervisor pages, one CPU alone, the baseline told. */
        private String restore(long range) {
            RmpEntry first = baseline.authoritative(Geometry.pfn(range));
            if (first.pageSize() == PageSize.SIZE_2M) {
                // An assigned 2M entry back to a shared one, then to 4K entries (an unassigned 2M entry gives way).
                String bad = first.assigned() ? sequentialOk(new Step.RmpUpdate(Accessor.HYPERVISOR, range, RmpState.shared(PageSize.SIZE_2M))) : null;
                bad = bad != null ? bad : sequentialOk(new Step.RmpUpdate(Accessor.HYPERVISOR, range, RmpState.shared()));
                if (bad != null) {
                    return bad;
                }
            }
            for (long p = Geometry.pfn(range); p < Geometry.pfn(range) + Geometry.PAGES_PER_2M; p++) {
                if (baseline.authoritative(p).assigned()) {
                    String bad = sequentialOk(new Step.RmpUpdate(Accessor.HYPERVISOR, p * Geometry.PAGE_4K, RmpState.shared()));
                    if (bad != null) {
                        return bad;
                    }
                }
            }
            return null;
        }

        /** VERIFY, REPORT and writes on one region while another CPU assigns a page of it. */
        private String verifyVsAssign() {
            Set<Long> assigned = assignedRegions();
            long range = cleanSpecialRange(assigned);
            if (range < 0) {
                return mixed();
            }
            long region = Geometry.regionIndex(range);
            long page = range + HotAddresses.OFFSETS[random.nextInt(HotAddresses.OFFSETS.length)] * Geometry.PAGE_4K;
            long other = range + (page == range ? 511 : 0) * Geometry.PAGE_4K;
            RmpState state = RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false);
            long[] seeds = seeds();
            Op[] assign = new Op[1];
            runThreads(me -> {
                SplittableRandom r = new SplittableRandom(seeds[me]);
                int cpu = cpus[me];
                for (int i = 0; i < OPERATIONS_PER_ROUND / 2; i++) {
                    if (me == cpus.length - 1 && i == OPERATIONS_PER_ROUND / 8) {
                        spin(r, 500);
                        call(cpu, "assign", region, page, null,
                                () -> retried(cpu, new Step.RmpUpdate(Accessor.HYPERVISOR, page, state), baseline, new long[] {page}));
                        assign[0] = ops.stream().filter(o -> o.what().equals("assign")).findFirst().orElse(null);
                        continue;
                    }
                    int k = r.nextInt(100);
                    if (k < 50) {
                        rmpopt(cpu, region, RmpoptFunction.VERIFY_AND_REPORT_STATUS);
                    } else if (k < 70) {
                        rmpopt(cpu, region, RmpoptFunction.REPORT_STATUS);
                    } else if (k < 85) {
                        write(cpu, page, MappingSize.SIZE_4K);
                    } else {
                        write(cpu, other, MappingSize.SIZE_4K);
                    }
                }
            });
            if (!failures.isEmpty()) {
                return failures.peek();
            }
            Op a = assign[0];
            if (a == null || a.result() != RmpReturnCode.SUCCESS) {
                return "the assigning " + (a == null ? "RMPUPDATE did not run" : a.text()) + ", expected SUCCESS";
            }
            baseline.rmpUpdate(page, state);
            for (Op o : ops) {
                if (o == a || o.region() != region) {
                    continue;
                }
                if (o.start() > a.end() && (o.carry() || (o.skipped()))) {
                    return o.text() + " began after " + a.text() + " returned, so every core's bit of region " + region
                            + " was clear (model §6 I3)";
                }
                if (o.what().equals("write") && o.spa() == page && o.start() > a.end() && o.allowed()) {
                    return o.text() + " began after " + a.text() + " returned: the page is assigned and the write must fault (model §6 I2)";
                }
                if (o.what().equals("write") && o.spa() == page && o.end() < a.start() && !o.allowed()) {
                    return o.text() + " ended before " + a.text() + " began, when the page was shared (model §6 I2)";
                }
                if (o.what().equals("VERIFY") && o.carry() && o.end() >= a.start() && o.start() <= a.end()) {
                    coverage.count(VERIFY_RACING_ASSIGN);
                }
            }
            String stat = checkStatic(withoutRegion(assigned, region), List.of(range));
            if (stat != null) {
                return stat;
            }
            for (int cpu : sweepCpus()) {
                if (baseline.rmpoptEnabled(cpu) && machine.rmpopt(cpu, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS).carry()) {
                    return "after the round, REPORT_STATUS on cpu " + cpu + " gives CF=1 for region " + region + ", whose page "
                            + Geometry.hex(page) + " " + a.text() + " assigned (model §6 I1, I3)";
                }
            }
            history.takeEventTick(0);
            return sequentialOk(new Step.RmpUpdate(Accessor.HYPERVISOR, page, RmpState.shared()));
        }

        private Set<Long> withoutRegion(Set<Long> regions, long region) {
            Set<Long> out = new HashSet<>(regions);
            out.remove(region);
            return out;
        }

        /** Writes and reads of a 2M guest range while another CPU PSMASHes it. */
        private String psmashVsWrites() {
            Set<Long> assigned = assignedRegions();
            long range = anySpecialRange();
            if (range < 0) {
                return mixed();
            }
            int asid = 2;
            String setup = sequentialOk(new Step.RmpUpdate(Accessor.HYPERVISOR, range, RmpState.guestPrivate(asid, 0, PageSize.SIZE_2M, false)));
            setup = setup != null ? setup : sequentialOk(new Step.Pvalidate(asid, range, PageSize.SIZE_2M, true));
            if (setup != null) {
                return setup;
            }
            long region = Geometry.regionIndex(range);
            long[] seeds = seeds();
            Op[] split = new Op[1];
            runThreads(me -> {
                SplittableRandom r = new SplittableRandom(seeds[me]);
                int cpu = cpus[me];
                for (int i = 0; i < OPERATIONS_PER_ROUND / 2; i++) {
                    if (me == 0 && i == OPERATIONS_PER_ROUND / 8) {
                        spin(r, 500);
                        split[0] = new Op(cpu, "PSMASH", region, range, null, 0, 0, 0,
                                call(cpu, "PSMASH", region, range, null,
                                        () -> retried(cpu, new Step.Psmash(Accessor.HYPERVISOR, range), baseline, pagesOf(range))));
                        continue;
                    }
                    long spa = range + (r.nextBoolean() ? HotAddresses.OFFSETS[r.nextInt(HotAddresses.OFFSETS.length)]
                            : r.nextInt(Geometry.PAGES_PER_2M)) * Geometry.PAGE_4K;
                    int k = r.nextInt(100);
                    if (k < 50) {
                        write(cpu, spa, MappingSize.values()[r.nextInt(3)]);
                    } else if (k < 75) {
                        rmpRead(cpu, spa);
                    } else {
                        rmpopt(cpu, region, r.nextBoolean() ? RmpoptFunction.VERIFY_AND_REPORT_STATUS : RmpoptFunction.REPORT_STATUS);
                    }
                }
            });
            if (!failures.isEmpty()) {
                return failures.peek();
            }
            if (split[0] == null || split[0].result() != RmpReturnCode.SUCCESS) {
                return "PSMASH " + Geometry.hex(range) + " of an assigned 2M entry returned " + (split[0] == null ? "nothing" : split[0].result())
                        + ", expected SUCCESS";
            }
            assigned.add(region);
            for (Op o : ops) {
                if (o.region() != region) {
                    continue;
                }
                if (o.what().equals("write") && Geometry.alignDown(o.spa(), Geometry.PAGE_2M) == range && o.allowed()) {
                    return o.text() + ", but every page of the range stays assigned to guest " + asid + " through the PSMASH (model §6 I2)";
                }
                if (o.what().equals("RMPREAD")) {
                    Object res = o.result();
                    RmpEntry e = res instanceof RmpReadResult.Read ? ((RmpReadResult.Read) res).entry() : null;
                    long offset = o.spa() - range;
                    boolean whole = e != null && e.equals(RmpEntry.guestValid(asid, 0, PageSize.SIZE_2M));
                    boolean part = e != null && e.equals(RmpEntry.guestValid(asid, offset, PageSize.SIZE_4K));
                    if (!whole && !part) {
                        return o.text() + ": during a PSMASH a page reads as the 2M entry or as its own 4K part, validated, nothing else";
                    }
                }
            }
            String stat = checkStatic(assigned, List.of(range));
            if (stat != null) {
                return stat;
            }
            baseline.psmash(range);
            for (int off : HotAddresses.OFFSETS) {
                String bad = sequential(new Step.RmpRead(range + off * Geometry.PAGE_4K));
                if (bad != null) {
                    return "after the PSMASH: " + bad;
                }
            }
            for (int p = 0; p < Geometry.PAGES_PER_2M; p++) {
                String bad = sequentialOk(new Step.RmpUpdate(Accessor.HYPERVISOR, range + p * Geometry.PAGE_4K, RmpState.shared()));
                if (bad != null) {
                    return "cleaning up: " + bad;
                }
            }
            return null;
        }

        /** One CPU rewrites its core's RMPOPT_BASE while its sibling and other cores VERIFY, REPORT and write. */
        private String wrmsrVsVerify() {
            Set<Long> assigned = assignedRegions();
            int writer = cpus[0];
            int core = scenario.host().topology().coreOf(writer);
            long base1 = standardBase;
            long base2 = (standardBase & -Geometry.REGION_1G) + Geometry.GIB | RmpoptBase.ENABLE;
            long[] seeds = seeds();
            List<Op> wrmsrs = Collections.synchronizedList(new ArrayList<>());
            long[] last = {base1};
            runThreads(me -> {
                SplittableRandom r = new SplittableRandom(seeds[me]);
                int cpu = cpus[me];
                for (int i = 0; i < OPERATIONS_PER_ROUND; i++) {
                    if (me == 0 && r.nextInt(3) == 0) {
                        long value = (i & 1) == 0 ? base2 : base1;
                        long start = history.tick();
                        call(cpu, "WRMSR", -1, value, null, () -> machine.wrmsrRmpoptBase(cpu, value));
                        wrmsrs.add(new Op(cpu, "WRMSR", -1, value, null, start, 0, 0, null));
                        last[0] = value;
                        continue;
                    }
                    int k = r.nextInt(100);
                    if (k < 45) {
                        rmpopt(cpu, anyRegion(r), RmpoptFunction.VERIFY_AND_REPORT_STATUS);
                    } else if (k < 65) {
                        rmpopt(cpu, anyRegion(r), RmpoptFunction.REPORT_STATUS);
                    } else {
                        write(cpu, stablePage(r, List.of()), MappingSize.values()[r.nextInt(3)]);
                    }
                }
            });
            if (!failures.isEmpty()) {
                return failures.peek();
            }
            String stat = checkStatic(assigned, List.of());
            if (stat != null) {
                return stat;
            }
            long firstWrite = wrmsrs.isEmpty() ? Long.MAX_VALUE : wrmsrs.get(0).start();
            for (Op o : ops) {
                if (o.what().equals("WRMSR")) {
                    if (!(o.result() instanceof WrmsrResult.Written)) {
                        return o.text() + ": a WRMSR of an enabled, aligned base after SNP_INIT takes effect";
                    }
                    continue;
                }
                if (scenario.host().topology().coreOf(o.cpu()) != core) {
                    continue;
                }
                if (o.isRmpopt() && o.result() instanceof RmpoptResult.InvalidOpcode) {
                    return o.text() + ": the core's RMPOPT_BASE was enabled with every value it held during the round";
                }
                boolean inSomeWindow = inWindow(base1, o.region()) || (o.end() > firstWrite && inWindow(base2, o.region()));
                if ((o.carry() || o.skipped()) && !inSomeWindow) {
                    return o.text() + ", but region " + o.region() + " lay outside every window the core's RMPOPT_BASE held ("
                            + Geometry.hex(base1) + ", " + Geometry.hex(base2) + ") (model §4, §6 I4)";
                }
                if (o.what().equals("write") && o.end() > firstWrite) {
                    coverage.count(WRITE_DURING_WRMSR);
                }
            }
            RmpoptBase now = machine.rdmsrRmpoptBase(writer);
            if (!now.equals(RmpoptBase.fromRaw(last[0]))) {
                return "after the round, RDMSR RMPOPT_BASE on cpu " + writer + " gives " + now + ", but its last WRMSR wrote "
                        + Geometry.hex(last[0]);
            }
            long lastStart = wrmsrs.isEmpty() ? 0 : wrmsrs.get(wrmsrs.size() - 1).start();
            for (long region : wrmsrs.isEmpty() ? List.<Long>of() : scenario.hot().regions()) {
                if (!machine.rmpopt(writer, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS).carry()) {
                    continue;
                }
                boolean verified = ops.stream().anyMatch(o -> o.what().equals("VERIFY") && o.carry() && o.region() == region
                        && scenario.host().topology().coreOf(o.cpu()) == core && o.end() > lastStart);
                if (!inWindow(last[0], region) || !verified) {
                    return "after the round, REPORT_STATUS on cpu " + writer + " gives CF=1 for region " + region + ", but no VERIFY on its core "
                            + "ended after its last WRMSR began" + (inWindow(last[0], region) ? "" : " and the region is outside its window")
                            + " (a WRMSR resets the core's table: model §4, §6 I4)";
                }
            }
            history.takeEventTick(0);
            return sequentialOk(new Step.WriteRmpoptBase(writer, standardBase));
        }

        private boolean inWindow(long raw, long region) {
            long base = Geometry.regionIndex(raw & -Geometry.REGION_1G);
            return region >= base && region - base < scenario.options().windowRegions();
        }

        /** LAUNCH_UPDATE, DECOMMISSION and PAGE_RECLAIM on one CPU while others VERIFY and write the pages they change. */
        private String firmwareAmong() {
            Set<Long> assigned = assignedRegions();
            long range = anySpecialRange();
            if (range < 0 || !baseline.liveGuests().isEmpty()) {
                return mixed();
            }
            int asid = 3;
            long context = range;
            long[] pages = {range + 255 * Geometry.PAGE_4K, range + 510 * Geometry.PAGE_4K, range + 511 * Geometry.PAGE_4K};
            List<Step> setup = new ArrayList<>(List.of(new Step.RmpUpdate(Accessor.HYPERVISOR, context, RmpState.firmware()),
                    new Step.LaunchStart(asid, context)));
            for (int i = 0; i < pages.length; i++) {
                setup.add(new Step.RmpUpdate(Accessor.HYPERVISOR, pages[i], RmpState.guestPrivate(asid, i * Geometry.PAGE_4K, PageSize.SIZE_4K, true)));
            }
            for (Step s : setup) {
                String bad = sequentialOk(s);
                if (bad != null) {
                    return bad;
                }
            }
            long region = Geometry.regionIndex(range);
            List<Step> commands = List.of(new Step.LaunchUpdate(asid, pages[0]), new Step.LaunchUpdate(asid, pages[1]),
                    new Step.Decommission(asid), new Step.PageReclaim(pages[2]), new Step.PageReclaim(context));
            List<Observation> results = Collections.synchronizedList(new ArrayList<>());
            long[] seeds = seeds();
            runThreads(me -> {
                SplittableRandom r = new SplittableRandom(seeds[me]);
                int cpu = cpus[me];
                if (me == 0) {
                    for (Step s : commands) {
                        spin(r, 300);
                        Observation got = Observation.of(s, machine);
                        if (history.takeEventTick(0) == 0) {
                            failures.add(s.describe() + " returned without its event on the calling thread");
                        }
                        results.add(got);
                    }
                    return;
                }
                for (int i = 0; i < OPERATIONS_PER_ROUND / 2; i++) {
                    int k = r.nextInt(100);
                    if (k < 40) {
                        rmpopt(cpu, region, r.nextInt(4) == 0 ? RmpoptFunction.REPORT_STATUS : RmpoptFunction.VERIFY_AND_REPORT_STATUS);
                    } else if (k < 80) {
                        write(cpu, r.nextBoolean() ? context : pages[r.nextInt(pages.length)], MappingSize.SIZE_4K);
                    } else {
                        rmpRead(cpu, pages[r.nextInt(pages.length)]);
                    }
                }
            });
            if (!failures.isEmpty()) {
                return failures.peek();
            }
            assigned.add(region);
            for (Op o : ops) {
                if (o.region() == region && o.what().equals("write") && o.allowed()) {
                    return o.text() + ", but the page stays assigned while the firmware changes it (model §4: the firmware changes "
                            + "assigned pages only; model §6 I2)";
                }
                if (o.what().equals("RMPREAD")) {
                    Object res = o.result();
                    if (!(res instanceof RmpReadResult.Read) || !((RmpReadResult.Read) res).entry().assigned()) {
                        return o.text() + ", but the page stays assigned while the firmware changes it";
                    }
                }
            }
            String stat = checkStatic(assigned, List.of(range));
            if (stat != null) {
                return stat;
            }
            for (int i = 0; i < commands.size(); i++) {
                Observation want = Observation.of(commands.get(i), baseline);
                if (!results.get(i).sameAs(want)) {
                    return "cpu " + cpus[0] + ": " + commands.get(i).describe() + " returned " + results.get(i) + " while other CPUs VERIFYed "
                            + "and wrote, but " + want + " alone";
                }
            }
            for (long spa : new long[] {pages[0], pages[1], pages[2], context}) {
                String bad = sequentialOk(new Step.RmpUpdate(Accessor.HYPERVISOR, spa, RmpState.shared()));
                if (bad != null) {
                    return "cleaning up: " + bad;
                }
            }
            return null;
        }

        /** SNP_SHUTDOWN, a WRMSR and SNP_INIT on one CPU while others VERIFY, REPORT, write and rewrite their RMPOPT_BASE. */
        private String shutdownAndInit() {
            Set<Long> assigned = assignedRegions();
            if (!baseline.liveGuests().isEmpty()) {
                return mixed();
            }
            int leader = cpus[0];
            long[] seeds = seeds();
            Op[] marks = new Op[2];
            List<Long> reserved = scenario.hot().reservedRegions();
            runThreads(me -> {
                SplittableRandom r = new SplittableRandom(seeds[me]);
                int cpu = cpus[me];
                boolean sawUd = false;
                for (int i = 0; i < OPERATIONS_PER_ROUND; i++) {
                    if (me == 0 && i == 4) {
                        spin(r, 300);
                        call(cpu, "SNP_SHUTDOWN", -1, -1, null, () -> machine.snpShutdown(ShutdownKind.X86_SNP_SHUTDOWN));
                        marks[0] = last("SNP_SHUTDOWN");
                        continue;
                    }
                    if (me == 0 && i == 9) {
                        call(cpu, "WRMSR", -1, standardBase, null, () -> machine.wrmsrRmpoptBase(cpu, standardBase));
                        continue;
                    }
                    if (me == 0 && i == 20) {
                        spin(r, 300);
                        call(cpu, "SNP_INIT", -1, -1, null, machine::snpInit);
                        marks[1] = last("SNP_INIT");
                        continue;
                    }
                    int k = r.nextInt(100);
                    if (k < 45) {
                        long region = !reserved.isEmpty() && r.nextBoolean() ? reserved.get(r.nextInt(reserved.size())) : anyRegion(r);
                        sawUd = rmpopt(cpu, region, RmpoptFunction.VERIFY_AND_REPORT_STATUS) instanceof RmpoptResult.InvalidOpcode;
                    } else if (k < 55) {
                        sawUd = rmpopt(cpu, anyRegion(r), RmpoptFunction.REPORT_STATUS) instanceof RmpoptResult.InvalidOpcode;
                    } else if (k < 75 && me != 0 && sawUd) {
                        // the core lost RMPOPT, so try to program it again: #GP until SNP_INIT sets SnpEn (model §4.2)
                        call(cpu, "WRMSR", -1, standardBase, null, () -> machine.wrmsrRmpoptBase(cpu, standardBase));
                        sawUd = false;
                    } else {
                        write(cpu, stablePage(r, List.of()), MappingSize.values()[r.nextInt(3)]);
                    }
                }
            });
            if (!failures.isEmpty()) {
                return failures.peek();
            }
            Op down = marks[0];
            Op up = marks[1];
            if (down == null || down.result() != FirmwareStatus.SUCCESS || up == null || up.result() != FirmwareStatus.SUCCESS) {
                return "SNP_SHUTDOWN with no guest and then SNP_INIT returned " + (down == null ? "nothing" : down.result()) + " and "
                        + (up == null ? "nothing" : up.result()) + ", expected SUCCESS for both";
            }
            String stat = checkStatic(assigned, List.of(), down, up);
            if (stat != null) {
                return stat;
            }
            for (Op o : ops) {
                if (!o.isRmpopt()) {
                    continue;
                }
                boolean ud = o.result() instanceof RmpoptResult.InvalidOpcode;
                if (o.start() > down.end() && o.end() < up.start() && !ud) {
                    return o.text() + " began after " + down.text() + " returned and ended before " + up.text() + " began: "
                            + "SnpEn was clear on every core, so it must raise #UD (model §4.8)";
                }
                if (ud && o.end() < down.start()) {
                    return o.text() + " ended before SNP_SHUTDOWN began, while its core's RMPOPT_BASE was enabled";
                }
                if (ud && o.start() > down.end()) {
                    coverage.count(UD_AFTER_SHUTDOWN);
                }
                if (o.what().equals("VERIFY") && reserved.contains(o.region()) && o.end() > up.start() && o.start() < up.end()) {
                    coverage.count(VERIFY_DURING_INIT);
                }
            }
            for (int cpu : sweepCpus()) {
                for (long region : scenario.hot().regions()) {
                    if (!machine.rmpopt(cpu, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS).carry()) {
                        continue;
                    }
                    int c = cpu;
                    boolean verified = ops.stream().anyMatch(o -> o.what().equals("VERIFY") && o.carry() && o.region() == region
                            && baseline.sharesTable(o.cpu(), c) && o.end() > up.start());
                    if (!verified) {
                        return "after the round, REPORT_STATUS on cpu " + cpu + " gives CF=1 for region " + region + ", but no VERIFY on its "
                                + "table ended after " + up.text() + " began: SNP_INIT leaves every bit clear (model §6 I5)";
                    }
                }
            }
            history.takeEventTick(0);
            baseline.snpShutdown(ShutdownKind.X86_SNP_SHUTDOWN);
            baseline.snpInit();
            for (int cpu : scenario.host().topology().primaryThreads()) {
                String bad = sequentialOk(new Step.WriteRmpoptBase(cpu, standardBase));
                if (bad != null) {
                    return "after the round: " + bad;
                }
            }
            return null;
        }

        /**
         * The first SNP_INIT on one CPU while others, their cores' RMPOPT_BASE written before it,
         * VERIFY the regions it gives the firmware, REPORT and write its pages: once SNP_INIT
         * returned, no CPU may see CF=1 or skip a write there and the pages' writes fault; after
         * the round only VERIFYs that ended after it began can have left bits (I1, I5).
         */
        private String firstInit() {
            int leader = cpus[0];
            long[] seeds = seeds();
            Op[] mark = new Op[1];
            List<Long> reservedRegions = scenario.hot().reservedRegions();
            List<Long> reservedPages = new ArrayList<>();
            scenario.host().rmpTable().forEach(p -> reservedPages.add(p.start()));
            scenario.host().firmwarePages().forEach(p -> reservedPages.add(p.start()));
            runThreads(me -> {
                SplittableRandom r = new SplittableRandom(seeds[me]);
                int cpu = cpus[me];
                for (int i = 0; i < OPERATIONS_PER_ROUND / 2; i++) {
                    if (me == 0 && i == 8) {
                        spin(r, 300);
                        call(cpu, "SNP_INIT", -1, -1, null, machine::snpInit);
                        mark[0] = last("SNP_INIT");
                        continue;
                    }
                    int k = r.nextInt(100);
                    if (k < 55) {
                        long region = !reservedRegions.isEmpty() && r.nextInt(4) != 0
                                ? reservedRegions.get(r.nextInt(reservedRegions.size())) : anyRegion(r);
                        rmpopt(cpu, region, r.nextInt(5) == 0 ? RmpoptFunction.REPORT_STATUS : RmpoptFunction.VERIFY_AND_REPORT_STATUS);
                    } else {
                        write(cpu, reservedPages.get(r.nextInt(reservedPages.size())), MappingSize.SIZE_4K);
                    }
                }
            });
            if (!failures.isEmpty()) {
                return failures.peek();
            }
            Op init = mark[0];
            if (init == null || init.result() != FirmwareStatus.SUCCESS) {
                return "the first SNP_INIT returned " + (init == null ? "nothing" : init.result()) + ", expected SUCCESS";
            }
            baseline.snpInit();
            for (Op o : ops) {
                if (o == init || o.start() < init.end()) {
                    if (o.what().equals("VERIFY") && reservedRegions.contains(o.region()) && o.end() > init.start()) {
                        coverage.count(VERIFY_DURING_INIT);
                    }
                    continue;
                }
                if (reservedRegions.contains(o.region()) && (o.carry() || o.skipped())) {
                    return o.text() + " began after " + init.text() + " returned, which made the RMP and firmware pages of region "
                            + o.region() + " FIRMWARE (model §6 I1)";
                }
                if (o.what().equals("write") && reservedPages.contains(o.spa()) && o.allowed()) {
                    return o.text() + " began after " + init.text() + " returned: the page is FIRMWARE and checks are on (model §5, §6 I2)";
                }
            }
            for (int cpu : sweepCpus()) {
                for (long region : scenario.hot().regions()) {
                    if (!machine.rmpopt(cpu, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS).carry()) {
                        continue;
                    }
                    int c = cpu;
                    boolean verified = ops.stream().anyMatch(o -> o.what().equals("VERIFY") && o.carry() && o.region() == region
                            && baseline.sharesTable(o.cpu(), c) && o.end() > init.start());
                    if (!verified || baseline.regionHoldsAssignedPage(region)) {
                        return "after the round, REPORT_STATUS on cpu " + cpu + " gives CF=1 for region " + region + (verified
                                ? ", which holds the pages SNP_INIT gave the firmware (model §6 I1)"
                                : ", but no VERIFY on its table ended after " + init.text() + " began (model §6 I5)");
                    }
                }
            }
            history.takeEventTick(0);
            return null;
        }

        private Op last(String what) {
            Op found = null;
            for (Op o : ops) {
                if (o.what().equals(what)) {
                    found = o;
                }
            }
            return found;
        }

        /** The CPUs the quiescent checks read: every CPU of a small host, the hot ones of a wide host. */
        private int[] sweepCpus() {
            return scenario.hot().cpus();
        }

        // ------------------------------------------------------------------ quiescent checks

        /** RMPREAD and REPORT_STATUS against the models. */
        private String checkQuiescent() {
            for (long range : scenario.hot().ranges()) {
                SpecModel m = stateOf(range);
                for (int off : HotAddresses.OFFSETS) {
                    long spa = range + off * Geometry.PAGE_4K;
                    if (!scenario.host().isRam(spa)) {
                        continue;
                    }
                    RmpReadResult got = machine.rmpRead(spa);
                    RmpReadResult want = m.rmpRead(spa);
                    if (!got.equals(want)) {
                        return "RMPREAD " + Geometry.hex(spa) + " gives " + Describe.result(got) + ", but the operations that changed it, "
                                + "each on one CPU, leave " + Describe.result(want) + " (a lost or torn update)";
                    }
                }
            }
            Set<Long> assigned = assignedRegions();
            for (int cpu : sweepCpus()) {
                for (long region : scenario.hot().regions()) {
                    if (assigned.contains(region) && machine.rmpopt(cpu, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS).carry()) {
                        return "REPORT_STATUS on cpu " + cpu + " gives CF=1 for region " + region + ", which holds an assigned page (model §6 I1)";
                    }
                }
            }
            history.takeEventTick(0);
            return null;
        }

        /** A mixed round's write against every certain state that spans it. */
        private String checkWrite(WriteRecord w) {
            long region = Geometry.regionIndex(w.spa());
            long range = Geometry.alignDown(w.spa(), Geometry.PAGE_2M);
            boolean skipped = w.outcome() instanceof AccessOutcome.Skipped;
            if (skipped && baseline.regionHoldsAssignedPage(region)) {
                return describe(w) + " was SKIPPED, but region " + region + " holds pages assigned outside the mixed ranges (model §6 I1)";
            }
            for (long other : ranges) {
                if (Geometry.regionIndex(other) != region) {
                    continue;
                }
                RangeState certain = certainState(other, w);
                if (certain == null) {
                    continue;
                }
                if (skipped && certain.anyAssigned) {
                    return describe(w) + " was SKIPPED, but from tick " + certain.from + " to " + certain.until
                            + " the 2M range " + Geometry.hex(other) + " of region " + region
                            + " certainly held an assigned page (model §6 I1, I2)";
                }
                if (other == range) {
                    int offsetIndex = offsetIndex(w.spa() - range);
                    boolean forbidden = w.mapping() == MappingSize.SIZE_4K
                            ? (certain.assignedPages & (1 << offsetIndex)) != 0 : certain.anyAssigned;
                    if (forbidden == w.outcome().allowed()) {
                        return describe(w) + " was " + w.outcome() + ", but the full RMP check of its certain state "
                                + (forbidden ? "forbids" : "allows") + " it (model §6 I2)";
                    }
                }
            }
            return null;
        }

        private RangeState certainState(long range, WriteRecord w) {
            List<RangeState> timeline = states.get(range);
            synchronized (timeline) {
                for (RangeState st : timeline) {
                    if (st.from <= w.start() && w.effect() <= st.until) {
                        return st;
                    }
                }
            }
            return null;
        }

        private int offsetIndex(long offsetBytes) {
            for (int i = 0; i < HotAddresses.OFFSETS.length; i++) {
                if (HotAddresses.OFFSETS[i] * Geometry.PAGE_4K == offsetBytes) {
                    return i;
                }
            }
            throw new IllegalStateException("not a hot offset: " + offsetBytes);
        }

        private String describe(WriteRecord w) {
            return "cpu " + w.cpu() + ": hypervisor write " + Geometry.hex(w.spa()) + " via " + Describe.mapping(w.mapping())
                    + " mapping (ticks " + w.start() + ".." + w.effect() + ")";
        }

        private String report(String what) {
            String seed = TckSettings.formatSeed(scenario.seed());
            StringBuilder cpuList = new StringBuilder();
            for (int t = 0; t < cpus.length; t++) {
                cpuList.append(t == 0 ? "" : ", ").append("cpu ").append(cpus[t]);
            }
            return Counterexample.header(Rule.CONCURRENT)
                    + "  seed: " + seed + "  (replay: -D" + TckSettings.SEED_PROPERTY + "=" + seed + "; thread timing varies)\n"
                    + "  " + scenario.describe() + "\n"
                    + "  " + cpus.length + " threads act as " + cpuList + " (" + scenario.host().topology().coreCount()
                    + " cores); after SNP_INIT and RMPOPT_BASE " + Geometry.hex(standardBase) + " on every core\n"
                    + "  then: " + what + "\n"
                    + "  if this fails, check: " + Rule.CONCURRENT.ifFails();
        }
    }
}

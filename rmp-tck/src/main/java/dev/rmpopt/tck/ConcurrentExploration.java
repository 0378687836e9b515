package dev.rmpopt.tck;

import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RmpReadResult;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.api.WrmsrResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * SPEC 6 under concurrent operations: threads acting as CPUs issue random RMPUPDATEs, PSMASHes,
 * VERIFYs, REPORTs and writes at once, in rounds of a bounded number of operations.
 *
 * <p>The entries stay predictable because each thread alone changes its own 2 MiB ranges (it keeps
 * its own {@link SpecModel} for them), while VERIFY and writes go to every region, so regions are
 * shared and races between VERIFY and RMPUPDATE happen. Three checks:
 * <ul>
 *   <li>every operation on a thread's own ranges returns what its model says;</li>
 *   <li>from the recorded {@link History}: a write whose whole interval lies inside an interval
 *       where a page of its region was certainly assigned (after the assigning RMPUPDATE took
 *       effect, before the next change of that range began) must not be SKIPPED, and must be
 *       allowed or faulted as that certain state decides (I1, I2);</li>
 *   <li>at the quiescent point after every round: RMPREAD shows each range as its owner's model
 *       says, and no REPORT_STATUS gives CF=1 for a region holding an assigned page (I1).</li>
 * </ul>
 */
final class ConcurrentExploration {

    /** Rounds per trial, and operations per thread per round, at depth 1. */
    static final int ROUNDS = 12;
    static final int OPERATIONS_PER_ROUND = 60;
    /** At most this many threads, whatever the host's CPU count. */
    static final int MAX_THREADS = 6;

    private final MachineFactory factory;
    private final TckSettings settings;

    ConcurrentExploration(MachineFactory factory, TckSettings settings) {
        this.factory = factory;
        this.settings = settings;
    }

    /** One write, as the history recorded it. */
    private record WriteRecord(int cpu, long spa, MappingSize mapping, long start, long effect, AccessOutcome outcome) {
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
        for (long seed : settings.trialSeeds("concurrent", TckSettings.CONCURRENT_TRIALS)) {
            String failure = trial(seed, base, verdicts.coverage());
            verdicts.trialDone(false);
            if (failure != null) {
                verdicts.fail(Rule.CONCURRENT, failure);
                break;
            }
        }
        verdicts.took((System.nanoTime() - start) / 1_000_000);
        return verdicts;
    }

    private String trial(long seed, ModelOptions base, Coverage coverage) {
        Scenario scenario = Scenario.draw(seed, base);
        for (long k = 1; !scenario.host().segmentedRmp(); k++) {
            scenario = Scenario.draw(TckSettings.mix(seed + k), base); // RMPOPT needs the segmented RMP (SPEC 3)
        }
        ModelOptions options = scenario.options().withWindowBytes(8 * Geometry.GIB); // covers every test host
        Scenario s = new Scenario(seed, scenario.host(), options, scenario.hot(), scenario.random());
        return new Trial(s, coverage).run();
    }

    /** One trial: a machine, its threads and their histories. */
    private final class Trial {
        final Scenario scenario;
        final Coverage coverage;
        final History history = new History();
        final SnpMachine machine;
        final SpecModel baseline;
        final SplittableRandom random;
        final int[] cpus;
        final List<Long> ranges = new ArrayList<>();
        final Map<Long, Integer> owner = new TreeMap<>();
        final List<SpecModel> models = new ArrayList<>();
        final Map<Long, List<RangeState>> states = new TreeMap<>();
        final ConcurrentLinkedQueue<WriteRecord> writes = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

        Trial(Scenario scenario, Coverage coverage) {
            this.scenario = scenario;
            this.coverage = coverage;
            this.random = scenario.random();
            this.machine = factory.create(scenario.host(), scenario.options(), history);
            this.baseline = new SpecModel(scenario.host(), scenario.options());
            int cpuCount = scenario.host().topology().cpuCount();
            List<Integer> all = new ArrayList<>();
            for (int c = 0; c < cpuCount; c++) {
                all.add(c);
            }
            Collections.shuffle(all, new java.util.Random(random.nextLong()));
            int threads = Math.max(2, Math.min(MAX_THREADS, cpuCount));
            this.cpus = new int[threads];
            for (int t = 0; t < threads; t++) {
                cpus[t] = all.get(t % cpuCount);
            }
        }

        String run() {
            if (machine.snpInit() != FirmwareStatus.SUCCESS) {
                return report("SNP_INIT on a fresh machine did not succeed");
            }
            baseline.snpInit();
            long rmpoptBase = Geometry.alignDown(scenario.host().ramStart(), Geometry.REGION_1G) | RmpoptBase.ENABLE;
            for (int cpu : scenario.host().topology().primaryThreads()) {
                if (!(machine.wrmsrRmpoptBase(cpu, rmpoptBase) instanceof WrmsrResult.Written)) {
                    return report("WRMSR RMPOPT_BASE on cpu " + cpu + " after SNP_INIT did not take effect");
                }
                baseline.wrmsrRmpoptBase(cpu, rmpoptBase);
            }
            // Ranges wholly RAM and free of reserved pages, dealt round-robin to the threads.
            for (long r : scenario.hot().ranges()) {
                if (scenario.host().isRam(PhysRange.ofSize(r, Geometry.PAGE_2M))
                        && !baseline.anyAssignedIn(Geometry.pfn(r), Geometry.pfn(r) + Geometry.PAGES_PER_2M)
                        && baseline.authoritative(Geometry.pfn(r)).equals(dev.rmpopt.api.RmpEntry.HYPERVISOR)) {
                    owner.put(r, ranges.size() % cpus.length);
                    ranges.add(r);
                    states.put(r, new ArrayList<>(List.of(new RangeState(0, 0, false))));
                }
            }
            for (int t = 0; t < cpus.length; t++) {
                SpecModel m = new SpecModel(scenario.host(), scenario.options());
                m.snpInit();
                models.add(m);
            }
            int rounds = ROUNDS;
            for (int round = 1; round <= rounds; round++) {
                long[] seeds = new long[cpus.length];
                for (int t = 0; t < cpus.length; t++) {
                    seeds[t] = random.nextLong();
                }
                runRound(seeds);
                if (!failures.isEmpty()) {
                    return report("round " + round + ": " + failures.peek());
                }
                String quiescent = checkQuiescent();
                if (quiescent != null) {
                    return report("at the quiescent point after round " + round + ": " + quiescent);
                }
            }
            return null;
        }

        private void runRound(long[] seeds) {
            CyclicBarrier barrier = new CyclicBarrier(cpus.length);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < cpus.length; t++) {
                int me = t;
                Thread th = new Thread(() -> {
                    try {
                        barrier.await(10, TimeUnit.SECONDS);
                        act(me, new SplittableRandom(seeds[me]));
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

        /** One thread's operations for a round. */
        private void act(int me, SplittableRandom r) {
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
                    mutate(me, cpu, model, mine.get(r.nextInt(mine.size())), r);
                } else if (k < 55) {
                    long region = r.nextInt((int) scenario.host().regionCount());
                    history.tick();
                    RmpoptFunction f = r.nextInt(5) == 0 ? RmpoptFunction.REPORT_STATUS : RmpoptFunction.VERIFY_AND_REPORT_STATUS;
                    if (machine.rmpopt(cpu, Geometry.regionBase(region), f).carry() && f == RmpoptFunction.VERIFY_AND_REPORT_STATUS) {
                        coverage.count(Coverage.VERIFY_SET_BIT);
                    }
                    history.takeEventTick(0);
                } else if (!ranges.isEmpty()) {
                    long range = ranges.get(r.nextInt(ranges.size()));
                    long spa = range + HotAddresses.OFFSETS[r.nextInt(HotAddresses.OFFSETS.length)] * Geometry.PAGE_4K;
                    MappingSize mapping = MappingSize.values()[r.nextInt(3)];
                    long s = history.tick();
                    AccessOutcome outcome = machine.write(cpu, Accessor.HYPERVISOR, spa, mapping);
                    long end = history.tick();
                    writes.add(new WriteRecord(cpu, spa, mapping, s, history.takeEventTick(end), outcome));
                    if (outcome instanceof AccessOutcome.Skipped) {
                        coverage.count(Coverage.SKIPPED_WRITE);
                    }
                }
            }
        }

        /** An RMPUPDATE or PSMASH of the thread's own range, checked against its model and recorded. */
        private void mutate(int me, int cpu, SpecModel model, long range, SplittableRandom r) {
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
            Observation got = Observation.of(step, machine);
            long end = history.tick();
            long effect = history.takeEventTick(end);
            Observation want = Observation.of(step, model);
            if (!got.sameAs(want)) {
                failures.add("cpu " + cpu + ": " + step.describe() + " returned " + got + ", expected " + want
                        + " (only this CPU changes that range)");
            }
            int pages = 0;
            for (int i = 0; i < HotAddresses.OFFSETS.length; i++) {
                if (model.authoritative(Geometry.pfn(range) + HotAddresses.OFFSETS[i]).assigned()) {
                    pages |= 1 << i;
                }
            }
            boolean any = model.anyAssignedIn(Geometry.pfn(range), Geometry.pfn(range) + Geometry.PAGES_PER_2M);
            synchronized (timeline) {
                timeline.add(new RangeState(effect, pages, any));
            }
            if (any && got.value() == RmpReturnCode.SUCCESS) {
                coverage.count(Coverage.ASSIGN_OVER_BIT);
            }
        }

        /** Writes against the certain states, then RMPREAD and REPORT_STATUS against the models. */
        private String checkQuiescent() {
            for (WriteRecord w : writes) {
                String bad = checkWrite(w);
                if (bad != null) {
                    return bad;
                }
            }
            writes.clear();
            for (long range : ranges) {
                SpecModel m = models.get(owner.get(range));
                for (int off : HotAddresses.OFFSETS) {
                    long spa = range + off * Geometry.PAGE_4K;
                    RmpReadResult got = machine.rmpRead(spa);
                    RmpReadResult want = m.rmpRead(spa);
                    if (!got.equals(want)) {
                        return "RMPREAD " + Geometry.hex(spa) + " gives " + Describe.result(got) + ", but only cpu "
                                + cpus[owner.get(range)] + " changed that range and its operations leave "
                                + Describe.result(want) + " (a lost or torn update)";
                    }
                }
            }
            for (int cpu = 0; cpu < scenario.host().topology().cpuCount(); cpu++) {
                for (long region : baseline.coveredWindowRegions(cpu)) {
                    String holder = assignedHolder(region);
                    if (holder != null && machine.rmpopt(cpu, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS).carry()) {
                        return "REPORT_STATUS on cpu " + cpu + " gives CF=1 for region " + region + ", which holds " + holder
                                + " (SPEC 6 I1)";
                    }
                }
            }
            return null;
        }

        /** What assigned page region {@code region} holds now, or null. */
        private String assignedHolder(long region) {
            if (baseline.regionHoldsAssignedPage(region)) {
                return "firmware pages";
            }
            for (long range : ranges) {
                if (Geometry.regionIndex(range) == region) {
                    SpecModel m = models.get(owner.get(range));
                    if (m.anyAssignedIn(Geometry.pfn(range), Geometry.pfn(range) + Geometry.PAGES_PER_2M)) {
                        return "an assigned page in the 2M range " + Geometry.hex(range) + " of cpu " + cpus[owner.get(range)];
                    }
                }
            }
            return null;
        }

        /** The write against every certain state that spans it. */
        private String checkWrite(WriteRecord w) {
            long region = Geometry.regionIndex(w.spa());
            long range = Geometry.alignDown(w.spa(), Geometry.PAGE_2M);
            boolean skipped = w.outcome() instanceof AccessOutcome.Skipped;
            if (skipped && baseline.regionHoldsAssignedPage(region)) {
                return describe(w) + " was SKIPPED, but region " + region + " holds firmware pages since SNP_INIT (SPEC 6 I1)";
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
                            + " certainly held an assigned page (SPEC 6 I1, I2)";
                }
                if (other == range) {
                    int offsetIndex = offsetIndex(w.spa() - range);
                    boolean forbidden = w.mapping() == MappingSize.SIZE_4K
                            ? (certain.assignedPages & (1 << offsetIndex)) != 0 : certain.anyAssigned;
                    if (forbidden == w.outcome().allowed()) {
                        return describe(w) + " was " + w.outcome() + ", but the full RMP check of its certain state "
                                + (forbidden ? "forbids" : "allows") + " it (SPEC 6 I2)";
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
                    + "  threads act as " + cpuList + "; after SNP_INIT and RMPOPT_BASE on every core\n"
                    + "  then: " + what + "\n"
                    + "  if this fails, check: " + Rule.CONCURRENT.ifFails();
        }
    }
}

package dev.rmpopt.tck;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.CpuMask;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.InterleavingProbe;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.RmpoptResults;
import dev.rmpopt.api.ShutdownKind;
import dev.rmpopt.api.SnpMachine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * model §6.1: operations interleaved on purpose through the backend's {@link InterleavingProbe}.
 * Each pair parks one CPU's operation X at its k-th interleaving point (inside a read window, between
 * a read and its compare-and-set, inside a critical section) while another CPU runs a whole
 * operation Y, then lets X go on. The pair must then look as if X and Y had each taken effect at one
 * instant: the two results, the events each CPU heard and the state afterwards (REPORT_STATUS on the
 * hot CPUs, RMPREAD of the hot pages, RDMSR, the assigned-page counts) must be what the kit's model
 * gives for X then Y or for Y then X. With {@link ModelOptions#failInUse()} an RMPUPDATE or PSMASH
 * may instead return FAIL_INUSE having changed nothing, but only while the other operation holds an
 * entry of its region (model §4.1).
 *
 * <p>Pairs are aimed at the races the model's rules rest on: a write against an assigning RMPUPDATE
 * of its region on a CPU holding the bit, VERIFY and IPI rounds against an RMPUPDATE that assigns or
 * only clears, an RMPUPDATE parked after its clear while others VERIFY and write, WRMSR against
 * VERIFY on the same core, PSMASH and the firmware's page commands against writes and reads, two
 * updates of one region, SNP_INIT and SNP_SHUTDOWN against RMPOPT, and a guest's access against an
 * update of its page. An outcome that fits neither order, except by bits the backend dropped (a
 * REPORT_STATUS with CF=0 or a write checked rather than skipped where the model still holds the
 * bit, a clear naming fewer tables), breaks {@link Rule#INTERLEAVING}; one that fits only so breaks
 * the optional {@link Rule#EXACT_BITS} and ends the trial, since the model no longer mirrors the
 * backend. A backend that calls no probe leaves the rule not verified.
 */
final class InterleavingExploration {

    /** Pairs per trial. */
    static final int PAIRS = 48;
    /** Steps generated before the first pair, after SNP_INIT and RMPOPT_BASE on every core. */
    static final int PREFIX_STEPS = 16;
    /** The longest X waits parked for Y, which may be waiting for X's lock (a correct backend's Y then finishes once X goes on). */
    static final long OTHER_MILLIS = 2;
    /** A pair not done this long after X was let go is a deadlock or a livelock. */
    static final long HANG_SECONDS = 20;
    /** Coverage: pairs whose X was parked while Y ran. */
    static final String PARKED = "interleaved pair with its first operation parked";

    private final MachineFactory factory;
    private final TckSettings settings;

    InterleavingExploration(MachineFactory factory, TckSettings settings) {
        this.factory = factory;
        this.settings = settings;
    }

    /** The kinds of pair, as the coverage counts them. */
    enum Aim {
        WRITE_VS_ASSIGN, VERIFY_VS_UPDATE, ROUND_VS_UPDATE, UPDATE_VS_RMPOPT, WRMSR_VS_RMPOPT, RMPOPT_VS_WRMSR,
        UPDATE_VS_UPDATE, PSMASH_VS_ACCESS, FIRMWARE_VS_RMPOPT, LIFECYCLE_VS_RMPOPT, GUEST_VS_UPDATE, READ_VS_UPDATE
    }

    /**
     * Explores with the table scopes and clear policies of {@code bases}, trial by trial in turn: the
     * defaults, and the [M] options the backend declares (model §4).
     */
    Verdicts explore(List<ModelOptions> bases) {
        long start = System.nanoTime();
        Verdicts verdicts = new Verdicts();
        verdicts.seeds(settings.describeSeeds());
        long[] seeds = settings.fullBudget().trialSeeds("interleaving", TckSettings.INTERLEAVING_TRIALS);
        for (int i = 0; i < seeds.length; i++) {
            String failure = new Trial(scenario(seeds[i], bases.get(i % bases.size())), verdicts).run();
            verdicts.trialDone(false);
            if (failure != null) {
                verdicts.fail(Rule.INTERLEAVING, failure);
                break;
            }
            if (verdicts.coverage().get(PARKED) == 0) {
                break; // a backend without interleaving points: the rest would not park either
            }
        }
        verdicts.took((System.nanoTime() - start) / 1_000_000);
        long parked = verdicts.coverage().get(PARKED);
        if (verdicts.firstFailure().isEmpty() && parked == 0) {
            verdicts.notVerified("not verified: the backend never called the InterleavingProbe the kit gave it (see "
                    + "RmpBackendProvider.create with a probe, and the kit's newMachine with a probe), so no pair could be interleaved");
        } else if (verdicts.firstFailure().isEmpty() && !settings.replaying() && parked < (long) seeds.length * PAIRS / 4) {
            verdicts.notVerified("not verified: only " + parked + " of " + seeds.length * PAIRS
                    + " pairs were parked at an interleaving point, fewer than the quarter the kit requires of itself");
        }
        return verdicts;
    }

    /**
     * The trial's scenario: the sequential one of {@code seed}, on a wide host (more than 64 cores,
     * where table and mask words end) in half the trials, drawn again until its host has two CPUs and
     * the segmented RMP.
     */
    private static Scenario scenario(long seed, ModelOptions base) {
        for (long s = seed;; s = TckSettings.mix(s + 1)) {
            Scenario sc = Scenario.draw(s, base);
            if ((s >>> 17 & 1) == 0) {
                HostDescription wide = HostGen.wideHosts().next(sc.random());
                sc = new Scenario(s, wide, sc.options(), HotAddresses.of(wide, sc.random()), sc.random());
            }
            if (sc.host().segmentedRmp() && sc.host().topology().cpuCount() >= 2) {
                return sc;
            }
        }
    }

    /**
     * One pair: X (parked at its {@code park}-th point) on CPU thread A, Y on thread B, then the
     * steps {@code after} alone (what shows a stale bit the pair left where REPORT_STATUS could not see it).
     */
    private record Pair(Aim aim, Step x, Step y, int park, List<Step> after) {
        Pair(Aim aim, Step x, Step y, int park) {
            this(aim, x, y, park, List.of());
        }
    }

    /** How well the machine's outcome fits one order: exactly, only by dropped bits, or not at all. */
    private enum Fit { NONE, DROPPED_BITS, EXACT }

    /** What one thread saw of its operation. */
    private record Seen(Observation result, List<Event> heard) {
    }

    /** Parks the armed thread at its k-th interleaving point until let go. */
    private static final class Parking implements InterleavingProbe {

        /** One arming: published whole through the volatile field, so the armed thread sees its count and latches. */
        private static final class Arming {
            final Thread thread;
            int left;
            final CountDownLatch parked = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);

            Arming(Thread thread, int k) {
                this.thread = thread;
                this.left = k;
            }
        }

        private volatile Arming arming;

        Arming arm(Thread t, int k) {
            Arming a = new Arming(t, k);
            arming = a;
            return a;
        }

        @Override
        public void reached() {
            Arming a = arming;
            if (a == null || a.thread != Thread.currentThread() || --a.left > 0) {
                return;
            }
            arming = null;
            a.parked.countDown();
            boolean interrupted = false;
            for (;;) {
                try {
                    a.release.await(HANG_SECONDS, TimeUnit.SECONDS);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Trial {
        final Scenario scenario;
        final Verdicts verdicts;
        final SplittableRandom random;
        final HostDescription host;
        final EventRecorder events = new EventRecorder();
        final Parking parking = new Parking();
        final SnpMachine machine;
        final List<Step> history = new ArrayList<>();
        SpecModel model;
        final StepGen gen;
        /** The first sequential step the machine and the model disagreed on, as a report. */
        String failure;

        Trial(Scenario scenario, Verdicts verdicts) {
            this.scenario = scenario;
            this.verdicts = verdicts;
            this.random = scenario.random();
            this.host = scenario.host();
            this.machine = factory.create(host, scenario.options(), events, parking);
            this.model = new SpecModel(host, scenario.options());
            this.gen = new StepGen(scenario.hot(), random);
        }

        /** Runs the trial; a failure report, or null (also when the optional rule broke, which ends the trial). */
        String run() {
            events.mute();
            sequential(new Step.SnpInit());
            long base = Geometry.alignDown(host.ramStart(), Geometry.REGION_1G) | RmpoptBase.ENABLE;
            for (int cpu : host.topology().primaryThreads()) {
                sequential(new Step.WriteRmpoptBase(cpu, base));
            }
            for (int i = 0; i < PREFIX_STEPS; i++) {
                sequential(gen.next(model, random));
            }
            for (int i = 0; i < PAIRS && failure == null; i++) {
                if (random.nextInt(3) == 0) {
                    sequential(gen.next(model, random));
                }
                Pair pair = failure == null ? aim(Aim.values()[random.nextInt(Aim.values().length)]) : null;
                if (pair != null && failure == null) {
                    failure = interleave(pair);
                    for (Step s : failure == null ? pair.after() : List.<Step>of()) {
                        sequential(s, pair);
                    }
                }
            }
            return failure == null || failure.isEmpty() ? null : failure;
        }

        /**
         * Runs {@code step} alone on machine and model; whether they agree. The first disagreement
         * (a sequential rule's, which the sequential explorations explain) becomes the trial's failure.
         */
        private boolean sequential(Step step) {
            return sequential(step, null);
        }

        /** {@link #sequential(Step)}, run after {@code pair} (null: before any) to show what it left. */
        private boolean sequential(Step step, Pair pair) {
            if (failure != null) {
                return false;
            }
            events.listen();
            Observation got = Observation.of(step, machine);
            events.mute();
            Observation want = Observation.of(step, model);
            history.add(step);
            Fit f = fit(step, got, want);
            if (f == Fit.DROPPED_BITS) {
                // a bit the backend no longer holds (clearing more is safe): the optional rule's, and the model no longer mirrors it
                verdicts.failExactBits(report(pair, Rule.EXACT_BITS, "the step " + step.describe() + " returned " + got
                        + " where the model, which still holds the bit, gives " + want));
                failure = "";
                return false;
            }
            if (f == Fit.NONE) {
                failure = pair == null
                        ? report(null, "the sequential step " + step.describe() + " returned " + got + " where the model gives " + want
                                + " (the sequential explorations' rules explain it)")
                        : report(pair, "the pair fit an order, but the step after it, " + step.describe() + ", returned " + got
                                + " where the model gives " + want + ": the pair left state that its results and REPORT_STATUS did not show "
                                + "(a bit outside the window, set through a stale RMPOPT_BASE)");
                return false;
            }
            return true;
        }

        // ------------------------------------------------------------------ aims

        private int cpu() {
            return scenario.hot().cpu(random);
        }

        /** Another CPU than {@code cpu}: its SMT sibling when {@code sibling} and it has one. */
        private int other(int cpu, boolean sibling) {
            if (sibling) {
                for (int s : host.topology().siblingsOf(cpu)) {
                    if (s != cpu) {
                        return s;
                    }
                }
            }
            int n = host.topology().cpuCount();
            int o = cpu();
            return o != cpu ? o : (cpu + 1 + random.nextInt(n - 1)) % n;
        }

        private List<Long> hotPagesIn(long region) {
            List<Long> out = new ArrayList<>();
            for (long p : scenario.hot().pages()) {
                if (Geometry.regionIndex(p) == region) {
                    out.add(p);
                }
            }
            return out;
        }

        private Long pick(List<Long> list) {
            return list.isEmpty() ? null : list.get(random.nextInt(list.size()));
        }

        /** A hot page of {@code region} whose entry is mutable and unassigned, for an assigning RMPUPDATE. */
        private Long freePageIn(long region) {
            List<Long> free = new ArrayList<>();
            for (long p : hotPagesIn(region)) {
                var e = model.authoritative(Geometry.pfn(p));
                if (!e.assigned() && !e.immutable()) {
                    free.add(p);
                }
            }
            return pick(free);
        }

        /**
         * A hot region that VERIFY on {@code cpu} can optimize (wholly RAM, no assigned page) in its
         * window. If none is, one is made so: its hot pages are made shared again (the generated steps
         * assign pages everywhere) and the core's window is moved there (a WRMSR). Null if no region
         * can be (immutable pages, SnpEn clear).
         */
        private Long cleanRegionOf(int cpu) {
            List<Long> ready = new ArrayList<>();
            List<Long> candidates = new ArrayList<>();
            for (long r : scenario.hot().regions()) {
                if (Geometry.regionBase(r) + Geometry.REGION_1G <= host.ramEnd() && !hotPagesIn(r).isEmpty()) {
                    candidates.add(r);
                    if (!model.regionHoldsAssignedPage(r) && model.inWindow(cpu, r) && model.rmpoptUsable(cpu)) {
                        ready.add(r);
                    }
                }
            }
            if (!ready.isEmpty()) {
                return pick(ready);
            }
            Long r = pick(candidates);
            if (r == null || !model.snpEnabled(cpu) || !release(r)) {
                return null;
            }
            if (!(model.inWindow(cpu, r) && model.rmpoptUsable(cpu))
                    && !sequential(new Step.WriteRmpoptBase(cpu, Geometry.regionBase(r) | RmpoptBase.ENABLE))) {
                return null;
            }
            return r;
        }

        /** Makes every assigned hot page of {@code region} shared again; whether the region then holds no assigned page. */
        private boolean release(long region) {
            for (long p : hotPagesIn(region)) {
                var e = model.authoritative(Geometry.pfn(p));
                if (e.assigned()) {
                    if (e.immutable()) {
                        return false;
                    }
                    long base = e.pageSize() == PageSize.SIZE_2M ? Geometry.alignDown(p, Geometry.PAGE_2M) : p;
                    if (!sequential(new Step.RmpUpdate(Accessor.HYPERVISOR, base, RmpState.shared(e.pageSize())))) {
                        return false;
                    }
                }
            }
            return !model.regionHoldsAssignedPage(region);
        }

        private Step assign(long spa) {
            boolean twoM = Geometry.isAligned(spa, Geometry.PAGE_2M) && random.nextInt(3) == 0;
            return new Step.RmpUpdate(Accessor.HYPERVISOR, spa,
                    RmpState.guestPrivate(1 + random.nextInt(3), 0x1000L * random.nextInt(4096) & -(twoM ? Geometry.PAGE_2M : Geometry.PAGE_4K),
                            twoM ? PageSize.SIZE_2M : PageSize.SIZE_4K, false));
        }

        /** An RMPUPDATE of {@code spa}: assigning, or (half the time) back to shared, which only clears under EVERY_RMPUPDATE. */
        private Step update(long spa) {
            return random.nextBoolean() ? assign(spa) : new Step.RmpUpdate(Accessor.HYPERVISOR, spa, RmpState.shared());
        }

        private Step write(int cpu, long spa) {
            MappingSize m = random.nextInt(3) == 0 ? MappingSize.SIZE_2M : MappingSize.SIZE_4K;
            return new Step.Access(cpu, Accessor.HYPERVISOR, AccessKind.WRITE, m == MappingSize.SIZE_4K ? spa : Geometry.alignDown(spa, Geometry.PAGE_2M), m);
        }

        private Step verify(int cpu, long region) {
            return new Step.Rmpopt(cpu, Geometry.regionBase(region) + Geometry.PAGE_4K * random.nextInt(512),
                    random.nextInt(4) == 0 ? RmpoptFunction.REPORT_STATUS : RmpoptFunction.VERIFY_AND_REPORT_STATUS);
        }

        /** A reader or writer of {@code region} on {@code cpu}: VERIFY, REPORT, a write, RMPREAD or an IPI round. */
        private Step touch(int cpu, long region, long page) {
            return switch (random.nextInt(5)) {
                case 0, 1 -> verify(cpu, region);
                case 2 -> write(cpu, page);
                case 3 -> new Step.RmpRead(page);
                default -> round(region, cpu);
            };
        }

        /** An IPI round over some hot CPUs (across table words on wide hosts) and {@code with}. */
        private Step round(long region, int... with) {
            return round(region, random.nextInt(3) == 0 ? RmpoptFunction.REPORT_STATUS : RmpoptFunction.VERIFY_AND_REPORT_STATUS, mask(with));
        }

        private Step round(long region, RmpoptFunction function, CpuMask cpus) {
            return new Step.RmpoptRound(cpus, Geometry.regionBase(region), function);
        }

        private CpuMask mask(int... with) {
            int[] hot = scenario.hot().cpus();
            int n = Math.min(hot.length, 1 + random.nextInt(3)); // at most 5 tables: 32 ways to split the round (candidates)
            int[] cpus = java.util.Arrays.copyOf(with, with.length + n);
            for (int i = 0; i < n; i++) {
                cpus[with.length + i] = hot[random.nextInt(hot.length)];
            }
            return CpuMask.of(cpus);
        }

        /** A CPU whose core has no CPU in {@code cpus}, or null. */
        private Integer outsideCore(CpuMask cpus) {
            for (int tries = 0; tries < 20; tries++) {
                int c = random.nextInt(host.topology().cpuCount());
                boolean shares = false;
                for (int m = cpus.nextCpu(0); m >= 0 && !shares; m = cpus.nextCpu(m + 1)) {
                    shares = host.topology().coreOf(m) == host.topology().coreOf(c);
                }
                if (!shares) {
                    return c;
                }
            }
            return null;
        }

        /** The first of up to 100 generated steps that {@code test} accepts, or null. */
        private Step drawn(Predicate<Step> test) {
            for (int i = 0; i < 100; i++) {
                Step s = gen.next(model, random);
                if (test.test(s)) {
                    return s;
                }
            }
            return null;
        }

        private int park() {
            return 1 + random.nextInt(3);
        }

        /** A pair of the kind {@code aim} for the model's state, or null when the state offers none. */
        private Pair aim(Aim aim) {
            int a = cpu();
            switch (aim) {
                case WRITE_VS_ASSIGN -> {
                    // a write whose CPU lacks its clean region's bit, so that it takes the checked path, against the
                    // RMPUPDATE assigning its page or a VERIFY on its core setting the bit it read as clear
                    Long region = cleanRegionOf(a);
                    Long page = region == null ? null : freePageIn(region);
                    if (page == null || model.bit(a, region)) {
                        return null;
                    }
                    Step y = random.nextBoolean() ? assign(page)
                            : new Step.Rmpopt(other(a, true), Geometry.regionBase(region), RmpoptFunction.VERIFY_AND_REPORT_STATUS);
                    return new Pair(aim, write(a, page), y, park());
                }
                case VERIFY_VS_UPDATE, ROUND_VS_UPDATE -> {
                    Long region = cleanRegionOf(a);
                    Long page = region == null ? null : freePageIn(region);
                    if (page == null) {
                        return null;
                    }
                    if (aim == Aim.ROUND_VS_UPDATE) {
                        // the round's CPUs (over several table words on wide hosts) hold the bit first, half the time,
                        // so that the update's clear meets words read and words not yet read
                        // a and its SMT sibling (whose CPU number, past the core count, shares a mask word with high cores)
                        CpuMask cpus = mask(a, other(a, true));
                        int first = random.nextInt(4);
                        if (first > 0) {
                            // or every CPU of the host, so that every table holds the bit the update then clears
                            sequential(round(region, RmpoptFunction.VERIFY_AND_REPORT_STATUS,
                                    first == 1 ? cpus : CpuMask.range(0, host.topology().cpuCount())));
                        }
                        Step x = round(region, random.nextBoolean() ? RmpoptFunction.REPORT_STATUS : RmpoptFunction.VERIFY_AND_REPORT_STATUS, cpus);
                        // or a WRMSR on a core outside the round, which changes none of its CPUs' results but
                        // every MSR's sequence: the round must retry what it read, not stop
                        Integer outside = random.nextInt(3) == 0 ? outsideCore(cpus) : null;
                        Step y = outside == null ? update(page) : new Step.WriteRmpoptBase(outside, model.rdmsrRmpoptBase(outside).raw());
                        return new Pair(aim, x, y, 1 + random.nextInt(4));
                    }
                    if (random.nextBoolean()) {
                        // another table holds the bit, so the update's clear changes the word X read
                        sequential(new Step.Rmpopt(other(a, false), Geometry.regionBase(region), RmpoptFunction.VERIFY_AND_REPORT_STATUS));
                    }
                    return new Pair(aim, verify(a, region), update(page), park());
                }
                case UPDATE_VS_RMPOPT -> {
                    // an RMPUPDATE parked in its critical section (before or after its clear) while another CPU reads the region
                    Long region = cleanRegionOf(a);
                    Long page = region == null ? null : freePageIn(region);
                    if (page == null) {
                        return null;
                    }
                    int b = other(a, false);
                    int first = random.nextInt(3);
                    if (first == 1) {
                        sequential(new Step.Rmpopt(b, Geometry.regionBase(region), RmpoptFunction.VERIFY_AND_REPORT_STATUS));
                    } else if (first == 2) {
                        // every CPU of the host, so that every table holds the bit the update clears (and counts)
                        sequential(round(region, RmpoptFunction.VERIFY_AND_REPORT_STATUS, CpuMask.range(0, host.topology().cpuCount())));
                    }
                    // or a PSMASH of the page's unassigned range: it holds the region and fails, clearing nothing,
                    // so a REPORT round meeting the held region must still see the bits
                    Step x = random.nextInt(3) == 0 ? new Step.Psmash(Accessor.HYPERVISOR, Geometry.alignDown(page, Geometry.PAGE_2M)) : update(page);
                    Step y = random.nextInt(3) == 0 ? round(region, RmpoptFunction.REPORT_STATUS, mask(b)) : touch(b, region, page);
                    return new Pair(aim, x, y, park());
                }
                case WRMSR_VS_RMPOPT, RMPOPT_VS_WRMSR -> {
                    // WRMSR on a CPU of the verifying core (its SMT sibling where it has one) or of the round;
                    // afterwards the old window comes back, so a bit set through the stale MSR shows
                    int b = other(a, true);
                    Long region = cleanRegionOf(a);
                    if (region == null) {
                        return null;
                    }
                    long old = model.rdmsrRmpoptBase(b).raw();
                    long to = Geometry.regionBase(scenario.hot().regions().get(random.nextInt(scenario.hot().regions().size())))
                            | (random.nextInt(4) == 0 ? 0 : RmpoptBase.ENABLE);
                    Step wrmsr = new Step.WriteRmpoptBase(b, to);
                    CpuMask cpus = mask(a, b);
                    boolean single = random.nextBoolean();
                    Step rmpopt = single ? verify(a, region) : round(region, RmpoptFunction.VERIFY_AND_REPORT_STATUS, cpus);
                    List<Step> after = List.of(new Step.WriteRmpoptBase(b, old),
                            single ? new Step.Rmpopt(a, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS)
                                    : round(region, RmpoptFunction.REPORT_STATUS, cpus));
                    return aim == Aim.WRMSR_VS_RMPOPT ? new Pair(aim, wrmsr, rmpopt, park(), after) : new Pair(aim, rmpopt, wrmsr, park(), after);
                }
                case UPDATE_VS_UPDATE -> {
                    Long region = pick(scenario.hot().regions());
                    List<Long> pages = hotPagesIn(region);
                    if (pages.size() < 2) {
                        return null;
                    }
                    long p = pick(pages);
                    long q = pick(pages);
                    Step y = random.nextInt(3) == 0 ? new Step.Psmash(Accessor.HYPERVISOR, Geometry.alignDown(q, Geometry.PAGE_2M)) : update(q);
                    return new Pair(aim, update(p), y, park());
                }
                case PSMASH_VS_ACCESS -> {
                    Step x = drawn(s -> s instanceof Step.Psmash);
                    if (x == null) {
                        return null;
                    }
                    long spa = ((Step.Psmash) x).spa();
                    long page = spa + Geometry.PAGE_4K * random.nextInt(512);
                    return new Pair(aim, x, touch(other(a, false), Geometry.regionIndex(spa), page), park());
                }
                case FIRMWARE_VS_RMPOPT -> {
                    Step x = drawn(s -> s instanceof Step.LaunchUpdate || s instanceof Step.PageReclaim || s instanceof Step.Pvalidate);
                    if (x == null) {
                        return null;
                    }
                    long spa = spaOf(x);
                    return spa < 0 ? null : new Pair(aim, x, touch(a, Geometry.regionIndex(spa), Geometry.alignDown(spa, Geometry.PAGE_4K)), park());
                }
                case LIFECYCLE_VS_RMPOPT -> {
                    Step x = !model.isSnpInitialized() ? new Step.SnpInit()
                            : random.nextBoolean() ? new Step.SnpShutdown(random.nextBoolean() ? ShutdownKind.X86_SNP_SHUTDOWN : ShutdownKind.LEGACY_SNP_SHUTDOWN_EX)
                            : drawn(s -> s instanceof Step.Decommission);
                    Long region = pick(scenario.hot().regions());
                    Long page = pick(hotPagesIn(region));
                    if (x == null || page == null) {
                        return null;
                    }
                    return new Pair(aim, x, touch(a, region, page), park());
                }
                case GUEST_VS_UPDATE -> {
                    Step x = drawn(s -> s instanceof Step.Access acc && acc.accessor() instanceof Accessor.SnpGuest && acc.spa() >= 0);
                    if (x == null) {
                        return null;
                    }
                    Step.Access acc = (Step.Access) x;
                    long page = Geometry.alignDown(acc.spa(), Geometry.PAGE_4K);
                    Step y = random.nextBoolean() ? update(page) : new Step.RmpUpdate(Accessor.HYPERVISOR, page, RmpState.shared());
                    return new Pair(aim, x, y, park());
                }
                case READ_VS_UPDATE -> {
                    Long region = pick(scenario.hot().regions());
                    Long page = pick(hotPagesIn(region));
                    if (page == null) {
                        return null;
                    }
                    Step y = random.nextInt(3) == 0 ? new Step.Psmash(Accessor.HYPERVISOR, Geometry.alignDown(page, Geometry.PAGE_2M)) : update(page);
                    return new Pair(aim, new Step.RmpRead(page), y, park());
                }
                default -> throw new AssertionError(aim);
            }
        }

        // ------------------------------------------------------------------ running and judging a pair

        /** Runs {@code pair} interleaved and judges it; a failure report, "" to end the trial quietly, or null to go on. */
        private String interleave(Pair pair) {
            Seen[] seen = new Seen[2];
            Thread a = new Thread(() -> seen[0] = observe(pair.x()), "rmp-tck interleaving X");
            Thread b = new Thread(() -> seen[1] = observe(pair.y()), "rmp-tck interleaving Y");
            a.setDaemon(true);
            b.setDaemon(true);
            Parking.Arming arming = parking.arm(a, pair.park());
            a.start();
            boolean parked;
            try {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
                for (;;) {
                    if (arming.parked.await(1, TimeUnit.MILLISECONDS)) {
                        parked = true;
                        break;
                    }
                    if (!a.isAlive() || System.nanoTime() > until) {
                        parked = false;
                        break;
                    }
                }
                if (!parked) {
                    a.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
                }
                b.start();
                if (parked) {
                    b.join(OTHER_MILLIS);
                    arming.release.countDown();
                }
                a.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
                b.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return report(pair, "the kit was interrupted");
            } finally {
                arming.release.countDown();
            }
            if (a.isAlive() || b.isAlive()) {
                return report(pair, (a.isAlive() ? "X" : "Y") + " had not returned " + HANG_SECONDS + " s after X was let go: a deadlock or livelock");
            }
            if (parked) {
                verdicts.coverage().count(PARKED);
                verdicts.coverage().count("interleaved pair " + pair.aim());
            }
            return judge(pair, seen[0], seen[1], parked);
        }

        private Seen observe(Step step) {
            events.listen();
            Observation o = Observation.of(step, machine);
            List<Event> heard = events.take();
            events.mute();
            return new Seen(o, heard);
        }

        /** One part of a candidate order: X's or Y's operation, or the share of an IPI round's CPUs that took effect on one side of the other operation. */
        private record Part(boolean ofX, Step step) {
        }

        /**
         * The orders the pair may have taken: X then Y (X done before Y began: only that), Y then X,
         * and, where one of them is an IPI round, every split of the round's tables into those that
         * took effect before the other operation and those after (a round stands for one RMPOPT per
         * CPU, each at its own instant: model §6.1).
         */
        private List<List<Part>> candidates(Pair pair, boolean parked) {
            List<List<Part>> out = new ArrayList<>();
            Part x = new Part(true, pair.x());
            Part y = new Part(false, pair.y());
            if (!parked) {
                out.add(List.of(x, y));
                return out;
            }
            Part round = pair.x() instanceof Step.RmpoptRound ? x : pair.y() instanceof Step.RmpoptRound ? y : null;
            if (round == null) {
                out.add(List.of(x, y));
                out.add(List.of(y, x));
                return out;
            }
            Part other = round == x ? y : x;
            Step.RmpoptRound r = (Step.RmpoptRound) round.step();
            List<List<Integer>> groups = new ArrayList<>(); // the round's CPUs by table
            java.util.Map<Integer, List<Integer>> byTable = new java.util.TreeMap<>();
            for (int cpu = r.cpus().nextCpu(0); cpu >= 0; cpu = r.cpus().nextCpu(cpu + 1)) {
                byTable.computeIfAbsent(model.tableOf(cpu), t -> new ArrayList<>()).add(cpu);
            }
            groups.addAll(byTable.values());
            for (int subset = 0; subset < 1 << groups.size(); subset++) {
                List<Integer> before = new ArrayList<>();
                List<Integer> after = new ArrayList<>();
                for (int g = 0; g < groups.size(); g++) {
                    ((subset >> g & 1) != 0 ? before : after).addAll(groups.get(g));
                }
                List<Part> parts = new ArrayList<>(3);
                if (!before.isEmpty()) {
                    parts.add(new Part(round.ofX(), share(r, before)));
                }
                parts.add(other);
                if (!after.isEmpty()) {
                    parts.add(new Part(round.ofX(), share(r, after)));
                }
                out.add(parts);
            }
            return out;
        }

        private Step share(Step.RmpoptRound r, List<Integer> cpus) {
            return new Step.RmpoptRound(CpuMask.of(cpus.stream().mapToInt(Integer::intValue).toArray()), r.spa(), r.function());
        }

        private String judge(Pair pair, Seen x, Seen y, boolean parked) {
            Set<Long> regions = touchedRegions(pair);
            List<Step> probes = probes(regions, pair);
            List<Observation> after = new ArrayList<>(probes.size());
            for (Step p : probes) {
                after.add(Observation.of(p, machine));
            }
            long[] counts = counts(machine, regions);
            Fit best = Fit.NONE;
            SpecModel bestModel = null;
            List<Part> bestOrder = null;
            StringBuilder why = new StringBuilder();
            for (List<Part> order : candidates(pair, parked)) {
                SpecModel m = replay();
                StringBuilder reason = new StringBuilder();
                Fit f = Fit.EXACT;
                java.util.Map<Integer, RmpoptResult> roundResults = new java.util.HashMap<>();
                for (Part part : order) {
                    Seen seen = part.ofX() ? x : y;
                    Step whole = part.ofX() ? pair.x() : pair.y();
                    if (part.step() != whole) {
                        // a share of an IPI round: its CPUs' results, judged with the rest of the round below
                        RmpoptResults share = (RmpoptResults) Observation.of(part.step(), m).value();
                        Step.RmpoptRound r = (Step.RmpoptRound) part.step();
                        for (int cpu = r.cpus().nextCpu(0); cpu >= 0; cpu = r.cpus().nextCpu(cpu + 1)) {
                            roundResults.put(cpu, share.result(cpu));
                        }
                        continue;
                    }
                    f = min(f, apply(m, part.step(), seen, part.ofX() ? pair.y() : pair.x(), reason));
                    if (f == Fit.NONE) {
                        break;
                    }
                }
                if (f != Fit.NONE && !roundResults.isEmpty()) {
                    f = min(f, fitRound(pair.x() instanceof Step.RmpoptRound ? pair.x() : pair.y(),
                            pair.x() instanceof Step.RmpoptRound ? x : y, roundResults, reason));
                }
                for (int i = 0; i < probes.size() && f != Fit.NONE; i++) {
                    Observation want = Observation.of(probes.get(i), m);
                    Fit pf = fit(probes.get(i), after.get(i), want);
                    if (pf != Fit.EXACT) {
                        reason.append("; afterwards ").append(probes.get(i).describe()).append(" -> ").append(after.get(i))
                                .append(" where the model gives ").append(want);
                    }
                    f = min(f, pf);
                }
                if (f != Fit.NONE && !java.util.Arrays.equals(counts, counts(m, regions))) {
                    reason.append("; afterwards assignedPages of regions ").append(regions).append(" = ")
                            .append(java.util.Arrays.toString(counts)).append(" where the model gives ").append(java.util.Arrays.toString(counts(m, regions)));
                    f = Fit.NONE;
                }
                why.append("\n    ").append(describe(order)).append(": ").append(reason.length() == 0 ? "fits" : reason.substring(2));
                if (f.compareTo(best) > 0) {
                    best = f;
                    bestModel = m;
                    bestOrder = order;
                }
                if (best == Fit.EXACT) {
                    break;
                }
            }
            String what = "X = " + pair.x().describe() + " -> " + x.result() + (parked ? ", parked at its interleaving point " + pair.park() : ", not parked (it reached fewer points)")
                    + "; Y = " + pair.y().describe() + " -> " + y.result() + "; heard by X " + x.heard() + ", by Y " + y.heard();
            if (best == Fit.NONE) {
                return report(pair, what + "; no order of the two fits:" + why);
            }
            if (best == Fit.DROPPED_BITS) {
                verdicts.failExactBits(report(pair, Rule.EXACT_BITS, what + "; it fits an order only with bits the model still holds dropped:" + why));
                return "";
            }
            for (Part part : bestOrder) {
                if (!inUse(part.ofX() ? x : y)) {
                    history.add(part.step());
                }
            }
            model = bestModel;
            return null;
        }

        private static String describe(List<Part> order) {
            StringBuilder sb = new StringBuilder();
            for (Part p : order) {
                sb.append(sb.length() == 0 ? "" : " then ").append(p.ofX() ? "X" : "Y");
                if (p.step() instanceof Step.RmpoptRound r) {
                    sb.append(" on cpus ").append(r.cpus());
                }
            }
            return sb.toString();
        }

        /** How the machine's IPI round result fits the results its CPUs' shares gave in the model, CPU by CPU; its events follow its own results. */
        private Fit fitRound(Step step, Seen seen, java.util.Map<Integer, RmpoptResult> want, StringBuilder reason) {
            Step.RmpoptRound r = (Step.RmpoptRound) step;
            if (!(seen.result().value() instanceof RmpoptResults got)) {
                reason.append("; ").append(step.describe()).append(" -> ").append(seen.result());
                return Fit.NONE;
            }
            Fit f = Fit.EXACT;
            for (int cpu = r.cpus().nextCpu(0); cpu >= 0; cpu = r.cpus().nextCpu(cpu + 1)) {
                RmpoptResult g = got.result(cpu);
                RmpoptResult w = want.get(cpu);
                if (g != w) {
                    boolean dropped = r.function() == RmpoptFunction.REPORT_STATUS && g == RmpoptResult.CARRY_CLEAR && w == RmpoptResult.CARRY_SET;
                    reason.append("; ").append(step.describe()).append(" gave cpu ").append(cpu).append(' ').append(Describe.result(g))
                            .append(" where the model gives ").append(Describe.result(w));
                    f = min(f, dropped ? Fit.DROPPED_BITS : Fit.NONE);
                }
            }
            List<Event> expected = EventContract.expected(step, got, 0, scenario.options());
            if (!expected.equals(seen.heard())) {
                reason.append("; ").append(step.describe()).append(" was heard as ").append(seen.heard()).append(" where the contract asks for ").append(expected);
                return Fit.NONE;
            }
            return f;
        }

        private boolean inUse(Seen s) {
            return s.result().value() == RmpReturnCode.FAIL_INUSE && scenario.options().failInUse();
        }

        /**
         * Applies {@code step} to {@code m} and judges the machine's {@code seen} against it; a
         * FAIL_INUSE (with the option on, while {@code other} holds an entry of the region) must have
         * changed nothing and reported its own event alone.
         */
        private Fit apply(SpecModel m, Step step, Seen seen, Step other, StringBuilder reason) {
            if (seen.result().value() == RmpReturnCode.FAIL_INUSE && (step instanceof Step.RmpUpdate || step instanceof Step.Psmash)) {
                long spa = step instanceof Step.RmpUpdate u ? u.spa() : ((Step.Psmash) step).spa();
                if (!scenario.options().failInUse() || !holdsRegionOf(other, Geometry.regionIndex(spa))) {
                    reason.append("; ").append(step.describe()).append(" returned FAIL_INUSE ").append(scenario.options().failInUse()
                            ? "while the other operation changed no entry of its region" : "with ModelOptions.failInUse off");
                    return Fit.NONE;
                }
                List<Event> own = EventContract.expected(step, RmpReturnCode.FAIL_INUSE, 0, m.options());
                if (!seen.heard().equals(own)) {
                    reason.append("; its FAIL_INUSE was heard as ").append(seen.heard()).append(" where the contract asks for ").append(own);
                    return Fit.NONE;
                }
                return Fit.EXACT;
            }
            StepChecker.Before before = StepChecker.Before.of(step, m);
            boolean observable = m.rmpChecksEnabled();
            Observation want = Observation.of(step, m);
            Fit f = fit(step, seen.result(), want);
            if (f != Fit.EXACT) {
                reason.append("; ").append(step.describe()).append(" -> ").append(seen.result()).append(" where the model gives ").append(want);
            }
            if (f == Fit.NONE || !want.returned()) {
                return f;
            }
            List<Event> expected = EventContract.expected(step, want.value(), before.tablesHolding(), m.options());
            if (EventContract.check(step, expected, seen.heard(), before.bits(), observable) == null) {
                return f;
            }
            // a clear naming fewer tables than the model's, or none: the backend dropped bits before (never more tables than held the bit)
            List<Event> lessExpected = new ArrayList<>(expected);
            lessExpected.removeIf(e -> e instanceof Event.Cleared);
            List<Event> lessHeard = new ArrayList<>(seen.heard());
            lessHeard.removeIf(e -> e instanceof Event.Cleared);
            boolean fewer = seen.heard().stream().noneMatch(e -> e instanceof Event.Cleared c
                    && c.tables() > before.bits().getOrDefault(c.region(), 0));
            reason.append("; ").append(step.describe()).append(" was heard as ").append(seen.heard()).append(" where the contract asks for ").append(expected);
            return fewer && lessExpected.equals(lessHeard) ? min(f, Fit.DROPPED_BITS) : Fit.NONE;
        }

        /** Whether {@code op} changes an entry of {@code region} (or every region's), so that FAIL_INUSE may meet it there. */
        private boolean holdsRegionOf(Step op, long region) {
            if (op instanceof Step.SnpInit || op instanceof Step.LaunchStart || op instanceof Step.Decommission) {
                return true;
            }
            boolean changesAnEntry = op instanceof Step.RmpUpdate || op instanceof Step.Psmash || op instanceof Step.Pvalidate
                    || op instanceof Step.LaunchUpdate || op instanceof Step.PageReclaim;
            long spa = spaOf(op);
            return changesAnEntry && spa >= 0 && Geometry.regionIndex(spa) == region;
        }

        /** How {@code got} fits {@code want} for {@code step}: equal, or explained by bits the backend no longer holds. */
        private Fit fit(Step step, Observation got, Observation want) {
            if (got.sameAs(want)) {
                return Fit.EXACT;
            }
            if (step instanceof Step.Rmpopt r && r.function() == RmpoptFunction.REPORT_STATUS
                    && got.value() == RmpoptResult.CARRY_CLEAR && want.value() == RmpoptResult.CARRY_SET) {
                return Fit.DROPPED_BITS;
            }
            if (step instanceof Step.Access && got.value() == AccessOutcome.CHECKED && want.value() == AccessOutcome.SKIPPED) {
                return Fit.DROPPED_BITS;
            }
            if (step instanceof Step.RmpoptRound r && r.function() == RmpoptFunction.REPORT_STATUS
                    && got.value() instanceof RmpoptResults g && want.value() instanceof RmpoptResults w) {
                for (int cpu = r.cpus().nextCpu(0); cpu >= 0; cpu = r.cpus().nextCpu(cpu + 1)) {
                    if (g.result(cpu) != w.result(cpu) && !(g.result(cpu) == RmpoptResult.CARRY_CLEAR && w.result(cpu) == RmpoptResult.CARRY_SET)) {
                        return Fit.NONE;
                    }
                }
                return Fit.DROPPED_BITS;
            }
            return Fit.NONE;
        }

        private static Fit min(Fit a, Fit b) {
            return a.compareTo(b) <= 0 ? a : b;
        }

        /** A fresh model in the state the history leaves. */
        private SpecModel replay() {
            SpecModel m = new SpecModel(host, scenario.options());
            for (Step s : history) {
                Observation.of(s, m);
            }
            return m;
        }

        /** The regions the pair can have changed: its operations' own, or every hot one for WRMSR and the lifecycle. */
        private Set<Long> touchedRegions(Pair pair) {
            Set<Long> out = new LinkedHashSet<>();
            for (Step s : List.of(pair.x(), pair.y())) {
                long spa = spaOf(s);
                if (spa >= 0) {
                    out.add(Geometry.regionIndex(spa));
                } else {
                    out.addAll(scenario.hot().regions());
                }
            }
            out.removeIf(r -> r >= host.regionCount());
            return out;
        }

        /** The address {@code s} acts on, or -1 for a step that names none (SNP_INIT, WRMSR, the firmware's guest commands). */
        private long spaOf(Step s) {
            if (s instanceof Step.RmpUpdate u) {
                return u.spa();
            } else if (s instanceof Step.Psmash p) {
                return p.spa();
            } else if (s instanceof Step.RmpRead r) {
                return r.spa();
            } else if (s instanceof Step.Pvalidate v) {
                return v.spa();
            } else if (s instanceof Step.LaunchUpdate l) {
                return l.spa();
            } else if (s instanceof Step.PageReclaim r) {
                return r.spa();
            } else if (s instanceof Step.Rmpopt r) {
                return r.spa();
            } else if (s instanceof Step.RmpoptRound r) {
                return r.spa();
            } else if (s instanceof Step.Access a) {
                return a.spa();
            }
            return -1;
        }

        /**
         * What the kit reads of the state after a pair: REPORT_STATUS and RDMSR of the hot CPUs and of
         * every CPU the pair names (so that two orders that differ in a table the pair touched never both
         * fit), and RMPREAD of the hot pages, over {@code regions}.
         */
        private List<Step> probes(Set<Long> regions, Pair pair) {
            Set<Integer> cpus = new java.util.TreeSet<>();
            for (int cpu : scenario.hot().cpus()) {
                cpus.add(cpu);
            }
            for (Step s : List.of(pair.x(), pair.y())) {
                if (s instanceof Step.Rmpopt r) {
                    cpus.add(r.cpu());
                } else if (s instanceof Step.Access a) {
                    cpus.add(a.cpu());
                } else if (s instanceof Step.WriteRmpoptBase w) {
                    cpus.add(w.cpu());
                } else if (s instanceof Step.RmpoptRound r) {
                    for (int cpu = r.cpus().nextCpu(0); cpu >= 0; cpu = r.cpus().nextCpu(cpu + 1)) {
                        cpus.add(cpu);
                    }
                }
            }
            cpus.removeIf(cpu -> cpu < 0 || cpu >= host.topology().cpuCount());
            List<Step> out = new ArrayList<>();
            for (long region : regions) {
                for (int cpu : cpus) {
                    out.add(new Step.Rmpopt(cpu, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS));
                }
                for (long p : hotPagesIn(region)) {
                    out.add(new Step.RmpRead(p));
                }
            }
            for (int cpu : cpus) {
                out.add(new Step.ReadRmpoptBase(cpu));
            }
            return out;
        }

        private long[] counts(SnpMachine m, Set<Long> regions) {
            long[] out = new long[regions.size()];
            int i = 0;
            for (long r : regions) {
                out[i++] = m.assignedPages(r);
            }
            return out;
        }

        private String report(Pair pair, String what) {
            return report(pair, Rule.INTERLEAVING, what);
        }

        private String report(Pair pair, Rule rule, String what) {
            String seed = TckSettings.formatSeed(scenario.seed());
            StringBuilder sb = new StringBuilder(Counterexample.header(rule));
            sb.append("  seed: ").append(seed).append("  (replay: -D").append(TckSettings.SEED_PROPERTY).append('=').append(seed).append(")\n");
            sb.append("  ").append(scenario.describe()).append('\n');
            sb.append("  after SNP_INIT, RMPOPT_BASE on every core and ").append(history.size() - host.topology().primaryThreads().length - 1)
                    .append(" more steps, of which these touch the pair's regions or every region:\n");
            Set<Long> regions = pair == null ? Set.of() : touchedRegions(pair);
            int shown = 0;
            for (Step s : history) {
                long spa = spaOf(s);
                if ((spa < 0 && !(s instanceof Step.WriteRmpoptBase)) || regions.contains(spa < 0 ? -1 : Geometry.regionIndex(spa))) {
                    sb.append("    ").append(s.describe()).append('\n');
                    shown++;
                }
                if (shown >= 40) {
                    sb.append("    ...\n");
                    break;
                }
            }
            if (pair != null) {
                sb.append("  pair (").append(pair.aim()).append("): X = ").append(pair.x().describe()).append(", Y = ").append(pair.y().describe()).append('\n');
            }
            sb.append("  then: ").append(what).append('\n');
            sb.append("  if this fails, check: ").append(rule.ifFails());
            return sb.toString();
        }
    }
}

package dev.rmpopt.tck;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.CpuMask;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PageState;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.ShutdownKind;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Draws the next {@link Step} of a random sequence, looking at the model's state the way a
 * stateful property test does: firmware commands prefer pages in the state they need, VERIFY and
 * writes prefer the regions and CPUs where bits are. Every kind of step can still be drawn in any
 * state, including bad input (model §4 error codes) and out-of-contract arguments (nulls, negative
 * addresses, CPUs that do not exist), so that refusals are tested too.
 *
 * <p>Each trial follows a lifecycle plan drawn up front, so that the kit reaches the SNP lifecycle
 * on purpose rather than by chance (model §4: RMPOPT_BASE may be written before SNP_INIT when SnpEn
 * is set at power-on, SNP_INIT zeroes every table, X86_SNP_SHUTDOWN makes RMPOPT #UD, the legacy
 * shutdown leaves every MSR and bit): a phase before the first SNP_INIT in which
 * SNP_INIT is held back while cores enable RMPOPT and VERIFY (often the regions SNP_INIT will give
 * the firmware), then now and then a teardown (DECOMMISSION of every guest, a shutdown of either
 * kind), a phase with SNP off again (WRMSR, VERIFY, REPORT, writes, RMPUPDATE), and the next SNP_INIT; after every
 * SNP_INIT, VERIFY goes often to the regions it assigned pages in. Only the model, the plan and the
 * random source decide, so a seed replays a run.
 */
final class StepGen {

    /** The SNP guests' ASIDs a sequence uses: few, so that owners match often. */
    private static final int[] ASIDS = {1, 2, 3};

    private final HotAddresses hot;
    private final int cpus;
    /** Steps with SNP held back before the first SNP_INIT (0: SNP_INIT comes soon, as Linux boots). */
    private final int offAtStart;
    /** The step from which a teardown (DECOMMISSION, SNP_SHUTDOWN) is pursued, or MAX_VALUE for none. */
    private int teardownFrom;
    /** Steps with SNP held back after an SNP_SHUTDOWN. */
    private final int offBetween;
    /** Steps after an SNP_INIT during which VERIFY prefers the regions it assigned pages in. */
    private static final int AFTER_INIT_FOCUS = 12;
    /** Teardowns a plan pursues at most. */
    private static final int MAX_CYCLES = 2;
    private int step;
    private int offSteps;
    private int sinceInit = Integer.MAX_VALUE;
    private boolean everInitialized;
    private int cycles;

    /** A generator for the hot addresses of one trial, drawing the trial's lifecycle plan from {@code r}. */
    StepGen(HotAddresses hot, SplittableRandom r) {
        this.hot = hot;
        this.cpus = hot.host().topology().cpuCount();
        this.offAtStart = r.nextInt(100) < 45 ? 4 + r.nextInt(22) : 0;
        this.teardownFrom = r.nextInt(100) < 55 ? 12 + r.nextInt(50) : Integer.MAX_VALUE;
        this.offBetween = 3 + r.nextInt(18);
    }

    /** The next step for a machine whose state {@code model} mirrors. */
    Step next(SpecModel model, SplittableRandom r) {
        step++;
        boolean init = model.isSnpInitialized();
        if (init) {
            everInitialized = true;
            offSteps = 0;
            sinceInit = sinceInit == Integer.MAX_VALUE ? 0 : sinceInit + 1;
        } else {
            offSteps++;
            sinceInit = Integer.MAX_VALUE;
        }
        boolean holdOff = !init && offSteps <= (everInitialized ? offBetween : offAtStart);
        int disabled = 0;
        for (int cpu : hot.cpus()) {
            disabled += model.rmpoptEnabled(cpu) ? 0 : 1;
        }
        boolean someCoreDisabled = disabled > 0;
        if (init && step >= teardownFrom && cycles < MAX_CYCLES) {
            Step teardown = teardown(model, r);
            if (teardown != null) {
                return teardown;
            }
        }
        int[] weights = {
            init ? 1 : holdOff ? 0 : 30,                           // 0 SNP_INIT
            someCoreDisabled ? (init || holdOff ? Math.min(40, 10 + 2 * disabled) : 4) : 2, // 1 WRMSR (many hot cores: more)
            holdOff ? 12 : 26,                                     // 2 RMPUPDATE
            4,                                                     // 3 PSMASH
            2,                                                     // 4 RMPREAD
            6,                                                     // 5 PVALIDATE
            init && model.liveGuests().isEmpty() ? 6 : 3,          // 6 LAUNCH_START
            model.liveGuests().isEmpty() ? 4 : 10,                 // 7 LAUNCH_UPDATE
            2,                                                     // 8 DECOMMISSION
            3,                                                     // 9 PAGE_RECLAIM
            1,                                                     // 10 SNP_SHUTDOWN
            holdOff ? 22 : 16,                                     // 11 RMPOPT VERIFY
            holdOff ? 8 : 5,                                       // 12 RMPOPT REPORT
            24,                                                    // 13 access
            3,                                                     // 14 out-of-contract arguments
        };
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int pick = r.nextInt(total);
        int kind = 0;
        while (pick >= weights[kind]) {
            pick -= weights[kind];
            kind++;
        }
        switch (kind) {
            case 0:
                return new Step.SnpInit();
            case 1:
                return wrmsr(model, r);
            case 2:
                return r.nextInt(5) < 2 ? release(model, r) : rmpUpdate(model, r);
            case 3:
                return psmash(model, r);
            case 4:
                return new Step.RmpRead(r.nextInt(6) == 0 ? hot.badAddress().next(r) : hot.page().next(r));
            case 5:
                return pvalidate(model, r);
            case 6:
                return launchStart(model, r);
            case 7:
                return launchUpdate(model, r);
            case 8:
                return new Step.Decommission(r.nextInt(5) == 0 ? boundaryAsid(r) : guestAsid(model, r));
            case 9:
                return pageReclaim(model, r);
            case 10:
                return new Step.SnpShutdown(shutdownKind(r));
            case 11:
                return roundNext(r) ? new Step.RmpoptRound(round(r), verifyTarget(model, r, holdOff), RmpoptFunction.VERIFY_AND_REPORT_STATUS)
                        : new Step.Rmpopt(enabledCpu(model, r), verifyTarget(model, r, holdOff), RmpoptFunction.VERIFY_AND_REPORT_STATUS);
            case 12:
                return roundNext(r) ? new Step.RmpoptRound(round(r), hot.regionAddress().next(r), RmpoptFunction.REPORT_STATUS)
                        : new Step.Rmpopt(enabledCpu(model, r), hot.regionAddress().next(r), RmpoptFunction.REPORT_STATUS);
            case 13:
                return access(model, r);
            default:
                return outOfContract(model, r);
        }
    }

    /** The teardown of the plan: DECOMMISSION of a live guest, else SNP_SHUTDOWN; null to go on for now. */
    private Step teardown(SpecModel model, SplittableRandom r) {
        if (r.nextInt(3) == 0) {
            return null;
        }
        List<Integer> live = model.liveGuests();
        if (!live.isEmpty()) {
            return new Step.Decommission(live.get(r.nextInt(live.size())));
        }
        cycles++;
        teardownFrom = step + 15 + r.nextInt(30);
        return new Step.SnpShutdown(shutdownKind(r));
    }

    /** Either shutdown path, as often (model §4.8): SnpEn cleared, or kept with every MSR and bit. */
    private static ShutdownKind shutdownKind(SplittableRandom r) {
        return r.nextBoolean() ? ShutdownKind.X86_SNP_SHUTDOWN : ShutdownKind.LEGACY_SNP_SHUTDOWN_EX;
    }

    /**
     * Where VERIFY goes: while SNP is off and just after SNP_INIT, often a region holding the RMP or
     * firmware pages (clean before SNP_INIT, assigned after it: a stale clean-region cache shows
     * there); else a hot region.
     */
    private long verifyTarget(SpecModel model, SplittableRandom r, boolean holdOff) {
        List<Long> reserved = hot.reservedRegions();
        boolean focus = holdOff || sinceInit < AFTER_INIT_FOCUS;
        if (!reserved.isEmpty() && focus && r.nextInt(2) == 0) {
            return Geometry.regionBase(reserved.get(r.nextInt(reserved.size())));
        }
        return hot.regionAddress().next(r);
    }

    /**
     * A VERIFY round outside the contract: half of them a negative address with a valid mask, the
     * others a CPU that does not exist in the mask, with a good address or a negative one, so that
     * neither check hides the other.
     */
    private Step badRound(int cpu, long negative, SplittableRandom r) {
        boolean badMask = r.nextBoolean();
        CpuMask mask = badMask ? CpuMask.of(cpu, r.nextBoolean() ? cpus : cpus + 64) : CpuMask.of(cpu);
        long spa = !badMask || r.nextBoolean() ? negative : hot.regionAddress().next(r);
        return new Step.RmpoptRound(mask, spa, RmpoptFunction.VERIFY_AND_REPORT_STATUS);
    }

    /**
     * Whether the next RMPOPT is an IPI round rather than a single call: a quarter of them, and half
     * on a host of more than {@link HotAddresses#SMALL_CPUS} CPUs, whose rounds span several words.
     */
    private boolean roundNext(SplittableRandom r) {
        return cpus > HotAddresses.SMALL_CPUS ? r.nextBoolean() : r.nextInt(4) == 0;
    }

    /**
     * The CPUs of an IPI round: every CPU of the host (the kernel's follower rounds), the hot CPUs, a
     * few of them, or the CPUs on either side of the words of a mask (31/32, 63/64, 127/128) that the
     * host has, where an O(CPUs / 64) override splits its work, with some of the cores at those
     * indices and all their threads (on per-core tables a core's siblings share its table).
     */
    private CpuMask round(SplittableRandom r) {
        int[] hotCpus = hot.cpus();
        switch (r.nextInt(4)) {
            case 0:
                return CpuMask.range(r.nextInt(2), cpus);
            case 1:
                return CpuMask.of(hotCpus);
            case 2: {
                int[] some = new int[1 + r.nextInt(3)];
                for (int i = 0; i < some.length; i++) {
                    some[i] = hotCpus[r.nextInt(hotCpus.length)];
                }
                return CpuMask.of(some);
            }
            default: {
                // the CPUs at the mask's word ends, and every thread of the cores at the table words' ends
                CpuTopology t = hot.host().topology();
                IntStream cores = IntStream.of(HotAddresses.INDEX_BOUNDARIES)
                        .filter(c -> c < t.coreCount() && r.nextBoolean())
                        .flatMap(c -> IntStream.of(t.siblingsOf(t.cpuOf(c, 0))));
                return CpuMask.of(IntStream.concat(IntStream.of(0, 31, 32, 63, 64, 127, 128, cpus - 1)
                        .filter(c -> c < cpus), cores).distinct().toArray());
            }
        }
    }

    private int cpu(SplittableRandom r) {
        return hot.cpu(r);
    }

    /** Mostly a CPU whose core has RMPOPT enabled (or disabled, when {@code enabled} is false), if there is one. */
    private int cpuWhere(SpecModel model, SplittableRandom r, boolean enabled) {
        if (r.nextInt(5) == 0) {
            return cpu(r);
        }
        List<Integer> matching = new ArrayList<>();
        for (int cpu : hot.cpus()) {
            if (model.rmpoptUsable(cpu) == enabled) {
                matching.add(cpu);
            }
        }
        return matching.isEmpty() ? cpu(r) : matching.get(r.nextInt(matching.size()));
    }

    private int enabledCpu(SpecModel model, SplittableRandom r) {
        return cpuWhere(model, r, true);
    }

    /** An RMPUPDATE that makes an assigned, mutable hot page shared again, so that regions become clean. */
    private Step release(SpecModel model, SplittableRandom r) {
        List<Long> assigned = new ArrayList<>();
        for (long spa : hot.pages()) {
            RmpEntry e = model.authoritative(Geometry.pfn(spa));
            if (e.assigned() && !e.immutable()) {
                assigned.add(e.pageSize() == PageSize.SIZE_2M ? Geometry.alignDown(spa, Geometry.PAGE_2M) : spa);
            }
        }
        if (assigned.isEmpty()) {
            return rmpUpdate(model, r);
        }
        long spa = assigned.get(r.nextInt(assigned.size()));
        boolean twoM = model.authoritative(Geometry.pfn(spa)).pageSize() == PageSize.SIZE_2M;
        return new Step.RmpUpdate(Accessor.HYPERVISOR, spa, RmpState.shared(twoM && r.nextInt(3) != 0 ? PageSize.SIZE_2M : PageSize.SIZE_4K));
    }

    private static Accessor caller(SplittableRandom r) {
        int k = r.nextInt(40);
        return k == 0 ? new Accessor.NonSnpGuest(7) : k == 1 ? new Accessor.SnpGuest(ASIDS[r.nextInt(ASIDS.length)]) : Accessor.HYPERVISOR;
    }

    private Step wrmsr(SpecModel model, SplittableRandom r) {
        long base;
        // Large hosts' RAM lies beyond the window from the lowest RAM: there, windows at hot regions.
        boolean large = hot.host().regionCount() > HotAddresses.SMALL_REGIONS;
        int k0 = r.nextInt(6);
        if (k0 < (large ? 2 : 4)) {
            base = Geometry.alignDown(hot.host().ramStart(), Geometry.REGION_1G); // what Linux writes (model §7)
        } else if (k0 < 5) {
            // a window whose first or last region is a hot one (the window's edges meet the sweep)
            long region = hot.regions().get(r.nextInt(hot.regions().size()));
            long first = r.nextBoolean() ? region : Math.max(0, region - model.options().windowRegions() + 1);
            base = Geometry.regionBase(first);
        } else {
            base = Geometry.regionBase(r.nextInt((int) Math.min(hot.host().regionCount() + 1, Integer.MAX_VALUE)));
        }
        int k = r.nextInt(20);
        long value = k == 0 ? base : k == 1 ? base | RmpoptBase.ENABLE | (1L << (1 + r.nextInt(29))) : base | RmpoptBase.ENABLE;
        return new Step.WriteRmpoptBase(cpuWhere(model, r, false), value);
    }

    private Step rmpUpdate(SpecModel model, SplittableRandom r) {
        // now and then the largest ASID and GPA a well-formed state may hold (model §3.2, §4.4): a backend's
        // own encoding must take them
        int asid = r.nextInt(16) == 0 ? RmpState.MAX_ASID : ASIDS[r.nextInt(ASIDS.length)];
        int g = r.nextInt(32);
        long gpa = g == 0 ? RmpState.GPA_LIMIT - Geometry.PAGE_2M : g < 16 ? 0 : r.nextInt(64) * Geometry.PAGE_2M;
        RmpState state;
        boolean twoM = false;
        switch (r.nextInt(16)) {
            case 0: case 1: case 2: case 3:
                state = RmpState.shared();
                break;
            case 4:
                state = RmpState.shared(PageSize.SIZE_2M);
                twoM = true;
                break;
            case 5: case 6: case 7:
                state = RmpState.guestPrivate(asid, gpa, PageSize.SIZE_4K, false);
                break;
            case 8: case 9:
                state = RmpState.guestPrivate(asid, gpa, PageSize.SIZE_4K, true);
                break;
            case 10: case 11:
                state = RmpState.guestPrivate(asid, gpa, PageSize.SIZE_2M, r.nextBoolean());
                twoM = true;
                break;
            case 12: case 13:
                state = RmpState.firmware();
                break;
            case 14:
                state = new RmpState(true, PageSize.SIZE_2M, true, 0, 0); // a 2M firmware page
                twoM = true;
                break;
            default:
                state = illFormed(r, asid);
                break;
        }
        long spa;
        long[] optimized;
        int where = r.nextInt(24);
        if (where == 0) {
            spa = hot.badAddress().next(r);
        } else if (where == 1 && !twoM) {
            // the last page of a region: VERIFY's scan must reach it
            long region = hot.regions().get(r.nextInt(hot.regions().size()));
            spa = Geometry.regionBase(region + 1) - Geometry.PAGE_4K;
        } else if ((where == 2 || where == 3) && (optimized = optimizedTarget(model, r)) != null) {
            // a page of a region some core holds the bit of: the clear's table count (the event
            // contract) then counts every table that held it, across the words of a wide host's row
            spa = twoM ? Geometry.alignDown(optimized[1], Geometry.PAGE_2M) : optimized[1];
        } else if (twoM && where > 2) {
            spa = hot.range().next(r);
        } else {
            spa = hot.page().next(r);
        }
        return new Step.RmpUpdate(caller(r), spa, state);
    }

    private static RmpState illFormed(SplittableRandom r, int asid) {
        switch (r.nextInt(5)) {
            case 0:
                return new RmpState(true, PageSize.SIZE_4K, false, RmpState.MAX_ASID + 1, 0);
            case 1:
                return new RmpState(false, PageSize.SIZE_4K, false, asid, 0);
            case 2:
                return new RmpState(true, PageSize.SIZE_4K, false, asid, Geometry.PAGE_4K + 8);
            case 3:
                return new RmpState(true, PageSize.SIZE_2M, false, asid, Geometry.PAGE_4K);
            default:
                return new RmpState(false, PageSize.SIZE_4K, true, 0, 0);
        }
    }

    /**
     * An ASID at or just past the edges of the valid range (0, 1, 1023, 1024), or any other: the
     * firmware's ASID checks are boundary comparisons (model §4.8), which a mutation testing run
     * found only the edges tell apart.
     */
    private static int boundaryAsid(SplittableRandom r) {
        int[] edges = {0, 1, RmpState.MAX_ASID, RmpState.MAX_ASID + 1};
        return r.nextInt(5) == 0 ? 1 + r.nextInt(RmpState.MAX_ASID) : edges[r.nextInt(edges.length)];
    }

    private int guestAsid(SpecModel model, SplittableRandom r) {
        List<Integer> live = model.liveGuests();
        if (!live.isEmpty() && r.nextBoolean()) {
            return live.get(r.nextInt(live.size()));
        }
        return ASIDS[r.nextInt(ASIDS.length)];
    }

    /** A hot page whose authoritative entry is in {@code state}, or any hot page. */
    private long pageIn(SpecModel model, SplittableRandom r, PageState state) {
        List<Long> matching = new ArrayList<>();
        for (long spa : hot.pages()) {
            if (model.authoritative(Geometry.pfn(spa)).state() == state) {
                matching.add(spa);
            }
        }
        return matching.isEmpty() || r.nextInt(5) == 0 ? hot.page().next(r) : matching.get(r.nextInt(matching.size()));
    }

    /** PSMASH, mostly of an assigned 2M entry (validated ones included: PSMASH must keep the bit). */
    private Step psmash(SpecModel model, SplittableRandom r) {
        List<Long> twoM = new ArrayList<>();
        for (long base : hot.ranges()) {
            RmpEntry e = model.authoritative(Geometry.pfn(base));
            if (e.assigned() && e.pageSize() == PageSize.SIZE_2M) {
                twoM.add(base);
            }
        }
        long spa = !twoM.isEmpty() && r.nextInt(4) != 0 ? twoM.get(r.nextInt(twoM.size()))
                : r.nextInt(8) == 0 ? hot.page().next(r) : hot.range().next(r);
        return new Step.Psmash(caller(r), spa);
    }

    private Step pvalidate(SpecModel model, SplittableRandom r) {
        long spa = pageIn(model, r, r.nextBoolean() ? PageState.GUEST_INVALID : PageState.GUEST_VALID);
        RmpEntry entry = model.authoritative(Geometry.pfn(Math.max(0, spa)));
        int asid = entry.asid() > 0 && r.nextInt(4) != 0 ? entry.asid() : ASIDS[r.nextInt(ASIDS.length)];
        // Mostly the entry's own size (so that 2M entries get validated and PSMASH must keep the bit), now and then the other.
        PageSize size = r.nextInt(4) != 0 ? entry.pageSize() : r.nextBoolean() ? PageSize.SIZE_2M : PageSize.SIZE_4K;
        if (entry.pageSize() == PageSize.SIZE_2M && entry.asid() == asid && r.nextInt(4) == 0) {
            size = PageSize.SIZE_4K; // a 4K request inside the guest's own 2M entry: the NPF with SIZEM (model §4.7)
        }
        if (size == PageSize.SIZE_2M && r.nextInt(5) != 0) {
            spa = Geometry.alignDown(spa, Geometry.PAGE_2M);
        }
        return new Step.Pvalidate(asid, spa, size, r.nextInt(4) != 0);
    }

    private Step launchStart(SpecModel model, SplittableRandom r) {
        int asid = r.nextInt(10) == 0 ? boundaryAsid(r) : ASIDS[r.nextInt(ASIDS.length)];
        return new Step.LaunchStart(asid, pageIn(model, r, PageState.FIRMWARE));
    }

    private Step launchUpdate(SpecModel model, SplittableRandom r) {
        long spa = pageIn(model, r, PageState.PRE_GUEST);
        RmpEntry entry = model.authoritative(Geometry.pfn(spa));
        int asid = entry.asid() > 0 && r.nextInt(4) != 0 ? entry.asid() : guestAsid(model, r);
        return new Step.LaunchUpdate(asid, spa);
    }

    private Step pageReclaim(SpecModel model, SplittableRandom r) {
        PageState wanted = r.nextBoolean() ? PageState.FIRMWARE : PageState.PRE_GUEST;
        return new Step.PageReclaim(r.nextInt(10) == 0 ? hot.badAddress().next(r) : pageIn(model, r, wanted));
    }

    /** A hot page of a region some CPU holds the bit of, with that CPU: where a write may be SKIPPED. */
    private long[] optimizedTarget(SpecModel model, SplittableRandom r) {
        List<long[]> targets = new ArrayList<>();
        for (int cpu : hot.cpus()) {
            for (long spa : hot.pages()) {
                if (model.rmpoptEnabled(cpu) && model.bit(cpu, Geometry.regionIndex(spa))) {
                    targets.add(new long[] {cpu, spa});
                }
            }
        }
        return targets.isEmpty() ? null : targets.get(r.nextInt(targets.size()));
    }

    /**
     * A hot CPU (RMPOPT enabled or not) whose table lacks the bit of a hot page's region that
     * another hot CPU's table holds, and that page, or null: the writer must be checked, so a backend
     * that reads a neighbour's table (the same bit of another word: cores 0 and 32, 31 and 63) is caught.
     */
    private long[] neighbourOptimizedTarget(SpecModel model, SplittableRandom r) {
        List<long[]> targets = new ArrayList<>();
        List<long[]> sameBit = new ArrayList<>();
        for (long spa : hot.pages()) {
            long region = Geometry.regionIndex(spa);
            int heldMod32 = 0;
            for (int cpu : hot.cpus()) {
                heldMod32 |= model.bit(cpu, region) ? 1 << (cpu & 31) : 0;
            }
            if (heldMod32 == 0) {
                continue;
            }
            for (int cpu : hot.cpus()) {
                if (!model.bit(cpu, region)) {
                    ((heldMod32 & (1 << (cpu & 31))) != 0 ? sameBit : targets).add(new long[] {cpu, spa});
                }
            }
        }
        // mostly a writer whose CPU number is 32, 64, ... from a holder's: on a host of more than 32
        // cores, the same bit of another 32-table word (for first threads on per-core tables, and
        // for every CPU on per-CPU tables)
        List<long[]> pick = !sameBit.isEmpty() && (targets.isEmpty() || r.nextInt(4) != 0) ? sameBit : targets;
        return pick.isEmpty() ? null : pick.get(r.nextInt(pick.size()));
    }

    private Step access(SpecModel model, SplittableRandom r) {
        Accessor accessor;
        int who = r.nextInt(10);
        if (who < 6) {
            accessor = Accessor.HYPERVISOR;
        } else if (who < 8) {
            accessor = new Accessor.NonSnpGuest(1 + r.nextInt(3));
        } else {
            accessor = new Accessor.SnpGuest(ASIDS[r.nextInt(ASIDS.length)]);
        }
        AccessKind kind = r.nextInt(5) == 0 ? AccessKind.READ : AccessKind.WRITE;
        MappingSize mapping = MappingSize.values()[r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(2)];
        if (r.nextBoolean()) {
            mapping = MappingSize.SIZE_4K;
        }
        long spa = r.nextInt(30) == 0 ? hot.badAddress().next(r) : hot.page().next(r) + (r.nextInt(4) == 0 ? 8 * r.nextInt(512) : 0);
        if (accessor instanceof Accessor.SnpGuest && r.nextBoolean()) {
            // mostly a guest's own page, validated or not (model §5.4: #VC, GPA and size checks)
            spa = pageIn(model, r, r.nextBoolean() ? PageState.GUEST_INVALID : PageState.GUEST_VALID);
        }
        if (accessor instanceof Accessor.SnpGuest && spa >= 0 && r.nextBoolean()) {
            // model §5.4: a view with its C-bit and GPA, mostly the GPA and ASID the entry records
            RmpEntry entry = model.authoritative(Geometry.pfn(spa));
            long page = Geometry.pfn(spa);
            long gpa = entry.gpa() + (entry.pageSize() == PageSize.SIZE_2M ? (page & (Geometry.PAGES_PER_2M - 1)) * Geometry.PAGE_4K : 0);
            gpa = r.nextInt(5) == 0 ? gpa + Geometry.PAGE_4K * (1 + r.nextInt(8)) : gpa;
            int asid = entry.asid() > 0 && r.nextInt(4) != 0 ? entry.asid() : ASIDS[r.nextInt(ASIDS.length)];
            accessor = new Accessor.SnpGuestView(asid, r.nextInt(3) != 0, gpa + (spa & (Geometry.PAGE_4K - 1)));
        }
        int aim = r.nextInt(10);
        long[] optimized = aim < 4 ? optimizedTarget(model, r) : aim == 4 ? neighbourOptimizedTarget(model, r) : null;
        if (optimized != null) {
            return new Step.Access((int) optimized[0], accessor, kind, optimized[1], mapping);
        }
        return new Step.Access(enabledCpu(model, r), accessor, kind, spa, mapping);
    }

    /**
     * Arguments outside the SPI's contract, one per step: a null reference (refused with
     * NullPointerException), a negative address, a CPU that does not exist or an access to non-RAM
     * (IllegalArgumentException), and the firmware's bad addresses and ASIDs (statuses). Aimed where
     * a backend that accepted them would change something: a null function on an enabled core over
     * a clean region would VERIFY, a null mapping on a write would check or skip.
     */
    private Step outOfContract(SpecModel model, SplittableRandom r) {
        int badCpu = new int[] {-1, cpus, cpus + 64, Integer.MIN_VALUE, Integer.MAX_VALUE}[r.nextInt(5)];
        long negative = new long[] {-1, -Geometry.PAGE_4K, -Geometry.PAGE_2M, -Geometry.REGION_1G, Long.MIN_VALUE}[r.nextInt(5)];
        long page = hot.page().next(r);
        int cpu = enabledCpu(model, r);
        switch (r.nextInt(20)) {
            case 0:
                return new Step.RmpUpdate(null, page, RmpState.guestPrivate(ASIDS[r.nextInt(ASIDS.length)], 0, PageSize.SIZE_4K, false));
            case 1:
                return new Step.RmpUpdate(Accessor.HYPERVISOR, page, null);
            case 2:
                return new Step.RmpUpdate(Accessor.HYPERVISOR, negative, RmpState.shared());
            case 3:
                return new Step.Psmash(r.nextBoolean() ? null : Accessor.HYPERVISOR, r.nextBoolean() ? negative : hot.range().next(r));
            case 4:
                return new Step.RmpRead(negative);
            case 5:
                return new Step.Pvalidate(null, page, PageSize.SIZE_4K, true);
            case 6:
                return new Step.Pvalidate(new Accessor.SnpGuest(ASIDS[r.nextInt(ASIDS.length)]), page, null, r.nextBoolean());
            case 7:
                return new Step.Pvalidate(ASIDS[r.nextInt(ASIDS.length)], negative, PageSize.SIZE_4K, r.nextBoolean());
            case 8:
                return new Step.WriteRmpoptBase(badCpu, Geometry.alignDown(hot.host().ramStart(), Geometry.REGION_1G) | RmpoptBase.ENABLE);
            case 9:
                return new Step.ReadRmpoptBase(badCpu);
            case 10:
                return r.nextBoolean() ? new Step.RmpoptRound(r.nextBoolean() ? null : CpuMask.of(cpu), hot.regionAddress().next(r),
                        r.nextBoolean() ? null : RmpoptFunction.REPORT_STATUS)
                        : badRound(cpu, negative, r);
            case 11:
                return new Step.Rmpopt(cpu, hot.regionAddress().next(r), null);
            case 12:
                return new Step.Rmpopt(r.nextBoolean() ? badCpu : cpu, r.nextBoolean() ? negative : hot.regionAddress().next(r),
                        r.nextBoolean() ? RmpoptFunction.VERIFY_AND_REPORT_STATUS : RmpoptFunction.REPORT_STATUS);
            case 13:
                return new Step.Access(cpu, null, AccessKind.WRITE, page, MappingSize.SIZE_4K);
            case 14:
                return new Step.Access(cpu, Accessor.HYPERVISOR, null, page, MappingSize.SIZE_2M);
            case 15:
                return new Step.Access(cpu, Accessor.HYPERVISOR, AccessKind.WRITE, page, null);
            case 16: {
                // a bad CPU alone (on a hot page, so that a refusal test reading the page's region
                // first cannot hide a CPU check off by one), a bad address alone, or both
                int pick = r.nextInt(3);
                long spa = pick == 0 ? page : r.nextBoolean() ? negative : hot.badAddress().next(r);
                int bad = pick == 0 && r.nextBoolean() ? cpus : badCpu; // the CPU count itself, where a bound is off by one
                return new Step.Access(pick == 1 ? cpu : bad, Accessor.HYPERVISOR, AccessKind.WRITE, spa, MappingSize.SIZE_4K);
            }
            case 17:
                return new Step.LaunchStart(ASIDS[r.nextInt(ASIDS.length)], negative);
            case 18:
                return new Step.LaunchUpdate(guestAsid(model, r), negative);
            default:
                return r.nextBoolean() ? new Step.PageReclaim(negative) : new Step.Decommission(r.nextBoolean() ? -1 : Integer.MIN_VALUE);
        }
    }
}

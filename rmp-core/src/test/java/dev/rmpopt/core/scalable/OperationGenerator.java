package dev.rmpopt.core.scalable;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.PAGE_2M;
import static dev.rmpopt.api.Geometry.PAGE_4K;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.ShutdownKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Random operations for a host, every kind of call the SPI has, good and bad input alike. Addresses
 * come mostly from a small pool of "hot" 2 MiB ranges (region edges and a few random ones, a few
 * pages each), so that operations meet each other: a page assigned, split, validated, freed and
 * verified within one sequence.
 */
final class OperationGenerator {
    private static final long[] MSR_VALUES = {0, RmpoptBase.ENABLE, GIB | 1, 2 * GIB | 1, 4 * GIB | 1, 5 * GIB | 1,
        GIB, 2, -1L, (1L << 62) | 1};
    private static final int[] ASIDS = {1, 5, 1023};

    private final HostDescription host;
    private final Random random;
    private final List<Long> ranges = new ArrayList<>();
    private final List<Long> pages = new ArrayList<>();
    private final List<Long> special = new ArrayList<>();
    private final int cpus;
    private final Deque<Operation> pending = new ArrayDeque<>();
    /**
     * A region the random operations leave alone (no RMP or firmware pages, no pool pages), so the
     * flows can assign and free a page there and see it verify, skip and clear.
     */
    private final long quietRegion;
    private final List<Long> flowPages = new ArrayList<>();

    OperationGenerator(HostDescription host, Random random) {
        this.host = host;
        this.random = random;
        this.cpus = host.topology().cpuCount();
        long regions = host.regionCount();
        List<Long> quiet = new ArrayList<>();
        for (long r = 0; r < regions; r++) {
            PhysRange region = PhysRange.ofSize(r * GIB, GIB);
            if (host.isRam(region) && host.rmpTable().stream().noneMatch(region::overlaps)
                    && host.firmwarePages().stream().noneMatch(region::overlaps)) {
                quiet.add(r * GIB);
            }
        }
        this.quietRegion = quiet.isEmpty() ? -1 : quiet.get(random.nextInt(quiet.size()));
        for (long r = 0; r < regions; r++) {
            long base = r * GIB;
            if (base == quietRegion) {
                continue;
            }
            for (long candidate : new long[] {base, base + PAGE_2M, base + GIB - PAGE_2M,
                base + Geometry.alignDown((long) (random.nextDouble() * GIB), PAGE_2M)}) {
                if (host.isRam(candidate)) {
                    ranges.add(candidate);
                }
            }
        }
        for (long range : ranges) {
            for (int offset : new int[] {0, 1, 2, 255, 511}) {
                pages.add(range + offset * PAGE_4K);
            }
        }
        for (PhysRange r : host.rmpTable()) {
            special.add(r.start());
            special.add(r.end() - PAGE_4K);
            special.add(r.end());
        }
        for (PhysRange r : host.firmwarePages()) {
            special.add(r.start());
            special.add(r.end() - PAGE_4K);
        }
        for (PhysRange r : host.hvFixedPages()) {
            special.add(r.start());
        }
        special.add(3 * GIB + PAGE_2M); // the MMIO hole on hosts above 4 GiB
        special.add(host.ramEnd());
        special.add(host.ramEnd() - PAGE_4K);
        special.add(Geometry.alignDown(host.ramEnd() - 1, PAGE_2M));
    }

    /** The pool pages, and every 2 MiB base of the host, for state snapshots. */
    List<Long> observedPages() {
        List<Long> all = new ArrayList<>(pages);
        all.addAll(special);
        all.addAll(flowPages);
        for (long spa = 0; spa < host.ramEnd(); spa += PAGE_2M) {
            all.add(spa);
        }
        return all;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    long page() {
        double p = random.nextDouble();
        if (p < 0.85) {
            return pick(pages);
        }
        if (p < 0.95) {
            return pick(special);
        }
        if (p < 0.99) {
            return pick(pages) + (chance(0.5) ? 8 : PAGE_4K / 2);
        }
        return -PAGE_4K;
    }

    long range() {
        double p = random.nextDouble();
        if (p < 0.75) {
            return pick(ranges);
        }
        return p < 0.95 ? pick(pages) : pick(special);
    }

    int cpu() {
        if (chance(0.02)) {
            return chance(0.5) ? -1 : cpus;
        }
        return random.nextInt(cpus);
    }

    RmpState state() {
        double p = random.nextDouble();
        if (p < 0.25) {
            return RmpState.shared();
        }
        if (p < 0.35) {
            return RmpState.shared(PageSize.SIZE_2M);
        }
        if (p < 0.75) {
            PageSize size = chance(0.3) ? PageSize.SIZE_2M : PageSize.SIZE_4K;
            long gpa = chance(0.5) ? 0 : Geometry.alignDown(random.nextLong() >>> 20, size.bytes());
            return RmpState.guestPrivate(ASIDS[random.nextInt(ASIDS.length)], gpa, size, chance(0.4));
        }
        if (p < 0.85) {
            return RmpState.firmware();
        }
        RmpState[] malformed = {
            new RmpState(true, PageSize.SIZE_4K, false, 1024, 0),
            new RmpState(false, PageSize.SIZE_4K, false, 3, 0),
            new RmpState(false, PageSize.SIZE_4K, true, 0, 0),
            new RmpState(true, PageSize.SIZE_2M, false, 5, PAGE_4K),
            new RmpState(true, PageSize.SIZE_4K, false, 5, RmpState.GPA_LIMIT),
            new RmpState(true, PageSize.SIZE_4K, false, 5, RmpState.GPA_LIMIT - PAGE_4K),
            new RmpState(true, PageSize.SIZE_4K, true, 0, 0x5000),
        };
        return malformed[random.nextInt(malformed.length)];
    }

    Accessor accessor() {
        double p = random.nextDouble();
        if (p < 0.5) {
            return Accessor.HYPERVISOR;
        }
        return p < 0.7 ? new Accessor.NonSnpGuest(3) : new Accessor.SnpGuest(chance(0.7) ? 5 : 1);
    }

    Accessor caller() {
        return chance(0.95) ? Accessor.HYPERVISOR : accessor();
    }

    long regionSpa() {
        if (chance(0.01)) {
            return -GIB;
        }
        long region = random.nextInt((int) host.regionCount() + 2);
        return region * GIB + (chance(0.5) ? 0 : Geometry.alignDown((long) (random.nextDouble() * GIB), 8));
    }

    /** The next operation: now and then the start of a short flow the kernel and KVM would run. */
    Operation next() {
        if (pending.isEmpty() && chance(0.06)) {
            pending.addAll(flow());
        }
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        int roll = random.nextInt(1000);
        if (roll < 220) {
            Accessor caller = caller();
            RmpState state = state();
            long spa = state.pageSize() == PageSize.SIZE_2M ? range() : page();
            return op("rmpUpdate(" + caller + ", " + Geometry.hex(spa) + ", " + state + ")", m -> m.rmpUpdate(caller, spa, state));
        }
        if (roll < 270) {
            Accessor caller = caller();
            long spa = range();
            return op("psmash(" + caller + ", " + Geometry.hex(spa) + ")", m -> m.psmash(caller, spa));
        }
        if (roll < 340) {
            long spa = page();
            return op("rmpRead(" + Geometry.hex(spa) + ")", m -> m.rmpRead(spa));
        }
        if (roll < 420) {
            Accessor.SnpGuest guest = new Accessor.SnpGuest(chance(0.8) ? 5 : 1);
            PageSize size = chance(0.3) ? PageSize.SIZE_2M : PageSize.SIZE_4K;
            long spa = size == PageSize.SIZE_2M ? range() : page();
            boolean validated = chance(0.7);
            return op("pvalidate(" + guest + ", " + Geometry.hex(spa) + ", " + size + ", " + validated + ")",
                    m -> m.pvalidate(guest, spa, size, validated));
        }
        if (roll < 440) {
            int asid = chance(0.9) ? 5 : new int[] {0, 1, 1024}[random.nextInt(3)];
            long spa = page();
            return op("launchStart(" + asid + ", " + Geometry.hex(spa) + ")", m -> m.launchStart(asid, spa));
        }
        if (roll < 470) {
            int asid = chance(0.9) ? 5 : 1;
            long spa = page();
            return op("launchUpdate(" + asid + ", " + Geometry.hex(spa) + ")", m -> m.launchUpdate(asid, spa));
        }
        if (roll < 480) {
            int asid = chance(0.9) ? 5 : 0;
            return op("decommission(" + asid + ")", m -> m.decommission(asid));
        }
        if (roll < 510) {
            long spa = page();
            return op("pageReclaim(" + Geometry.hex(spa) + ")", m -> m.pageReclaim(spa));
        }
        if (roll < 512) {
            ShutdownKind kind = chance(0.5) ? ShutdownKind.X86_SNP_SHUTDOWN : ShutdownKind.LEGACY_SNP_SHUTDOWN_EX;
            return op("snpShutdown(" + kind + ")", m -> m.snpShutdown(kind));
        }
        if (roll < 527) {
            return op("snpInit()", m -> m.snpInit());
        }
        if (roll < 567) {
            int cpu = cpu();
            long value = MSR_VALUES[random.nextInt(MSR_VALUES.length)];
            return op("wrmsr(" + cpu + ", " + Long.toHexString(value) + ")", m -> m.wrmsrRmpoptBase(cpu, value));
        }
        if (roll < 587) {
            int cpu = cpu();
            return op("rdmsr(" + cpu + ")", m -> m.rdmsrRmpoptBase(cpu));
        }
        if (roll < 760) {
            int cpu = cpu();
            long spa = regionSpa();
            RmpoptFunction f = chance(0.7) ? RmpoptFunction.VERIFY_AND_REPORT_STATUS : RmpoptFunction.REPORT_STATUS;
            return op("rmpopt(" + cpu + ", " + Geometry.hex(spa) + ", " + f + ")", m -> m.rmpopt(cpu, spa, f));
        }
        int cpu = cpu();
        Accessor accessor = accessor();
        AccessKind kind = chance(0.8) ? AccessKind.WRITE : AccessKind.READ;
        long spa = chance(0.97) ? Math.max(0, page()) + (chance(0.3) ? random.nextInt((int) PAGE_4K) : 0) : pick(special);
        MappingSize mapping = MappingSize.values()[random.nextInt(3)];
        return op("access(" + cpu + ", " + accessor + ", " + kind + ", " + Geometry.hex(spa) + ", " + mapping + ")",
                m -> m.access(cpu, accessor, kind, spa, mapping));
    }

    /**
     * A few operations that succeed only in order: launching a guest page, optimizing a region and
     * writing to it, churning a private page and re-verifying, tearing a guest down.
     */
    private List<Operation> flow() {
        List<Operation> ops = new ArrayList<>();
        int asid = chance(0.8) ? 5 : 1;
        long p = pick(pages);
        if (quietRegion >= 0 && chance(0.6)) {
            p = quietRegion + Geometry.alignDown((long) (random.nextDouble() * GIB), PAGE_4K);
            flowPages.add(p);
        }
        long regionBase = Geometry.alignDown(p, GIB);
        int cpu = random.nextInt(cpus);
        long q = p;
        switch (random.nextInt(5)) {
            case 0 -> {
                long context = pick(pages);
                boolean large = chance(0.3);
                long page = large ? Geometry.alignDown(p, PAGE_2M) : p;
                PageSize size = large ? PageSize.SIZE_2M : PageSize.SIZE_4K;
                RmpState preGuest = RmpState.guestPrivate(asid, large ? PAGE_2M : PAGE_4K, size, true);
                ops.add(op("rmpUpdate(HV, " + Geometry.hex(context) + ", firmware)", m -> m.rmpUpdate(context, RmpState.firmware())));
                ops.add(op("launchStart(" + asid + ", " + Geometry.hex(context) + ")", m -> m.launchStart(asid, context)));
                ops.add(op("rmpUpdate(HV, " + Geometry.hex(page) + ", " + preGuest + ")", m -> m.rmpUpdate(page, preGuest)));
                ops.add(op("launchUpdate(" + asid + ", " + Geometry.hex(page) + ")", m -> m.launchUpdate(asid, page)));
                Accessor.SnpGuest guest = new Accessor.SnpGuest(asid);
                ops.add(op("pvalidate(" + guest + ", " + Geometry.hex(page) + ", " + size + ", false)", m -> m.pvalidate(guest, page, size, false)));
                ops.add(op("access(guest write " + Geometry.hex(page) + ")", m -> m.write(cpu, guest, page, MappingSize.SIZE_4K)));
            }
            case 1 -> {
                long value = regionBase | RmpoptBase.ENABLE;
                if (chance(0.5)) {
                    ops.add(op("wrmsr(" + cpu + ", " + Long.toHexString(value) + ")", m -> m.wrmsrRmpoptBase(cpu, value)));
                }
                for (int c : new int[] {cpu, random.nextInt(cpus)}) {
                    ops.add(op("rmpopt(" + c + ", " + Geometry.hex(regionBase) + ", VERIFY)",
                            m -> m.rmpopt(c, regionBase, RmpoptFunction.VERIFY_AND_REPORT_STATUS)));
                }
                MappingSize mapping = MappingSize.values()[random.nextInt(3)];
                ops.add(op("access(" + cpu + ", HV, WRITE, " + Geometry.hex(p) + ", " + mapping + ")",
                        m -> m.write(cpu, Accessor.HYPERVISOR, q, mapping)));
            }
            case 2 -> {
                long value = regionBase | RmpoptBase.ENABLE;
                if (chance(0.5)) {
                    ops.add(op("wrmsr(" + cpu + ", " + Long.toHexString(value) + ")", m -> m.wrmsrRmpoptBase(cpu, value)));
                }
                RmpState privatePage = RmpState.guestPrivate(asid, 0, PageSize.SIZE_4K, false);
                long page = p;
                Operation assign = op("rmpUpdate(HV, " + Geometry.hex(page) + ", private)", m -> m.rmpUpdate(page, privatePage));
                Operation verify = op("rmpopt(" + cpu + ", " + Geometry.hex(regionBase) + ", VERIFY)",
                        m -> m.rmpopt(cpu, regionBase, RmpoptFunction.VERIFY_AND_REPORT_STATUS));
                Operation write = op("access(" + cpu + ", HV, WRITE, " + Geometry.hex(page) + ", 4K)",
                        m -> m.write(cpu, Accessor.HYPERVISOR, page, MappingSize.SIZE_4K));
                ops.addAll(List.of(assign, verify, write));
                ops.add(op("rmpUpdate(HV, " + Geometry.hex(page) + ", shared)", m -> m.rmpUpdate(page, RmpState.shared())));
                ops.addAll(List.of(verify, write, assign, write));
            }
            case 3 -> {
                long range = pick(ranges);
                Accessor.SnpGuest guest = new Accessor.SnpGuest(asid);
                RmpState large = RmpState.guestPrivate(asid, 4 * PAGE_2M, PageSize.SIZE_2M, false);
                ops.add(op("rmpUpdate(HV, " + Geometry.hex(range) + ", " + large + ")", m -> m.rmpUpdate(range, large)));
                ops.add(op("pvalidate(" + guest + ", " + Geometry.hex(range) + ", 2M, true)", m -> m.pvalidate(guest, range, PageSize.SIZE_2M, true)));
                ops.add(op("psmash(" + Geometry.hex(range) + ")", m -> m.psmash(range)));
                ops.add(op("rmpRead(" + Geometry.hex(range + 7 * PAGE_4K) + ")", m -> m.rmpRead(range + 7 * PAGE_4K)));
                ops.add(op("rmpUpdate(HV, " + Geometry.hex(range + PAGE_4K) + ", shared)", m -> m.rmpUpdate(range + PAGE_4K, RmpState.shared())));
            }
            default -> {
                ops.add(op("decommission(" + asid + ")", m -> m.decommission(asid)));
                ops.add(op("pageReclaim(" + Geometry.hex(p) + ")", m -> m.pageReclaim(q)));
                ops.add(op("rmpUpdate(HV, " + Geometry.hex(p) + ", shared)", m -> m.rmpUpdate(q, RmpState.shared())));
            }
        }
        return ops;
    }

    /** SNP_INIT and RMPOPT_BASE = 0 | enable on every primary thread, as the kernel does (model §7). */
    List<Operation> boot() {
        List<Operation> boot = new ArrayList<>();
        boot.add(op("snpInit()", m -> m.snpInit()));
        for (int cpu : host.topology().primaryThreads()) {
            boot.add(op("wrmsr(" + cpu + ", 1)", m -> m.wrmsrRmpoptBase(cpu, RmpoptBase.ENABLE)));
        }
        return boot;
    }

    private static Operation op(String text, Function<dev.rmpopt.api.SnpMachine, Object> call) {
        return new Operation(text, call);
    }
}

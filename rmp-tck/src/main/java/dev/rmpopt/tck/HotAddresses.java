package dev.rmpopt.tck;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.PhysRange;
import dev.rmpopt.api.RamRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The few addresses and CPUs of one host that a random sequence works on, so that its operations
 * meet each other:
 * <ul>
 *   <li>2 MiB ranges: the first and last of every 1 GiB region that holds RAM (where off-by-one
 *       scans fail), one in the middle, those at hole edges and around firmware and HV-fixed
 *       pages, and inside each range the page offsets where 4K/2M disagreements show (0, 1, 255,
 *       510, 511). The checker reads every hot page back after every step.</li>
 *   <li>Regions: on a small host every region; on a large one those holding hot ranges, the
 *       region indices at word boundaries (31/32, 63/64, 127/128, 2047/2048, 8191/8192: page
 *       indices pass 2^31 at 8 TiB), and the edges of the 2 TiB window from the lowest RAM. VERIFY
 *       goes to these, and the checker's REPORT_STATUS sweep covers them.</li>
 *   <li>CPUs: on a small host every CPU; on a wide one the CPUs of the table indices at word
 *       boundaries (cores and logical CPUs 0, 31/32, 63/64, 127/128, 255/256, the last), the first
 *       cores of every socket and NUMA node, one more at random, and the SMT siblings of all of
 *       them. Steps run on these, and the sweep covers them.</li>
 * </ul>
 */
final class HotAddresses {

    /** Page offsets inside a 2 MiB range that the generator prefers. */
    static final int[] OFFSETS = {0, 1, 255, 510, 511};
    /** Table indices (cores, or logical CPUs) at the word boundaries of 32- and 64-bit masks. */
    static final int[] INDEX_BOUNDARIES = {0, 31, 32, 63, 64, 127, 128, 255, 256};
    /** Region indices at word boundaries, and at 8 TiB (page indices past 2^31). */
    static final long[] REGION_BOUNDARIES = {31, 32, 63, 64, 127, 128, 2047, 2048, 2049, 8191, 8192, 8193};
    /** Hosts with at most this many CPUs use all of them; at most this many regions, all of them. */
    static final int SMALL_CPUS = 16;
    static final int SMALL_REGIONS = 16;
    /** At most this many 1 GiB regions of one RAM range get hot ranges (its first and last ones). */
    static final int REGIONS_PER_RAM_RANGE = 4;

    private final HostDescription host;
    private final List<Long> ranges;
    private final List<Long> pages;
    private final int[] cpus;
    private final List<Long> regions;
    private final List<Long> reservedRegions;

    private HotAddresses(HostDescription host, List<Long> ranges, int[] cpus, List<Long> regions) {
        this.host = host;
        this.ranges = List.copyOf(ranges);
        this.cpus = cpus;
        this.regions = List.copyOf(regions);
        List<Long> p = new ArrayList<>();
        for (long base : ranges) {
            for (int off : OFFSETS) {
                long spa = base + off * Geometry.PAGE_4K;
                if (host.isRam(spa)) {
                    p.add(spa);
                }
            }
        }
        this.pages = List.copyOf(p);
        TreeSet<Long> reserved = new TreeSet<>();
        List<PhysRange> all = new ArrayList<>(host.rmpTable());
        all.addAll(host.firmwarePages());
        for (PhysRange f : all) {
            for (long region = Geometry.regionIndex(f.start()); region <= Geometry.regionIndex(f.end() - 1); region++) {
                reserved.add(region);
            }
        }
        this.reservedRegions = List.copyOf(reserved);
    }

    /** The hot addresses and CPUs of {@code host}, with the random choices drawn from {@code r}. */
    static HotAddresses of(HostDescription host, SplittableRandom r) {
        TreeSet<Long> ranges = new TreeSet<>();
        TreeSet<Long> ramRegions = new TreeSet<>();
        for (RamRange rr : host.ram()) {
            PhysRange ram = rr.range();
            long first = Geometry.regionIndex(ram.start());
            long last = Geometry.regionIndex(ram.end() - 1);
            for (long region = first; region <= last; region++) {
                if (host.regionCount() <= SMALL_REGIONS
                        || region - first < REGIONS_PER_RAM_RANGE / 2 || last - region < REGIONS_PER_RAM_RANGE / 2) {
                    ramRegions.add(region);
                }
            }
        }
        for (long region : ramRegions) {
            long base = Geometry.regionBase(region);
            addIfRam(host, ranges, base);
            addIfRam(host, ranges, base + Geometry.REGION_1G - Geometry.PAGE_2M);
            addIfRam(host, ranges, base + (1 + r.nextInt(Geometry.RANGES_2M_PER_REGION - 2)) * Geometry.PAGE_2M);
        }
        for (int i = 0; i < host.ram().size(); i++) {
            PhysRange ram = host.ram().get(i).range();
            addIfRam(host, ranges, Geometry.alignDown(ram.start(), Geometry.PAGE_2M));
            addIfRam(host, ranges, Geometry.alignDown(ram.end() - 1, Geometry.PAGE_2M));
        }
        for (PhysRange f : host.firmwarePages()) {
            addIfRam(host, ranges, Geometry.alignDown(f.start(), Geometry.PAGE_2M));
        }
        for (PhysRange f : host.hvFixedPages()) {
            addIfRam(host, ranges, Geometry.alignDown(f.start(), Geometry.PAGE_2M));
        }
        for (PhysRange f : host.rmpTable()) {
            addIfRam(host, ranges, Geometry.alignDown(f.start(), Geometry.PAGE_2M));
        }
        return new HotAddresses(host, new ArrayList<>(ranges), cpusOf(host.topology(), r), regionsOf(host, ranges));
    }

    private static List<Long> regionsOf(HostDescription host, TreeSet<Long> ranges) {
        long count = host.regionCount();
        TreeSet<Long> out = new TreeSet<>();
        if (count <= SMALL_REGIONS) {
            for (long region = 0; region < count; region++) {
                out.add(region);
            }
            return new ArrayList<>(out);
        }
        for (long base : ranges) {
            out.add(Geometry.regionIndex(base));
        }
        for (long b : REGION_BOUNDARIES) {
            out.add(b);
        }
        long low = Geometry.regionIndex(host.ramStart());
        long window = Geometry.regionIndex(2 * Geometry.TIB);
        out.add(low + window - 1);
        out.add(low + window);
        out.add(0L);
        out.add(count - 1);
        out.removeIf(region -> region < 0 || region >= count);
        return new ArrayList<>(out);
    }

    private static int[] cpusOf(CpuTopology t, SplittableRandom r) {
        int n = t.cpuCount();
        TreeSet<Integer> out = new TreeSet<>();
        if (n <= SMALL_CPUS) {
            for (int cpu = 0; cpu < n; cpu++) {
                out.add(cpu);
            }
        } else {
            for (int i : INDEX_BOUNDARIES) {
                if (i < t.coreCount()) {
                    out.add(t.cpuOf(i, 0)); // a core index (per-core tables)
                }
                if (i < n) {
                    out.add(i); // a logical CPU index (per-CPU tables)
                }
            }
            out.add(n - 1);
            out.add(t.coreCount() - 1);
            for (int s = 0; s < t.sockets(); s++) {
                int core = s * t.coresPerSocket();
                out.add(t.cpuOf(core, 0));
                for (int node = 1; node < t.numaNodesPerSocket(); node++) {
                    out.add(t.cpuOf(core + node * Math.max(1, t.coresPerSocket() / t.numaNodesPerSocket()), 0));
                }
            }
            out.add(r.nextInt(n));
            for (int cpu : new ArrayList<>(out)) {
                for (int sibling : t.siblingsOf(cpu)) {
                    out.add(sibling);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void addIfRam(HostDescription host, TreeSet<Long> ranges, long base) {
        for (int off : OFFSETS) {
            if (host.isRam(base + off * Geometry.PAGE_4K)) {
                ranges.add(base);
                return;
            }
        }
    }

    /** The host. */
    HostDescription host() {
        return host;
    }

    /** The hot 2 MiB range bases. */
    List<Long> ranges() {
        return ranges;
    }

    /** Every hot page that is RAM: what the checker reads back. */
    List<Long> pages() {
        return pages;
    }

    /** The CPUs steps run on and the checker sweeps, ascending. */
    int[] cpus() {
        return cpus;
    }

    /** The regions VERIFY goes to and the checker sweeps, ascending; all below the top of RAM. */
    List<Long> regions() {
        return regions;
    }

    /** The regions holding RMP or firmware pages, which SNP_INIT assigns. */
    List<Long> reservedRegions() {
        return reservedRegions;
    }

    /** A hot CPU. */
    int cpu(SplittableRandom r) {
        return cpus[r.nextInt(cpus.length)];
    }

    /** A hot range base. */
    Gen<Long> range() {
        return Gen.elements(ranges);
    }

    /** A page in a hot range at a preferred offset, or now and then at any offset. */
    Gen<Long> page() {
        return r -> {
            long base = ranges.get(r.nextInt(ranges.size()));
            int off = r.nextInt(6) == 0 ? r.nextInt(Geometry.PAGES_PER_2M) : OFFSETS[r.nextInt(OFFSETS.length)];
            return base + off * Geometry.PAGE_4K;
        };
    }

    /** An address that is not a valid page: in a hole, past the top of RAM, or not 4K-aligned. */
    Gen<Long> badAddress() {
        return r -> {
            switch (r.nextInt(3)) {
                case 0:
                    return page().next(r) + 8 * (1 + r.nextInt(500));
                case 1:
                    return Geometry.alignUp(host.ramEnd(), Geometry.PAGE_4K) + r.nextInt(1024) * Geometry.PAGE_4K;
                default:
                    for (int i = 1; i < host.ram().size(); i++) {
                        if (r.nextBoolean()) {
                            return host.ram().get(i - 1).range().end();
                        }
                    }
                    return host.ramStart() > 0 ? 0L : host.ramEnd();
            }
        };
    }

    /** A hot region's base, or the first region past the top, anywhere in it now and then. */
    Gen<Long> regionAddress() {
        return r -> {
            int k = r.nextInt(regions.size() + 1);
            long region = k == regions.size() ? host.regionCount() : regions.get(k);
            long base = Geometry.regionBase(region);
            return r.nextInt(4) == 0 ? base + r.nextInt(Geometry.PAGES_PER_REGION) * Geometry.PAGE_4K : base;
        };
    }
}

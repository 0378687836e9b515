package dev.rmpopt.tck;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.PhysRange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random hosts (model §2 and §3), of three kinds:
 * <ul>
 *   <li>small (most trials): 1-2 sockets x 1-4 cores x 1-2 threads, a few GiB of RAM with holes
 *       (some of them not 2 MiB-aligned, so that 2M ranges can be partly RAM), a last 1 GiB
 *       region that is sometimes only partly covered, the RMP in one or two segments and firmware
 *       and HV-fixed pages at random places;</li>
 *   <li>wide: more than 64 cores (1-2 sockets of 33 to 80 cores, 1-2 threads: up to 320 logical
 *       CPUs, so that per-core masks span several 32- and 64-bit words and cores 31/32, 63/64,
 *       127/128 exist) and 1, 2 or 4 NUMA nodes per socket, with a few GiB of RAM spread over the
 *       nodes; in 8% of all trials, one of a few fixed topologies where the words end
 *       ({@link #BOUNDARY_TOPOLOGIES});</li>
 *   <li>large and sparse: a little RAM at the bottom (where the segmented RMP sits) and small
 *       islands of RAM far up the address space, at the region indices where words end (31/32,
 *       63/64, 127/128, 2047/2048: the end of a 2 TiB window from 0), at 8 TiB (where page indices
 *       pass 2^31) and anywhere up to 24 TiB, so that int page indices overflow and the 2 TiB window
 *       ends inside the host while little memory is spent;</li>
 * </ul>
 * and now and then a host both wide and large. Small enough that a step costs microseconds;
 * varied enough that region, range, window and word edges all occur.
 */
final class HostGen {

    private static final long MIB = 1L << 20;
    /** Cores per socket of wide hosts: past 32 and 64 per socket, and up to 80 (2 x 80 = 160 cores, 320 CPUs). */
    private static final int[] WIDE_CORES = {33, 40, 64, 65, 80};
    /**
     * Topologies where the words of an IPI round's masks end, drawn in 8% of the trials so that
     * every exploration meets each of them whatever its budget: 32 cores (one 32-table word, and 64
     * CPUs filling one mask word); 66, 80 and 96 cores with two threads, where a core word ends inside
     * a CPU word, so that converting CPUs to cores must drop the siblings of the low cores that share
     * the word (CPU 66 is core 0's sibling); 128 cores (the word-aligned path); 130 cores, one thread.
     */
    static final CpuTopology[] BOUNDARY_TOPOLOGIES = {
        new CpuTopology(1, 32, 2, 1),
        new CpuTopology(2, 33, 2, 1),
        new CpuTopology(1, 80, 2, 2),
        new CpuTopology(2, 48, 2, 4),
        new CpuTopology(2, 64, 2, 2),
        new CpuTopology(2, 65, 1, 1),
    };
    /** Regions where a large host's islands of RAM go: word boundaries, the 2 TiB window's end, 8 TiB. */
    private static final long[] ISLAND_REGIONS = {31, 32, 63, 64, 127, 128, 2047, 2048, 8191, 8192};

    private HostGen() {
    }

    /** Random hosts of every kind. */
    static Gen<HostDescription> hosts() {
        return r -> {
            for (int attempt = 0; ; attempt++) {
                int kind = r.nextInt(100);
                HostDescription host = kind < 64 ? tryHost(r) : kind < 72 ? tryWide(r, wideTopology(r))
                        : kind < 80 ? tryWide(r, BOUNDARY_TOPOLOGIES[r.nextInt(BOUNDARY_TOPOLOGIES.length)])
                        : kind < 95 ? tryLarge(r, false) : tryLarge(r, true);
                if (host != null) {
                    return host;
                }
                if (attempt > 1000) {
                    throw new IllegalStateException("could not draw a valid host");
                }
            }
        };
    }

    /** Random small hosts only (the concurrent runs' default). */
    static Gen<HostDescription> smallHosts() {
        return r -> {
            for (int attempt = 0; ; attempt++) {
                HostDescription host = tryHost(r);
                if (host != null) {
                    return host;
                }
                if (attempt > 1000) {
                    throw new IllegalStateException("could not draw a valid host");
                }
            }
        };
    }

    /** Random wide hosts only: more than 64 cores, a few GiB of RAM (concurrent runs across word boundaries). */
    static Gen<HostDescription> wideHosts() {
        return r -> {
            for (int attempt = 0; ; attempt++) {
                HostDescription host = tryWide(r, wideTopology(r));
                if (host != null) {
                    return host;
                }
                if (attempt > 1000) {
                    throw new IllegalStateException("could not draw a valid host");
                }
            }
        };
    }

    /** A topology of more than 64 cores with 1, 2 or 4 NUMA nodes per socket. */
    static CpuTopology wideTopology(SplittableRandom r) {
        int sockets = 1 + r.nextInt(2);
        int cores = WIDE_CORES[r.nextInt(WIDE_CORES.length)];
        if (sockets * cores <= 64) {
            sockets = 2;
        }
        return new CpuTopology(sockets, cores, 1 + r.nextInt(2), new int[] {1, 2, 4}[r.nextInt(3)]);
    }

    /** A wide host of {@code topology}: RAM spread over every node. */
    private static HostDescription tryWide(SplittableRandom r, CpuTopology topology) {
        int nodes = topology.numaNodeCount();
        long top = Math.max(nodes, 2 + r.nextInt(5)) * Geometry.GIB;
        if (r.nextInt(3) == 0) {
            top -= (1 + r.nextInt(64)) * Geometry.PAGE_2M; // a partly covered last region
        }
        HostDescription.Builder b = HostDescription.builder(topology);
        long per = Geometry.alignDown(top / nodes, Geometry.PAGE_2M);
        long rmpBytes = Geometry.alignUp(Geometry.rmpTableBytes(top), MIB);
        for (int node = 0; node < nodes; node++) {
            long start = node * per;
            long end = node == nodes - 1 ? top : (node + 1) * per;
            b.ram(start, end, node);
            if (node == 0) {
                long at = Geometry.alignDown(start + (long) (r.nextDouble() * (end - start - rmpBytes - 4 * MIB)), MIB) + 2 * MIB;
                b.rmpTable(at, at + rmpBytes);
                if (r.nextBoolean()) {
                    b.firmwarePages(MIB, MIB + (1 + r.nextInt(16)) * Geometry.PAGE_4K);
                }
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A large, sparse host: RAM {@code [start, 1-2 GiB)} holding the segmented RMP and the firmware
     * pages, then 2-5 islands of 4 MiB to 1 GiB in the regions of {@link #ISLAND_REGIONS} and up to
     * 24 TiB (most hosts get one past 8 TiB). With {@code wide}, a wide topology.
     */
    private static HostDescription tryLarge(SplittableRandom r, boolean wide) {
        CpuTopology topology = wide ? wideTopology(r)
                : new CpuTopology(1 + r.nextInt(2), 1 + r.nextInt(6), 1 + r.nextInt(2), 1 + r.nextInt(2));
        int nodes = topology.numaNodeCount();
        java.util.TreeSet<Long> regions = new java.util.TreeSet<>();
        int islands = 2 + r.nextInt(4);
        while (regions.size() < islands) {
            regions.add(ISLAND_REGIONS[r.nextInt(ISLAND_REGIONS.length)]);
        }
        if (r.nextInt(4) != 0) {
            regions.add(8192 + (long) r.nextInt(24 * 1024 - 8192 - 1)); // past 8 TiB: page indices past 2^31
        }
        long low = (1 + r.nextInt(2)) * Geometry.GIB;
        long lowStart = r.nextInt(6) == 0 ? Geometry.PAGE_2M : 0;
        List<PhysRange> ram = new ArrayList<>();
        ram.add(new PhysRange(lowStart, low));
        long lastRegion = regions.last();
        for (long region : regions) {
            long base = Geometry.regionBase(region);
            long size;
            long start;
            int shape = r.nextInt(4);
            if (shape == 0) {
                start = base;
                size = Geometry.REGION_1G; // the whole region
            } else if (shape == 1) {
                size = (2 + r.nextInt(31)) * Geometry.PAGE_2M;
                start = base + Geometry.REGION_1G - size; // at the region's end: the last pages of a region
            } else {
                size = (2 + r.nextInt(31)) * Geometry.PAGE_2M;
                start = base + r.nextInt(Geometry.RANGES_2M_PER_REGION - 40) * Geometry.PAGE_2M;
            }
            if (region == lastRegion && r.nextInt(3) == 0 && size > 2 * Geometry.PAGE_2M) {
                size -= (1 + r.nextInt(8)) * Geometry.PAGE_4K; // a partly covered top, not 2 MiB-aligned
            }
            if (start < low) {
                continue;
            }
            ram.add(PhysRange.ofSize(start, size));
        }
        ram.sort(Comparator.comparingLong(PhysRange::start));
        HostDescription.Builder b = HostDescription.builder(topology);
        for (int i = 0; i < ram.size(); i++) {
            b.ram(ram.get(i).start(), ram.get(i).end(), Math.min(nodes - 1, i * nodes / ram.size()));
        }
        long ramBytes = ram.stream().mapToLong(PhysRange::size).sum();
        long rmpBytes = Geometry.alignUp(Geometry.RMP_BOOKKEEPING_BYTES + Geometry.pfn(ramBytes) * Geometry.RMP_ENTRY_BYTES, MIB);
        List<PhysRange> placed = new ArrayList<>();
        PhysRange rmp = place(r, List.of(ram.get(0)), placed, rmpBytes, MIB);
        if (rmp == null) {
            return null;
        }
        b.rmpTable(rmp.start(), rmp.end());
        if (r.nextBoolean()) {
            PhysRange p = place(r, List.of(ram.get(0)), placed, (1 + r.nextInt(16)) * Geometry.PAGE_4K, Geometry.PAGE_4K);
            if (p != null) {
                b.firmwarePages(p.start(), p.end());
            }
        }
        if (r.nextInt(3) == 0) {
            PhysRange high = ram.get(ram.size() - 1);
            PhysRange p = place(r, List.of(high), placed, (1 + r.nextInt(8)) * Geometry.PAGE_4K, Geometry.PAGE_4K);
            if (p != null) {
                b.firmwarePages(p.start(), p.end()); // a firmware page far up: SNP_INIT assigns it there
            }
        }
        try {
            return b.build(); // segmented: RMPOPT's prerequisite, and what lets the RMP cover the RAM alone
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static HostDescription tryHost(SplittableRandom r) {
        CpuTopology topology = new CpuTopology(1 + r.nextInt(2), 1 + r.nextInt(4), 1 + r.nextInt(2));
        long ramEnd = (2 + r.nextInt(5)) * Geometry.GIB;
        if (r.nextInt(3) == 0) {
            // A partly covered last region: VERIFY must refuse it (model §4, RMP coverage).
            ramEnd -= r.nextInt(2) == 0 ? (1 + r.nextInt(64)) * Geometry.PAGE_2M : (1 + r.nextInt(64)) * Geometry.PAGE_4K;
        }
        long ramStart = r.nextInt(6) == 0 ? Geometry.PAGE_2M : 0;
        List<PhysRange> holes = new ArrayList<>();
        if (ramEnd > 4 * Geometry.GIB && r.nextBoolean()) {
            holes.add(new PhysRange(3 * Geometry.GIB, 4 * Geometry.GIB)); // the classic MMIO hole
        }
        int extraHoles = r.nextInt(3);
        for (int i = 0; i < extraHoles; i++) {
            long size = r.nextBoolean() ? (1 + r.nextInt(128)) * Geometry.PAGE_2M : (1 + r.nextInt(600)) * Geometry.PAGE_4K;
            long start = Geometry.alignDown(ramStart + 1 + (long) (r.nextDouble() * (ramEnd - ramStart - size - Geometry.PAGE_2M)),
                    r.nextBoolean() ? Geometry.PAGE_2M : Geometry.PAGE_4K);
            PhysRange hole = PhysRange.ofSize(Math.max(start, ramStart + Geometry.PAGE_4K), size);
            if (hole.end() < ramEnd && holes.stream().noneMatch(h -> touches(h, hole))) {
                holes.add(hole);
            }
        }
        holes.sort(Comparator.comparingLong(PhysRange::start));
        List<PhysRange> ram = new ArrayList<>();
        long cursor = ramStart;
        for (PhysRange h : holes) {
            ram.add(new PhysRange(cursor, h.start()));
            cursor = h.end();
        }
        ram.add(new PhysRange(cursor, ramEnd));

        HostDescription.Builder b = HostDescription.builder(topology);
        int nodes = topology.numaNodeCount();
        for (int i = 0; i < ram.size(); i++) {
            b.ram(ram.get(i).start(), ram.get(i).end(), Math.min(nodes - 1, i * nodes / ram.size()));
        }
        List<PhysRange> placed = new ArrayList<>();
        long rmpBytes = Geometry.alignUp(Geometry.rmpTableBytes(ramEnd), MIB);
        if (r.nextInt(3) == 0) {
            // Like Linux and HostDescription.standard(): the RMP at the top of RAM.
            PhysRange last = ram.get(ram.size() - 1);
            if (last.size() < rmpBytes + MIB) {
                return null;
            }
            PhysRange top = new PhysRange(Geometry.alignDown(last.end() - rmpBytes, MIB), Geometry.alignDown(last.end(), Geometry.PAGE_4K));
            placed.add(top);
            b.rmpTable(top.start(), top.end());
        } else if (r.nextBoolean()) {
            PhysRange whole = place(r, ram, placed, rmpBytes, MIB);
            if (whole == null) {
                return null;
            }
            b.rmpTable(whole.start(), whole.end());
        } else {
            long half = Geometry.alignUp(rmpBytes / 2, MIB);
            for (int s = 0; s < 2; s++) {
                PhysRange segment = place(r, ram, placed, half, MIB);
                if (segment == null) {
                    return null;
                }
                b.rmpTable(segment.start(), segment.end());
            }
        }
        int firmware = r.nextInt(3);
        for (int i = 0; i < firmware; i++) {
            PhysRange p = place(r, ram, placed, (1 + r.nextInt(16)) * Geometry.PAGE_4K, Geometry.PAGE_4K);
            if (p != null) {
                b.firmwarePages(p.start(), p.end());
            }
        }
        if (r.nextBoolean()) {
            PhysRange p = place(r, ram, placed, (1 + r.nextInt(8)) * Geometry.PAGE_4K, Geometry.PAGE_4K);
            if (p != null) {
                b.hvFixedPages(p.start(), p.end());
            }
        }
        b.segmentedRmp(r.nextInt(12) != 0);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean touches(PhysRange a, PhysRange b) {
        return a.start() <= b.end() && b.start() <= a.end();
    }

    /** A free, aligned range of {@code bytes} inside one RAM range, or null. */
    private static PhysRange place(SplittableRandom r, List<PhysRange> ram, List<PhysRange> placed, long bytes, long align) {
        for (int attempt = 0; attempt < 50; attempt++) {
            PhysRange in = ram.get(r.nextInt(ram.size()));
            long first = Geometry.alignUp(in.start(), align);
            long slots = (in.end() - bytes - first) / align;
            if (slots < 0) {
                continue;
            }
            long start = first + (long) (r.nextDouble() * (slots + 1)) * align;
            PhysRange candidate = PhysRange.ofSize(start, bytes);
            if (in.contains(candidate) && placed.stream().noneMatch(p -> p.overlaps(candidate))) {
                placed.add(candidate);
                return candidate;
            }
        }
        return null;
    }
}

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
 * Random small hosts (SPEC 2 and 3): 1-2 sockets x 1-4 cores x 1-2 threads, a few GiB of RAM with
 * holes (some of them not 2 MiB-aligned, so that 2M ranges can be partly RAM), a last 1 GiB region
 * that is sometimes only partly covered, the RMP in one or two segments and firmware and HV-fixed
 * pages at random places. Small enough that a step costs microseconds; varied enough that region,
 * range and window edges all occur.
 */
final class HostGen {

    private static final long MIB = 1L << 20;

    private HostGen() {
    }

    /** Random hosts. */
    static Gen<HostDescription> hosts() {
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

    private static HostDescription tryHost(SplittableRandom r) {
        CpuTopology topology = new CpuTopology(1 + r.nextInt(2), 1 + r.nextInt(4), 1 + r.nextInt(2));
        long ramEnd = (2 + r.nextInt(5)) * Geometry.GIB;
        if (r.nextInt(3) == 0) {
            // A partly covered last region: VERIFY must refuse it (SPEC 4, RMP coverage).
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

package dev.rmpopt.tck;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.PhysRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The few addresses of one host that a random sequence works on, so that its operations meet each
 * other: a handful of 2 MiB ranges per 1 GiB region (the first and last of every region, where
 * off-by-one scans fail; one in the middle; those at hole edges and around firmware pages), and
 * inside each range the page offsets where 4K/2M disagreements show (0, 1, 255, 510, 511). It
 * also lists the pages the checker reads back after every step.
 */
final class HotAddresses {

    /** Page offsets inside a 2 MiB range that the generator prefers. */
    static final int[] OFFSETS = {0, 1, 255, 510, 511};

    private final HostDescription host;
    private final List<Long> ranges;
    private final List<Long> pages;

    private HotAddresses(HostDescription host, List<Long> ranges) {
        this.host = host;
        this.ranges = List.copyOf(ranges);
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
    }

    /** The hot ranges of {@code host}, with one random middle range per region drawn from {@code r}. */
    static HotAddresses of(HostDescription host, SplittableRandom r) {
        TreeSet<Long> ranges = new TreeSet<>();
        for (long region = 0; region < host.regionCount(); region++) {
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
        return new HotAddresses(host, new ArrayList<>(ranges));
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

    /** A 1 GiB region base from 0 to one past the last region (which is never covered), anywhere in it now and then. */
    Gen<Long> regionAddress() {
        return r -> {
            long base = Geometry.regionBase(r.nextInt((int) host.regionCount() + 1));
            return r.nextInt(4) == 0 ? base + r.nextInt(Geometry.PAGES_PER_REGION) * Geometry.PAGE_4K : base;
        };
    }
}

package dev.rmpopt.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The host a model runs (model §2 and §3): its CPU topology, its memory map of RAM ranges with holes
 * grouped into NUMA nodes, where the RMP and the firmware's pages sit (they become FIRMWARE at
 * SNP_INIT, so their regions never optimize), which pages SNP_INIT makes HV_FIXED, and whether the
 * segmented RMP that RMPOPT requires is enabled.
 *
 * <p>The RMP covers {@code [0, ramEnd())}; addresses in holes have entries that can never be
 * assigned, addresses at or above {@link #ramEnd()} have none. Where the RMP's bytes must be
 * placed depends on its layout: a contiguous RMP needs {@link #rmpBytes()} of them, one entry for
 * every page below the top of RAM; a segmented RMP (RMPOPT's prerequisite, model §3) keeps segments
 * only for the memory that exists, so it needs entries for the RAM alone
 * ({@link #segmentedRmpBytes()}), and a sparse host with a little RAM high in the address space
 * (past 8 TiB, where page indices pass 2^31) needs a small RMP.
 *
 * @param topology      sockets, cores, threads and NUMA nodes
 * @param ram           RAM ranges, sorted, non-overlapping
 * @param rmpTable      where the RMP (its segments) sits, inside RAM
 * @param firmwarePages other pages SNP_INIT hands to the firmware, inside RAM
 * @param hvFixedPages  pages SNP_INIT marks HV_FIXED, inside RAM
 * @param segmentedRmp  whether the segmented RMP is enabled; RMPOPT needs it
 */
public record HostDescription(CpuTopology topology, List<RamRange> ram, List<PhysRange> rmpTable,
                              List<PhysRange> firmwarePages, List<PhysRange> hvFixedPages, boolean segmentedRmp) {

    /** Validates the memory map and the placement of reserved pages; copies the lists. */
    public HostDescription {
        Objects.requireNonNull(topology, "topology");
        ram = List.copyOf(ram);
        rmpTable = List.copyOf(rmpTable);
        firmwarePages = List.copyOf(firmwarePages);
        hvFixedPages = List.copyOf(hvFixedPages);
        if (ram.isEmpty()) {
            throw new IllegalArgumentException("a host needs RAM");
        }
        for (int i = 0; i < ram.size(); i++) {
            RamRange r = ram.get(i);
            if (r.numaNode() >= topology.numaNodeCount()) {
                throw new IllegalArgumentException("RAM " + r.range() + " is on NUMA node " + r.numaNode()
                        + " but the topology has " + topology.numaNodeCount() + " nodes");
            }
            if (i > 0 && ram.get(i - 1).range().end() > r.range().start()) {
                throw new IllegalArgumentException("RAM ranges must be sorted and disjoint: "
                        + ram.get(i - 1).range() + " then " + r.range());
            }
        }
        List<PhysRange> reserved = new ArrayList<>();
        reserved.addAll(rmpTable);
        reserved.addAll(firmwarePages);
        reserved.addAll(hvFixedPages);
        reserved.sort(Comparator.comparingLong(PhysRange::start));
        for (int i = 0; i < reserved.size(); i++) {
            PhysRange p = reserved.get(i);
            if (!isRamRange(ram, p)) {
                throw new IllegalArgumentException("reserved pages " + p + " are not inside one RAM range");
            }
            if (i > 0 && reserved.get(i - 1).overlaps(p)) {
                throw new IllegalArgumentException("reserved pages overlap: " + reserved.get(i - 1) + " and " + p);
            }
        }
        long needed = segmentedRmp ? segmentedRmpBytes(ram) : Geometry.rmpTableBytes(ram.get(ram.size() - 1).range().end());
        long placed = rmpTable.stream().mapToLong(PhysRange::size).sum();
        if (placed < needed) {
            throw new IllegalArgumentException("the RMP needs " + needed + " bytes to cover RAM but only "
                    + placed + " are placed");
        }
    }

    /** A builder for a host of {@code topology}. */
    public static Builder builder(CpuTopology topology) {
        return new Builder(topology);
    }

    /**
     * A typical host whose RAM reaches {@code topBytes} (a multiple of 1 GiB): RAM from 0 with the
     * MMIO hole {@code [3 GiB, 4 GiB)} when the top is above 4 GiB, split evenly into the
     * topology's NUMA nodes; the firmware's pages at {@code [1 MiB, 2 MiB)}; and a segmented RMP,
     * one segment per node at the top of the node's highest RAM range, each sized for the node's span.
     */
    public static HostDescription standard(CpuTopology topology, long topBytes) {
        if (topBytes < Geometry.GIB || !Geometry.isAligned(topBytes, Geometry.GIB)) {
            throw new IllegalArgumentException("the top of RAM must be a positive multiple of 1 GiB, not " + topBytes);
        }
        int nodes = topology.numaNodeCount();
        long regions = topBytes / Geometry.GIB;
        if (regions < nodes) {
            throw new IllegalArgumentException("need at least 1 GiB per NUMA node");
        }
        Builder b = builder(topology);
        long holeStart = 3 * Geometry.GIB;
        long holeEnd = 4 * Geometry.GIB;
        boolean hole = topBytes > holeEnd;
        for (int node = 0; node < nodes; node++) {
            long start = regions * node / nodes * Geometry.GIB;
            long end = regions * (node + 1) / nodes * Geometry.GIB;
            List<PhysRange> nodeRam = new ArrayList<>();
            if (hole && start < holeEnd && end > holeStart) {
                if (start < holeStart) {
                    nodeRam.add(new PhysRange(start, holeStart));
                }
                if (end > holeEnd) {
                    nodeRam.add(new PhysRange(holeEnd, end));
                }
            } else {
                nodeRam.add(new PhysRange(start, end));
            }
            if (nodeRam.isEmpty()) {
                throw new IllegalArgumentException("NUMA node " + node + " would hold no RAM (it falls in the MMIO hole)");
            }
            for (PhysRange r : nodeRam) {
                b.ram(r.start(), r.end(), node);
            }
            PhysRange last = nodeRam.get(nodeRam.size() - 1);
            long segment = Geometry.alignUp(Geometry.rmpTableBytes(end - start), 1L << 20);
            if (segment > last.size()) {
                throw new IllegalArgumentException("NUMA node " + node + " is too small for its RMP segment");
            }
            b.rmpTable(last.end() - segment, last.end());
        }
        b.firmwarePages(1L << 20, 2L << 20);
        return b.build();
    }

    /** The first byte past the highest RAM range; the RMP covers {@code [0, ramEnd())}. */
    public long ramEnd() {
        return ram.get(ram.size() - 1).range().end();
    }

    /** The lowest RAM address. */
    public long ramStart() {
        return ram.get(0).range().start();
    }

    /** Bytes of RAM, holes excluded. */
    public long ramBytes() {
        return ram.stream().mapToLong(r -> r.range().size()).sum();
    }

    /** Bytes of RMP a host of this size needs (model §3), whatever a model stores. */
    public long rmpBytes() {
        return Geometry.rmpTableBytes(ramEnd());
    }

    /**
     * Bytes of RMP a segmented RMP needs (model §3): the bookkeeping area and one 16-byte entry per
     * 4 KiB page of RAM, holes excluded. At most {@link #rmpBytes()}.
     */
    public long segmentedRmpBytes() {
        return segmentedRmpBytes(ram);
    }

    private static long segmentedRmpBytes(List<RamRange> ram) {
        long pages = 0;
        for (RamRange r : ram) {
            pages += Geometry.pfn(r.range().size());
        }
        return Geometry.RMP_BOOKKEEPING_BYTES + pages * Geometry.RMP_ENTRY_BYTES;
    }

    /** 1 GiB regions from 0 to the top of RAM, rounded up. */
    public long regionCount() {
        return Geometry.regionIndex(Geometry.alignUp(ramEnd(), Geometry.REGION_1G));
    }

    /** Whether {@code spa} is RAM (not in a hole, not beyond the top). */
    public boolean isRam(long spa) {
        return ramRangeIndex(ram, spa) >= 0;
    }

    /** Whether all of {@code range} is RAM inside one RAM range. */
    public boolean isRam(PhysRange range) {
        return isRamRange(ram, range);
    }

    /** A description of this host for people, for example {@code 2 sockets x 256 cores x 2 threads, 2048 GiB}. */
    public String summary() {
        return topology + ", " + (ramEnd() >> 30) + " GiB top of RAM (" + (ramBytes() >> 20) + " MiB RAM)";
    }

    private static boolean isRamRange(List<RamRange> ram, PhysRange range) {
        int i = ramRangeIndex(ram, range.start());
        return i >= 0 && ram.get(i).range().contains(range);
    }

    private static int ramRangeIndex(List<RamRange> ram, long spa) {
        int lo = 0;
        int hi = ram.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            PhysRange r = ram.get(mid).range();
            if (spa < r.start()) {
                hi = mid - 1;
            } else if (spa >= r.end()) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Builds a {@link HostDescription} piece by piece. */
    public static final class Builder {
        private final CpuTopology topology;
        private final List<RamRange> ram = new ArrayList<>();
        private final List<PhysRange> rmpTable = new ArrayList<>();
        private final List<PhysRange> firmwarePages = new ArrayList<>();
        private final List<PhysRange> hvFixedPages = new ArrayList<>();
        private boolean segmentedRmp = true;

        private Builder(CpuTopology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
        }

        /** Adds RAM {@code [start, end)} on {@code numaNode}; ranges must be added in order. */
        public Builder ram(long start, long end, int numaNode) {
            ram.add(RamRange.of(start, end, numaNode));
            return this;
        }

        /** Places (a segment of) the RMP at {@code [start, end)}. */
        public Builder rmpTable(long start, long end) {
            rmpTable.add(new PhysRange(start, end));
            return this;
        }

        /** Hands {@code [start, end)} to the firmware at SNP_INIT. */
        public Builder firmwarePages(long start, long end) {
            firmwarePages.add(new PhysRange(start, end));
            return this;
        }

        /** Marks {@code [start, end)} HV_FIXED at SNP_INIT. */
        public Builder hvFixedPages(long start, long end) {
            hvFixedPages.add(new PhysRange(start, end));
            return this;
        }

        /** Whether the segmented RMP is enabled (default true). */
        public Builder segmentedRmp(boolean enabled) {
            this.segmentedRmp = enabled;
            return this;
        }

        /** The description; validates it. */
        public HostDescription build() {
            return new HostDescription(topology, ram, rmpTable, firmwarePages, hvFixedPages, segmentedRmp);
        }
    }
}

package dev.rmpopt.kvm;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.PhysRange;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The host's page allocator for guest memory: hands out 4 KiB, 2 MiB and 1 GiB frames of RAM,
 * never the RMP's or the firmware's pages and never the first GiB (the host kernel's own).
 *
 * <p>Free memory is kept per 2 MiB frame; a 4 KiB allocation splits a 2 MiB frame and serves
 * later 4 KiB allocations of the same kind (SNP or not) from it, as per-order free lists do; a
 * 1 GiB allocation needs a wholly free region. Which 2 MiB frame an allocation takes is the
 * {@link PlacementPolicy}'s choice. Not thread-safe: one hypervisor owns one allocator.
 */
public final class HostFrameAllocator {

    private final HostDescription host;
    private final PlacementPolicy placement;
    /** Free 2 MiB frames, with a summary so the next free frame from anywhere is O(log frames). */
    private final SummaryBitSet free2M;
    private final BitSet usable2M = new BitSet();
    /** Regions by what placements look for, kept as counts change ({@link #reindex}). */
    private final SummaryBitSet snpWithFree;
    private final SummaryBitSet whollyFree;
    private final SummaryBitSet noSnpWithFree;
    private final SummaryBitSet allFramesFree;
    /** Per region, which of the four sets above hold it (the bits below). */
    private final byte[] regionFlags;
    private static final int SNP_WITH_FREE = 1;
    private static final int WHOLLY_FREE = 2;
    private static final int NO_SNP_WITH_FREE = 4;
    private static final int ALL_FRAMES_FREE = 8;
    private final int[] freePerRegion;
    private final int[] usablePerRegion;
    private final int[] snpFramesPerRegion;
    /** Split 2 MiB frames: index to the free 4 KiB pages in it, and whether it serves SNP memory. */
    private final Map<Long, BitSet> split = new HashMap<>();
    private final Map<Long, Boolean> splitForSnp = new HashMap<>();
    /** Split frames with a free page, SNP and not: the only candidates of a 4 KiB allocation. */
    private final Set<Long> openSnp = new HashSet<>();
    private final Set<Long> openOther = new HashSet<>();
    /** 2 MiB frames holding SNP guest memory. */
    private final BitSet snpFrames = new BitSet();
    private long freeBytes;

    /** An allocator over {@code host}'s RAM with everything free. */
    public HostFrameAllocator(HostDescription host, PlacementPolicy placement) {
        this.host = Objects.requireNonNull(host, "host");
        this.placement = Objects.requireNonNull(placement, "placement");
        int regions = Math.toIntExact(host.regionCount());
        freePerRegion = new int[regions];
        usablePerRegion = new int[regions];
        snpFramesPerRegion = new int[regions];
        free2M = new SummaryBitSet(Math.multiplyExact(regions, Geometry.RANGES_2M_PER_REGION));
        snpWithFree = new SummaryBitSet(regions);
        whollyFree = new SummaryBitSet(regions);
        noSnpWithFree = new SummaryBitSet(regions);
        allFramesFree = new SummaryBitSet(regions);
        regionFlags = new byte[regions];
        BitSet reserved = reservedFrames(host);
        for (var ram : host.ram()) {
            long first = Geometry.alignUp(Math.max(ram.range().start(), Geometry.GIB), Geometry.PAGE_2M) / Geometry.PAGE_2M;
            long end = Geometry.alignDown(ram.range().end(), Geometry.PAGE_2M) / Geometry.PAGE_2M;
            for (long f = first; f < end; f++) {
                if (!reserved.get(Math.toIntExact(f))) {
                    usable2M.set(Math.toIntExact(f));
                    usablePerRegion[regionOf(f)]++;
                }
            }
        }
        for (int f = usable2M.nextSetBit(0); f >= 0; f = usable2M.nextSetBit(f + 1)) {
            free2M.set(f);
        }
        System.arraycopy(usablePerRegion, 0, freePerRegion, 0, regions);
        freeBytes = usable2M.cardinality() * Geometry.PAGE_2M;
        for (int r = 0; r < regions; r++) {
            reindex(r);
        }
    }

    /**
     * Puts {@code region} in the region sets its counts now say. Membership changes far less often
     * than the counts (a frame taken from a region with many free ones changes none), so only a change
     * touches the sets.
     */
    private void reindex(int region) {
        int free = freePerRegion[region];
        boolean snp = snpFramesPerRegion[region] > 0;
        int flags = (snp && free > 0 ? SNP_WITH_FREE : 0)
                | (free > 0 && free == usablePerRegion[region] ? WHOLLY_FREE : 0)
                | (!snp && free > 0 ? NO_SNP_WITH_FREE : 0)
                | (free == Geometry.RANGES_2M_PER_REGION ? ALL_FRAMES_FREE : 0);
        int changed = flags ^ regionFlags[region];
        if (changed == 0) {
            return;
        }
        regionFlags[region] = (byte) flags;
        if ((changed & SNP_WITH_FREE) != 0) {
            snpWithFree.set(region, (flags & SNP_WITH_FREE) != 0);
        }
        if ((changed & WHOLLY_FREE) != 0) {
            whollyFree.set(region, (flags & WHOLLY_FREE) != 0);
        }
        if ((changed & NO_SNP_WITH_FREE) != 0) {
            noSnpWithFree.set(region, (flags & NO_SNP_WITH_FREE) != 0);
        }
        if ((changed & ALL_FRAMES_FREE) != 0) {
            allFramesFree.set(region, (flags & ALL_FRAMES_FREE) != 0);
        }
    }

    /** The 2 MiB frames overlapping the RMP's, the firmware's or the HV_FIXED pages: per range, not per frame. */
    private static BitSet reservedFrames(HostDescription host) {
        BitSet reserved = new BitSet();
        List<PhysRange> ranges = new ArrayList<>(host.rmpTable());
        ranges.addAll(host.firmwarePages());
        ranges.addAll(host.hvFixedPages());
        for (PhysRange r : ranges) {
            if (r.end() > r.start()) {
                reserved.set(Math.toIntExact(r.start() / Geometry.PAGE_2M),
                        Math.toIntExact(Geometry.alignUp(r.end(), Geometry.PAGE_2M) / Geometry.PAGE_2M));
            }
        }
        return reserved;
    }

    /** The host this allocator serves. */
    public HostDescription host() {
        return host;
    }

    /** The placement policy in force. */
    public PlacementPolicy placement() {
        return placement;
    }

    /** Bytes not allocated. */
    public long freeBytes() {
        return freeBytes;
    }

    /**
     * A frame of {@code bytes} (4 KiB, 2 MiB or 1 GiB), or empty when none is free.
     *
     * @param forSnp whether the frame will back SNP guest memory (placement may keep those apart)
     */
    public OptionalLong allocate(long bytes, boolean forSnp) {
        if (bytes == Geometry.PAGE_4K) {
            return allocate4K(forSnp);
        }
        if (bytes == Geometry.PAGE_2M) {
            long frame = placement.choose2M(view(), forSnp);
            if (frame < 0) {
                return OptionalLong.empty();
            }
            take2M(frame, forSnp);
            return OptionalLong.of(frame * Geometry.PAGE_2M);
        }
        if (bytes == Geometry.REGION_1G) {
            if (forSnp) {
                throw new IllegalArgumentException("SNP guest memory is backed by 4 KiB or 2 MiB pages, not 1 GiB");
            }
            // the highest region with all its frames free, never the first GiB
            int r = allFramesFree.previousSetBit(freePerRegion.length - 1);
            if (r < 1) {
                return OptionalLong.empty();
            }
            long first = (long) r * Geometry.RANGES_2M_PER_REGION;
            for (long f = first; f < first + Geometry.RANGES_2M_PER_REGION; f++) {
                take2M(f, false);
            }
            return OptionalLong.of(Geometry.regionBase(r));
        }
        throw new IllegalArgumentException("frames are 4 KiB, 2 MiB or 1 GiB, not " + bytes + " bytes");
    }

    /** Returns the frame of {@code bytes} at {@code spa}, allocated before with the same size. */
    public void free(long spa, long bytes) {
        if (bytes == Geometry.PAGE_4K) {
            long frame = spa / Geometry.PAGE_2M;
            BitSet pages = split.get(frame);
            int page = (int) ((spa % Geometry.PAGE_2M) / Geometry.PAGE_4K);
            if (pages == null || pages.get(page) || spa % Geometry.PAGE_4K != 0) {
                throw new IllegalArgumentException("no allocated 4 KiB frame at " + Geometry.hex(spa));
            }
            boolean wasFull = pages.isEmpty();
            pages.set(page);
            freeBytes += Geometry.PAGE_4K;
            if (wasFull) {
                open(splitForSnp.get(frame)).add(frame);
            }
            if (pages.cardinality() == Geometry.PAGES_PER_2M) {
                split.remove(frame);
                boolean snp = splitForSnp.remove(frame);
                open(snp).remove(frame);
                freeBytes -= Geometry.PAGE_2M;
                give2M(frame, snp);
            }
        } else if (bytes == Geometry.PAGE_2M || bytes == Geometry.REGION_1G) {
            if (spa % bytes != 0) {
                throw new IllegalArgumentException(Geometry.hex(spa) + " is not a " + bytes + "-byte frame");
            }
            long first = spa / Geometry.PAGE_2M;
            long count = bytes / Geometry.PAGE_2M;
            for (long f = first; f < first + count; f++) {
                if (!usable2M.get(Math.toIntExact(f)) || free2M.get(Math.toIntExact(f)) || split.containsKey(f)) {
                    throw new IllegalArgumentException("no allocated frame at " + Geometry.hex(f * Geometry.PAGE_2M));
                }
            }
            for (long f = first; f < first + count; f++) {
                give2M(f, snpFramesAt(f));
            }
        } else {
            throw new IllegalArgumentException("frames are 4 KiB, 2 MiB or 1 GiB, not " + bytes + " bytes");
        }
    }

    private boolean snpFramesAt(long frame) {
        return snpFrames.get(Math.toIntExact(frame));
    }

    /**
     * A 4 KiB page from the first split frame of the kind with a free page, in the split map's
     * iteration order, else from a newly split frame. Only split frames with a free page are
     * candidates, and they are kept apart ({@link #openSnp}, {@link #openOther}): with none the map
     * is not searched, with one it is the answer, and only with several (after frees) is the map
     * walked for the first, as it always was. So the choice is the scan's, without its O(splits)
     * per page once most splits are full (4 KiB backing).
     */
    private OptionalLong allocate4K(boolean forSnp) {
        Set<Long> open = open(forSnp);
        if (!open.isEmpty()) {
            long frame = open.size() == 1 ? open.iterator().next() : firstSplitWithFreePage(forSnp);
            BitSet pages = split.get(frame);
            int page = pages.nextSetBit(0);
            pages.clear(page);
            if (pages.isEmpty()) {
                open.remove(frame);
            }
            freeBytes -= Geometry.PAGE_4K;
            return OptionalLong.of(frame * Geometry.PAGE_2M + page * Geometry.PAGE_4K);
        }
        long frame = placement.choose2M(view(), forSnp);
        if (frame < 0) {
            return OptionalLong.empty();
        }
        take2M(frame, forSnp);
        BitSet pages = new BitSet(Geometry.PAGES_PER_2M);
        pages.set(1, Geometry.PAGES_PER_2M);
        split.put(frame, pages);
        splitForSnp.put(frame, forSnp);
        open.add(frame);
        freeBytes += Geometry.PAGE_2M - Geometry.PAGE_4K;
        return OptionalLong.of(frame * Geometry.PAGE_2M);
    }

    /** The first split frame of the kind with a free page in the split map's order, or -1: the scan. */
    private long firstSplitWithFreePage(boolean forSnp) {
        for (Map.Entry<Long, BitSet> e : split.entrySet()) {
            if (splitForSnp.get(e.getKey()) == forSnp && !e.getValue().isEmpty()) {
                return e.getKey();
            }
        }
        return -1;
    }

    /**
     * Where the next 4 KiB allocation of the kind will come from if a split frame has a free page,
     * by the scan of every split frame that {@link #allocate4K} replaced; -1 when a new frame would
     * be split. For tests, as the oracle of the choice.
     */
    long next4KByScan(boolean forSnp) {
        long frame = firstSplitWithFreePage(forSnp);
        return frame < 0 ? -1 : frame * Geometry.PAGE_2M + split.get(frame).nextSetBit(0) * Geometry.PAGE_4K;
    }

    private Set<Long> open(boolean snp) {
        return snp ? openSnp : openOther;
    }

    private void take2M(long frame, boolean forSnp) {
        int f = Math.toIntExact(frame);
        if (!free2M.get(f)) {
            throw new IllegalStateException("placement chose a frame that is not free: " + Geometry.hex(frame * Geometry.PAGE_2M));
        }
        free2M.clear(f);
        freePerRegion[regionOf(frame)]--;
        freeBytes -= Geometry.PAGE_2M;
        if (forSnp) {
            snpFrames.set(f);
            snpFramesPerRegion[regionOf(frame)]++;
        }
        reindex(regionOf(frame));
    }

    private void give2M(long frame, boolean snp) {
        int f = Math.toIntExact(frame);
        free2M.set(f);
        freePerRegion[regionOf(frame)]++;
        freeBytes += Geometry.PAGE_2M;
        if (snp) {
            snpFrames.clear(f);
            snpFramesPerRegion[regionOf(frame)]--;
        }
        reindex(regionOf(frame));
    }

    private static int regionOf(long frame) {
        return (int) (frame / Geometry.RANGES_2M_PER_REGION);
    }

    /** What a placement sees; also where the churn finds free frames for the host's own writes. */
    FrameView view() {
        return new FrameView() {
            @Override
            public int regionCount() {
                return freePerRegion.length;
            }

            @Override
            public int nextFree2M(int fromFrame) {
                return free2M.nextSetBit(fromFrame);
            }

            @Override
            public int frameCount() {
                return freePerRegion.length * Geometry.RANGES_2M_PER_REGION;
            }

            @Override
            public int freeFramesIn(int region) {
                return freePerRegion[region];
            }

            @Override
            public int usableFramesIn(int region) {
                return usablePerRegion[region];
            }

            @Override
            public int snpFramesIn(int region) {
                return snpFramesPerRegion[region];
            }

            @Override
            public int lowestRegionWithSnpAndFree() {
                return snpWithFree.nextSetBit(0);
            }

            @Override
            public int highestWhollyFreeRegion() {
                return whollyFree.previousSetBit(freePerRegion.length - 1);
            }

            @Override
            public int lowestRegionWithoutSnpWithFree() {
                return noSnpWithFree.nextSetBit(0);
            }
        };
    }
}

package dev.rmpopt.kvm;

import dev.rmpopt.api.Geometry;
import java.util.SplittableRandom;

/**
 * Which free 2 MiB frame an allocation takes. Placement decides how many 1 GiB regions SNP memory
 * touches, and so how much memory RMPOPT can keep optimized (model §1).
 */
public interface PlacementPolicy {

    /** A short name for reports. */
    String name();

    /** The 2 MiB frame index to allocate, or -1 when none is free. */
    int choose2M(FrameView frames, boolean forSnp);

    /**
     * Scatter: a free frame at a random place, as a buddy allocator hands out memory after a long
     * uptime. SNP memory lands in many regions.
     */
    static PlacementPolicy scatter(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new PlacementPolicy() {
            @Override
            public String name() {
                return "scatter";
            }

            @Override
            public int choose2M(FrameView frames, boolean forSnp) {
                int start = random.nextInt(frames.frameCount());
                int f = frames.nextFree2M(start);
                return f >= 0 ? f : frames.nextFree2M(0);
            }
        };
    }

    /**
     * Pack: SNP memory goes to 1 GiB regions of its own (first one already holding SNP memory with
     * room, then the highest wholly free region), other memory to regions without SNP memory
     * (lowest first); each falls back to any free frame. Each choice is O(log regions) on the
     * allocator's view (its summary bit sets), never a scan of the regions.
     */
    static PlacementPolicy packSnpRegions() {
        return new PlacementPolicy() {
            @Override
            public String name() {
                return "pack";
            }

            @Override
            public int choose2M(FrameView frames, boolean forSnp) {
                int region = forSnp ? snpRegion(frames) : nonSnpRegion(frames);
                if (region >= 0) {
                    return frames.nextFree2M(region * Geometry.RANGES_2M_PER_REGION);
                }
                return frames.nextFree2M(0);
            }

            private int snpRegion(FrameView frames) {
                int region = frames.lowestRegionWithSnpAndFree();
                return region >= 0 ? region : frames.highestWhollyFreeRegion();
            }

            private int nonSnpRegion(FrameView frames) {
                return frames.lowestRegionWithoutSnpWithFree();
            }
        };
    }
}

package dev.rmpopt.kvm;

/**
 * What a {@link PlacementPolicy} sees of the allocator: free 2 MiB frames and per-region counts, and
 * the regions a placement looks for. The region queries' defaults scan the regions; the allocator's
 * own view answers them, and {@link #nextFree2M}, from summary bit sets in O(log regions).
 */
public interface FrameView {

    /** 1 GiB regions of the host. */
    int regionCount();

    /** 2 MiB frames of the host (free or not). */
    int frameCount();

    /** The first free 2 MiB frame at or after {@code fromFrame}, or -1. */
    int nextFree2M(int fromFrame);

    /** Free 2 MiB frames in {@code region}. */
    int freeFramesIn(int region);

    /** 2 MiB frames of {@code region} the allocator may ever hand out. */
    int usableFramesIn(int region);

    /** 2 MiB frames of {@code region} now holding SNP guest memory (whole or split). */
    int snpFramesIn(int region);

    /** The lowest region holding SNP memory and a free frame, or -1. */
    default int lowestRegionWithSnpAndFree() {
        for (int r = 0; r < regionCount(); r++) {
            if (snpFramesIn(r) > 0 && freeFramesIn(r) > 0) {
                return r;
            }
        }
        return -1;
    }

    /** The highest region with a free frame and every usable frame free, or -1. */
    default int highestWhollyFreeRegion() {
        for (int r = regionCount() - 1; r >= 0; r--) {
            if (freeFramesIn(r) > 0 && freeFramesIn(r) == usableFramesIn(r)) {
                return r;
            }
        }
        return -1;
    }

    /** The lowest region holding no SNP memory and a free frame, or -1. */
    default int lowestRegionWithoutSnpWithFree() {
        for (int r = 0; r < regionCount(); r++) {
            if (snpFramesIn(r) == 0 && freeFramesIn(r) > 0) {
                return r;
            }
        }
        return -1;
    }
}

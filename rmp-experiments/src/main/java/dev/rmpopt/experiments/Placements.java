package dev.rmpopt.experiments;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.kvm.FrameView;
import dev.rmpopt.kvm.PlacementPolicy;
import java.util.List;

/**
 * The frame placements an experiment can name: the hypervisor's two, and two that build the
 * cost model's worst cases (model §8.3) out of ordinary VMs.
 */
public final class Placements {

    /** The names, in the order they are documented. */
    public static final List<String> NAMES = List.of("scatter", "pack", "first-frame", "last-frame");

    private Placements() {
    }

    /**
     * The placement called {@code name}: {@code scatter} (seeded by {@code seed}) and {@code pack}
     * as the hypervisor has them; {@code first-frame} and {@code last-frame} spread SNP memory one
     * 2 MiB frame at a time over the regions (the region holding the fewest SNP frames first,
     * lowest on a tie) and take its first, or its last, free frame, so that a VERIFY of each
     * region meets an assigned page at once, or only after scanning 511/512 of it; other memory
     * goes, as with pack, to the lowest region without SNP memory.
     *
     * @throws IllegalArgumentException for another name
     */
    public static PlacementPolicy named(String name, long seed) {
        return switch (name) {
            case "scatter" -> PlacementPolicy.scatter(seed);
            case "pack" -> PlacementPolicy.packSnpRegions();
            case "first-frame" -> new Spread(name, false);
            case "last-frame" -> new Spread(name, true);
            default -> throw new IllegalArgumentException("no placement named '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    /** SNP frames spread over the regions, at each region's start or end. */
    private record Spread(String name, boolean last) implements PlacementPolicy {
        @Override
        public int choose2M(FrameView frames, boolean forSnp) {
            int region = forSnp ? fewestSnp(frames) : lowestWithoutSnp(frames);
            if (region < 0) {
                return frames.nextFree2M(0);
            }
            int first = region * Geometry.RANGES_2M_PER_REGION;
            if (!forSnp || !last) {
                return frames.nextFree2M(first);
            }
            for (int f = Math.min(frames.frameCount(), first + Geometry.RANGES_2M_PER_REGION) - 1; f >= first; f--) {
                if (frames.nextFree2M(f) == f) {
                    return f;
                }
            }
            return frames.nextFree2M(first);
        }

        private static int fewestSnp(FrameView frames) {
            int best = -1;
            for (int r = 0; r < frames.regionCount(); r++) {
                if (frames.freeFramesIn(r) > 0 && (best < 0 || frames.snpFramesIn(r) < frames.snpFramesIn(best))) {
                    best = r;
                }
            }
            return best;
        }

        private static int lowestWithoutSnp(FrameView frames) {
            for (int r = 0; r < frames.regionCount(); r++) {
                if (frames.snpFramesIn(r) == 0 && frames.freeFramesIn(r) > 0) {
                    return r;
                }
            }
            return -1;
        }
    }
}

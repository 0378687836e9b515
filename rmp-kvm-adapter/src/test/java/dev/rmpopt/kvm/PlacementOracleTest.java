package dev.rmpopt.kvm;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.kernel.EventScheduler.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.kernel.Policies;
import java.util.BitSet;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The placements on the allocator's summary bit sets (O(log regions) a choice) decide exactly as the
 * linear scans they replaced, kept here as the oracle: every choice of a long churn that fills the
 * host (fallbacks and refusals included) is made by both and compared. Seeds fixed and printed.
 */
class PlacementOracleTest {

    static final long SEED = Long.getLong("rmpopt.seed", 20261203L);
    static final HostDescription HOST = HostDescription.standard(new CpuTopology(2, 4, 2), 96 * GIB);
    /** Big VMs for the host, so it runs full: 2-24 GiB each, one every 15 s living 10 minutes. */
    static final ChurnConfig CHURN = new ChurnConfig(3 * 3600 * SECOND, 15 * SECOND, 600 * SECOND, 2, 24, 0.6, 0.6,
            8L << 20, 2, 300 * SECOND, 29);

    static {
        System.out.println("PlacementOracleTest seed " + SEED + " (-Drmpopt.seed=" + SEED + " replays)");
    }

    static Stream<Arguments> placements() {
        return Stream.of(
                Arguments.of("pack", (Supplier<PlacementPolicy>) PlacementPolicy::packSnpRegions,
                        (Supplier<PlacementPolicy>) LinearPlacements::pack),
                Arguments.of("scatter", (Supplier<PlacementPolicy>) () -> PlacementPolicy.scatter(SEED),
                        (Supplier<PlacementPolicy>) () -> LinearPlacements.scatter(SEED)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void sameChoicesAsTheLinearScansOverALongChurn(String name, Supplier<PlacementPolicy> fast, Supplier<PlacementPolicy> oracle) {
        Checking checking = new Checking(fast.get(), oracle.get());
        Sim sim = new Sim(HOST, "scalable", java.util.function.UnaryOperator.identity(), Policies.targetedFreedRegions(), checking,
                dev.rmpopt.kernel.RmpoptCostModel.AMD_PUBLISHED);
        ChurnReport report = new ChurnSimulation(sim.hypervisor, sim.scheduler, CHURN, t -> { }).run();
        assertTrue(checking.choices > 10_000, "choices " + checking.choices);
        assertTrue(checking.none > 0 || report.launchesRefused() > 0,
                "the host ran full at least once: " + checking.none + " frames refused, " + report.launchesRefused() + " launches");
    }

    /** Both placements choose on every call; the fast one's choice is used. */
    static final class Checking implements PlacementPolicy {
        final PlacementPolicy fast;
        final PlacementPolicy oracle;
        long choices;
        long none;

        Checking(PlacementPolicy fast, PlacementPolicy oracle) {
            this.fast = fast;
            this.oracle = oracle;
        }

        @Override
        public String name() {
            return fast.name();
        }

        @Override
        public int choose2M(FrameView frames, boolean forSnp) {
            int expected = oracle.choose2M(new BasicView(frames), forSnp);
            int actual = fast.choose2M(frames, forSnp);
            assertEquals(expected, actual, "choice " + choices + " (forSnp " + forSnp + ")");
            choices++;
            if (actual < 0) {
                none++;
            }
            return actual;
        }
    }

    /** A view with the basic methods only: the region queries fall to FrameView's scanning defaults. */
    record BasicView(FrameView v) implements FrameView {
        @Override
        public int regionCount() {
            return v.regionCount();
        }

        @Override
        public int frameCount() {
            return v.frameCount();
        }

        @Override
        public int nextFree2M(int fromFrame) {
            return v.nextFree2M(fromFrame); // the summary bit set, checked against BitSet below
        }

        @Override
        public int freeFramesIn(int region) {
            return v.freeFramesIn(region);
        }

        @Override
        public int usableFramesIn(int region) {
            return v.usableFramesIn(region);
        }

        @Override
        public int snpFramesIn(int region) {
            return v.snpFramesIn(region);
        }
    }

    /** The placements as they were: scans of every region. */
    static final class LinearPlacements {
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

        static PlacementPolicy pack() {
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
                    for (int r = 0; r < frames.regionCount(); r++) {
                        if (frames.snpFramesIn(r) > 0 && frames.freeFramesIn(r) > 0) {
                            return r;
                        }
                    }
                    for (int r = frames.regionCount() - 1; r >= 0; r--) {
                        if (frames.freeFramesIn(r) > 0 && frames.freeFramesIn(r) == frames.usableFramesIn(r)) {
                            return r;
                        }
                    }
                    return -1;
                }

                private int nonSnpRegion(FrameView frames) {
                    for (int r = 0; r < frames.regionCount(); r++) {
                        if (frames.snpFramesIn(r) == 0 && frames.freeFramesIn(r) > 0) {
                            return r;
                        }
                    }
                    return -1;
                }
            };
        }
    }

    @Test
    void summaryBitSetAgreesWithBitSet() {
        Random random = new Random(SEED);
        for (int size : new int[] {1, 63, 64, 65, 4096, 4097, 300_000}) {
            SummaryBitSet fast = new SummaryBitSet(size);
            BitSet slow = new BitSet(size);
            for (int op = 0; op < 20_000; op++) {
                int i = random.nextInt(size);
                if (random.nextInt(3) == 0) {
                    fast.clear(i);
                    slow.clear(i);
                } else if (random.nextInt(4) == 0) {
                    fast.set(i);
                    slow.set(i);
                }
                int from = random.nextInt(size + 2) - 1;
                assertEquals(from >= size ? -1 : slow.nextSetBit(Math.max(0, from)), fast.nextSetBit(from), "next from " + from);
                assertEquals(from < 0 ? -1 : slow.previousSetBit(Math.min(size - 1, from)), fast.previousSetBit(from), "previous from " + from);
                assertEquals(slow.get(i), fast.get(i));
            }
        }
    }
}

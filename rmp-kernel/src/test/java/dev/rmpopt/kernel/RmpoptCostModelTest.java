package dev.rmpopt.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The cost model's mechanism (model §8.2) on numbers small enough to follow by hand: a 1 GHz clock,
 * a scan of 1 cycle per entry after a 10-cycle early exit, cached VERIFYs of 100 cycles alone and
 * 100 more per other CPU running one, 10 cycles to send an IPI, 50 in its handler.
 */
class RmpoptCostModelTest {

    static final RmpoptCostModel SIMPLE = new RmpoptCostModel(1.0, 10, 10 + 262_144, 100, 1_100, 11, 10, 50, 1e9, false);

    @Test
    void derivedCostsFollowTheParameters() {
        assertEquals(10, SIMPLE.scanCycles(0), 1e-9, "an assigned first page: an early exit");
        assertEquals(1_010, SIMPLE.scanCycles(1_000), 1e-9, "one cycle per entry up to the assigned one");
        assertEquals(262_154, SIMPLE.scanCycles(-1), 1e-9, "a clean region: the whole scan");
        assertEquals(100, SIMPLE.cachedCycles(1), 1e-9);
        assertEquals(400, SIMPLE.cachedCycles(4), 1e-9, "three others contending, 100 cycles each");
        assertEquals(1_100, SIMPLE.cachedCycles(11), 1e-9, "the parallel figure at its own CPU count");
        assertEquals(5, RmpoptCostModel.AMD_PUBLISHED.nanos(10), "2 GHz");
    }

    @Test
    void aLeaderPassIsTheLeadersLoopPlusRoundsThatLastAsLongAsTheSlowestFollower() {
        // a clean region, one failing at its first page, one failing 1000 entries in; three followers
        RmpoptCostModel.PassCost cost = SIMPLE.passCost(PassShape.LEADER_THEN_FOLLOWERS, 0, 3, new long[] {-1, 0, 1_000});
        // leader: 262,154 + 10 + 1,010; rounds: fan-out 30 plus the handler (50 + the VERIFY):
        // clean: cached with 3 at once, 300 -> 380; first page: rescanned, 10 -> 90; 1000 in: 1,010 -> 1,090
        assertEquals(262_154 + 10 + 1_010 + 380 + 90 + 1_090, cost.nanos());
        PassJitter j = cost.jitter();
        assertEquals(cost.nanos(), j.issuerStolenNanos(), "the leader is busy for the whole pass");
        assertEquals(262_154, j.issuerLongestNanos(), "its longest stretch: the whole scan of the clean region");
        assertEquals(3, j.targets());
        assertEquals(3 * (350 + 60 + 1_060), j.targetsStolenNanos());
        assertEquals(350 + 60 + 1_060, j.worstTargetStolenNanos(), "every follower alike");
        assertEquals(1_060, j.targetLongestNanos());
        assertEquals(3, j.interruptions(), "one per region");
        assertEquals(j.issuerStolenNanos() + j.targetsStolenNanos(), j.totalStolenNanos(), "the stolen time adds up");
    }

    @Test
    void cachingFailuresMakesFollowersUseTheCacheOnFailingRegionsToo() {
        RmpoptCostModel cached = SIMPLE.withCachedFailures(true);
        RmpoptCostModel.PassCost cost = cached.passCost(PassShape.LEADER_THEN_FOLLOWERS, 0, 3, new long[] {1_000});
        assertEquals(1_010 + 30 + 50 + 300, cost.nanos());
    }

    @Test
    void withoutALeaderTheFirstTargetScansAndTheOthersWaitForItsResult() {
        // a clean region, v2: three targets and the issuer, four CPUs at once
        RmpoptCostModel.PassCost cost = SIMPLE.passCost(PassShape.ALL_CPUS_NO_LEADER, 2, 3, new long[] {-1});
        long scanDone = 10 + 50 + 262_154;
        assertEquals(scanDone + 400, cost.nanos(), "the last target's cached VERIFY after the scan it waited for");
        PassJitter j = cost.jitter();
        assertEquals(2, j.issuerCpu());
        long first = 50 + 262_154;
        long second = scanDone - 20 + 400;
        long third = scanDone - 30 + 400;
        assertEquals(first + second + third, j.targetsStolenNanos(), "the stolen time over the targets adds up");
        assertEquals(second, j.worstTargetStolenNanos(), "the second target waits longest");
        assertEquals(second, j.targetLongestNanos());
        assertEquals(cost.nanos() + first + second + third, j.totalStolenNanos());
    }

    @Test
    void concurrentRescansShareTheMemoryBandwidth() {
        RmpoptCostModel narrow = new RmpoptCostModel(1.0, 10, 10 + 262_144, 100, 1_100, 11, 10, 50, 16, false);
        // 4 CPUs rescanning the whole region (the last page assigned): 4 x 4 MiB at 16 bytes per cycle
        long[] lastPage = {262_143};
        RmpoptCostModel.PassCost cost = narrow.passCost(PassShape.LEADER_THEN_FOLLOWERS, 0, 4, lastPage);
        double scan = narrow.scanCycles(262_143);
        assertEquals(Math.round(scan + 40 + 50 + 4.0 * 262_144), cost.nanos());
    }

    @Test
    void aPassOverNoRegionCostsNothing() {
        RmpoptCostModel.PassCost cost = SIMPLE.passCost(PassShape.LEADER_THEN_FOLLOWERS, 0, 3, new long[0]);
        assertEquals(0, cost.nanos());
        assertEquals(PassJitter.none(0), cost.jitter());
    }

    @Test
    void impossibleParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RmpoptCostModel(0, 10, 20, 1, 2, 2, 1, 1, 1, false), "clock");
        assertThrows(IllegalArgumentException.class, () -> new RmpoptCostModel(Double.NaN, 10, 20, 1, 2, 2, 1, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new RmpoptCostModel(1, 30, 20, 1, 2, 2, 1, 1, 1, false), "scan < exit");
        assertThrows(IllegalArgumentException.class, () -> new RmpoptCostModel(1, 10, 20, 5, 2, 2, 1, 1, 1, false), "parallel < alone");
        assertThrows(IllegalArgumentException.class, () -> new RmpoptCostModel(1, 10, 20, 1, 2, 1, 1, 1, 1, false), "one CPU");
        assertThrows(IllegalArgumentException.class, () -> new RmpoptCostModel(1, 10, 20, 1, 2, 2, -1, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new RmpoptCostModel(1, 10, 20, 1, 2, 2, 1, 1, 0, false), "bandwidth");
        assertTrue(RmpoptCostModel.AMD_PUBLISHED.fullScanCycles() > RmpoptCostModel.AMD_PUBLISHED.earlyExitCycles());
    }
}

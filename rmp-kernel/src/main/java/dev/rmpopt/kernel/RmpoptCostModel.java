package dev.rmpopt.kernel;

/**
 * What an RMPOPT pass costs in time (SPEC 8). The hardware is not on sale; these defaults are
 * calibrated so that the model reproduces AMD's two published full-pass figures on AMD's
 * geometry (2 TiB, 2048 regions, 512 cores, leader first):
 * <ul>
 *   <li>every region fails at its first entry: 2048 x (leader early exit + a failing round)
 *       = 2048 x (0.03 us + 10 us + 511 x 71 ns) = about 95 ms (AMD: 95.3 ms);</li>
 *   <li>every region clean: 2048 x (leader scan + a clean round) = 2048 x (2.5 us + 10 us + 511 x
 *       272 ns) = about 310 ms (AMD: 311.1 ms).</li>
 * </ul>
 * The leader's scan is 5,000 cycles at 2 GHz (AMD: typically 2,000-5,000 serially) and an early
 * exit 60 cycles. Followers use the leader's cached scan (SPEC 4), so their cost is per-core work
 * in an IPI round that runs them in parallel, plus the round's fixed cost.
 *
 * @param leaderScanNanos          a VERIFY that scans a whole clean region
 * @param leaderEarlyExitNanos     a VERIFY that fails at the first entry
 * @param ipiRoundNanos            the fixed cost of one follower IPI round (send, wait)
 * @param followerCleanNanos       each follower's share of a round over a clean region
 * @param followerFailNanos        each follower's share of a round over a region that fails
 */
public record RmpoptCostModel(long leaderScanNanos, long leaderEarlyExitNanos, long ipiRoundNanos,
                              long followerCleanNanos, long followerFailNanos) {

    /** The calibration above. */
    public static final RmpoptCostModel AMD_CALIBRATED = new RmpoptCostModel(2_500, 30, 10_000, 272, 71);

    /** Rejects negative costs. */
    public RmpoptCostModel {
        if (leaderScanNanos < 0 || leaderEarlyExitNanos < 0 || ipiRoundNanos < 0 || followerCleanNanos < 0
                || followerFailNanos < 0) {
            throw new IllegalArgumentException("costs must not be negative");
        }
    }

    /** The leader's VERIFY of one region. */
    public long leaderNanos(boolean clean) {
        return clean ? leaderScanNanos : leaderEarlyExitNanos;
    }

    /** One follower round over one region with {@code followers} cores. */
    public long followerRoundNanos(boolean clean, int followers) {
        if (followers == 0) {
            return 0;
        }
        return ipiRoundNanos + (long) followers * (clean ? followerCleanNanos : followerFailNanos);
    }
}

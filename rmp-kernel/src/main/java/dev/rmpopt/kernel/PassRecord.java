package dev.rmpopt.kernel;

/**
 * The accounting of one RMPOPT pass (SPEC 7 and 8).
 *
 * @param sequence            1 for the boot pass, then counting up
 * @param trigger             what started it
 * @param startNanos          simulated time at which it started
 * @param modeledNanos        its duration under the cost model
 * @param regions             1 GiB regions the pass covered
 * @param rmpoptInstructions  VERIFY instructions executed, leader and followers
 * @param ipiRounds           follower IPI rounds (one per region when there are followers)
 * @param regionsClean        regions the leader found clean (CF=1)
 * @param regionsWon          covered regions the leader found clean that were not optimized on it before the pass
 * @param regionsLost         covered regions that were clean at the last pass covering them and lost their bits since
 */
public record PassRecord(long sequence, PassTrigger trigger, long startNanos, long modeledNanos, long regions,
                         long rmpoptInstructions, long ipiRounds, long regionsClean, long regionsWon, long regionsLost) {
}

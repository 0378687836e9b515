package dev.rmpopt.kvm;

/**
 * The accounting of one full RMPOPT pass (SPEC 7).
 *
 * @param regions              1 GiB regions in the pass range
 * @param rmpoptInstructions   VERIFY instructions executed (regions x CPUs in the set)
 * @param ipiRounds            follower IPI rounds (one per region when there are followers)
 * @param regionsClean         regions the leader found clean (CF=1)
 * @param verifiesClean        VERIFY instructions, leader and followers, that returned CF=1
 */
public record PassResult(long regions, long rmpoptInstructions, long ipiRounds, long regionsClean, long verifiesClean) {
}

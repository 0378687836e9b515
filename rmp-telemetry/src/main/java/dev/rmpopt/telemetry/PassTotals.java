package dev.rmpopt.telemetry;

import dev.rmpopt.kernel.PassRecord;

/**
 * RMPOPT passes added up (model §7 and §8), for one trigger or for all.
 *
 * @param passes              passes
 * @param regions             1 GiB regions they covered
 * @param rmpoptInstructions  VERIFY instructions they executed
 * @param ipiRounds           follower IPI rounds
 * @param modeledNanos        modelled duration
 * @param regionsClean        regions the leader found clean
 * @param regionsWon          regions optimized that were not before
 * @param regionsLost         regions that had lost their optimization since the previous pass
 */
public record PassTotals(long passes, long regions, long rmpoptInstructions, long ipiRounds, long modeledNanos,
                         long regionsClean, long regionsWon, long regionsLost) {

    /** No pass. */
    public static final PassTotals NONE = new PassTotals(0, 0, 0, 0, 0, 0, 0, 0);

    /** These totals plus {@code pass}. */
    public PassTotals plus(PassRecord pass) {
        return new PassTotals(passes + 1, regions + pass.regions(), rmpoptInstructions + pass.rmpoptInstructions(),
                ipiRounds + pass.ipiRounds(), modeledNanos + pass.modeledNanos(), regionsClean + pass.regionsClean(),
                regionsWon + pass.regionsWon(), regionsLost + pass.regionsLost());
    }

    /** These totals plus {@code other}. */
    public PassTotals plus(PassTotals other) {
        return new PassTotals(passes + other.passes, regions + other.regions,
                rmpoptInstructions + other.rmpoptInstructions, ipiRounds + other.ipiRounds,
                modeledNanos + other.modeledNanos, regionsClean + other.regionsClean,
                regionsWon + other.regionsWon, regionsLost + other.regionsLost);
    }
}

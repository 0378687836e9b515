package dev.rmpopt.kernel;

import java.util.Objects;

/**
 * The accounting of one RMPOPT pass (model §7 and §8).
 *
 * @param sequence            1 for the first pass, then counting up
 * @param trigger             what started it
 * @param shape               how it spread over the CPUs (the kernel version's)
 * @param startNanos          simulated time at which it started
 * @param modeledNanos        its duration under the cost model
 * @param regions             1 GiB regions the pass covered
 * @param rmpoptInstructions  VERIFY instructions executed, on every CPU
 * @param ipiRounds           IPI rounds (one per region when there are targets)
 * @param regionsClean        regions the pass found clean (CF=1)
 * @param regionsWon          covered regions found clean that were not optimized before the pass
 * @param regionsLost         covered regions that were clean at the last pass covering them and lost their bits since
 * @param jitter              what the pass took from each CPU
 */
public record PassRecord(long sequence, PassTrigger trigger, PassShape shape, long startNanos, long modeledNanos, long regions,
                         long rmpoptInstructions, long ipiRounds, long regionsClean, long regionsWon, long regionsLost,
                         PassJitter jitter) {

    /** Rejects missing parts. */
    public PassRecord {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(jitter, "jitter");
    }
}

package dev.rmpopt.kernel;

/**
 * How long one pass took CPUs away from their work (model §8.4): the figure the reviewers asked
 * for, split by role as Dave Hansen asked. The issuer (the CPU running the work item; the leader
 * from v3) is busy for the whole pass, one region's iteration at a time (its loop may reschedule
 * between regions); every target CPU of the rounds is interrupted once per region by an IPI whose
 * handler runs one VERIFY. CPUs the pass never targets lose nothing.
 *
 * @param issuerCpu                 the CPU that ran the work item
 * @param issuerStolenNanos         the issuer's time in the pass: its own VERIFYs, sending the IPIs and
 *                                  waiting for each round; the pass's duration
 * @param issuerLongestNanos        the issuer's longest stretch without a chance to reschedule: one
 *                                  region's iteration
 * @param targets                   CPUs each round interrupts
 * @param targetsStolenNanos        the time all targets together spent in the pass's IPI handlers
 * @param worstTargetStolenNanos    the most any one target spent in them
 * @param targetLongestNanos        the longest single interruption of any target
 * @param interruptions             interruptions each target took: one per region
 */
public record PassJitter(int issuerCpu, long issuerStolenNanos, long issuerLongestNanos, int targets,
                         long targetsStolenNanos, long worstTargetStolenNanos, long targetLongestNanos, long interruptions) {

    /** No CPU touched: a pass over no region. */
    public static PassJitter none(int issuerCpu) {
        return new PassJitter(issuerCpu, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Rejects negative times and counts. */
    public PassJitter {
        if (issuerStolenNanos < 0 || issuerLongestNanos < 0 || targets < 0 || targetsStolenNanos < 0
                || worstTargetStolenNanos < 0 || targetLongestNanos < 0 || interruptions < 0) {
            throw new IllegalArgumentException("jitter figures are not negative");
        }
    }

    /** The CPU time the pass took from all CPUs together: the issuer's and every target's. */
    public long totalStolenNanos() {
        return issuerStolenNanos + targetsStolenNanos;
    }

    /** The longest single interruption of any CPU: a target's handler, or one iteration of the issuer. */
    public long worstInterruptionNanos() {
        return Math.max(issuerLongestNanos, targetLongestNanos);
    }
}

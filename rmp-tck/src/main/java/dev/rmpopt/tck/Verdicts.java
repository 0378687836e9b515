package dev.rmpopt.tck;

import java.util.Optional;

/**
 * What one exploration found: the first broken required rule (an exploration stops there), the
 * optional rule's first failure, how much of the state space it covered, and whether it explored
 * enough for its passes to mean something.
 */
final class Verdicts {

    private final Coverage coverage = new Coverage();
    private Rule failedRule;
    private String failure;
    private String exactBits;
    private String notVerified;
    private int trials;
    private int cutTrials;
    private long millis;
    private String seeds = "";

    /** Records the first broken required rule; the exploration stops after it. */
    void fail(Rule rule, String report) {
        if (failedRule == null) {
            failedRule = rule;
            failure = report;
        }
    }

    /** Records the first failure of the optional exact-bits rule. */
    void failExactBits(Counterexample c) {
        failExactBits(c.report());
    }

    /** Records the first failure of the optional exact-bits rule, as its report. */
    void failExactBits(String report) {
        if (exactBits == null) {
            exactBits = report;
        }
    }

    boolean exactBitsFailed() {
        return exactBits != null;
    }

    /** Marks every passing rule of this exploration as not verified, with {@code reason}. */
    void notVerified(String reason) {
        if (notVerified == null) {
            notVerified = reason;
        }
    }

    void trialDone(boolean cut) {
        trials++;
        cutTrials += cut ? 1 : 0;
    }

    void took(long ms) {
        millis = ms;
    }

    void seeds(String text) {
        seeds = text;
    }

    /** The rule whose failure stopped the exploration, if any. */
    Optional<Rule> firstFailure() {
        return Optional.ofNullable(failedRule);
    }

    boolean failed(Rule rule) {
        return rule == failedRule || (rule == Rule.EXACT_BITS && exactBits != null);
    }

    /** The failure report of {@code rule}, if it broke. */
    Optional<String> report(Rule rule) {
        if (rule == failedRule) {
            return Optional.of(failure);
        }
        if (rule == Rule.EXACT_BITS && exactBits != null) {
            return Optional.of(exactBits);
        }
        return Optional.empty();
    }

    /** Why a rule that did not break was not verified either, if so: the exploration stopped early or fell short. */
    Optional<String> notVerifiedReason(Rule rule) {
        if (failedRule != null && rule != failedRule) {
            return Optional.of("not verified: the exploration stopped at the first broken rule, " + failedRule.methodName()
                    + " (\"" + failedRule.displayName() + "\"); fix that one and run the kit again");
        }
        return Optional.ofNullable(notVerified);
    }

    /** The failure of any required rule, for optional explorations that report as a whole. */
    Optional<String> anyReport() {
        return Optional.ofNullable(failure);
    }

    Coverage coverage() {
        return coverage;
    }

    int trials() {
        return trials;
    }

    long millis() {
        return millis;
    }

    /** One line for the run's log. */
    String summary() {
        return trials + " trials" + (cutTrials > 0 ? " (" + cutTrials + " cut by the trial time budget)" : "") + " in " + millis
                + " ms; " + seeds + (failedRule != null ? "; FAILED " + failedRule.methodName() : "")
                + (notVerified != null ? "; " + notVerified : "") + "; reached " + coverage;
    }
}

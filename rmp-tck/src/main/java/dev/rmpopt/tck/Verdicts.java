package dev.rmpopt.tck;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one exploration found: the counterexample of every rule that broke, and how much of the
 * state space it covered.
 */
final class Verdicts {

    private final Map<Rule, Counterexample> failures = new EnumMap<>(Rule.class);
    private final Map<Rule, String> concurrentFailures = new EnumMap<>(Rule.class);
    private final Coverage coverage = new Coverage();
    private Rule first;
    private int trials;
    private long millis;

    void fail(Counterexample c) {
        if (failures.isEmpty()) {
            first = c.violation().rule();
        }
        failures.putIfAbsent(c.violation().rule(), c);
    }

    /** The rule whose failure was found first (in a trial that still checked every rule), if any. */
    Optional<Rule> firstFailure() {
        return Optional.ofNullable(first);
    }

    void failConcurrent(Rule rule, String report) {
        concurrentFailures.putIfAbsent(rule, report);
    }

    void trialDone() {
        trials++;
    }

    void took(long ms) {
        millis = ms;
    }

    boolean failed(Rule rule) {
        return failures.containsKey(rule) || concurrentFailures.containsKey(rule);
    }

    /** The failure report of {@code rule}, if it broke. */
    Optional<String> report(Rule rule) {
        Counterexample c = failures.get(rule);
        if (c != null) {
            return Optional.of(c.report());
        }
        return Optional.ofNullable(concurrentFailures.get(rule));
    }

    /** Every failure report, for optional explorations that report as a whole. */
    Optional<String> anyReport() {
        for (Rule r : Rule.values()) {
            if (r.level() == RuleLevel.REQUIRED && failed(r)) {
                return report(r);
            }
        }
        return Optional.empty();
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
}

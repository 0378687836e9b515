package dev.rmpopt.tck;

/**
 * A rule a backend broke, with what was seen.
 *
 * @param rule    the rule
 * @param message what the backend did and what the model expected
 */
record Violation(Rule rule, String message) {
}

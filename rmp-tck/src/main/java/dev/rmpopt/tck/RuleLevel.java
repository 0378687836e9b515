package dev.rmpopt.tck;

/**
 * How binding a rule is, as in the Reactive Streams TCK: a required rule that fails fails the
 * kit; an optional rule that fails, or whose capability the backend does not declare, is reported
 * as skipped with the reason, never as passed.
 */
enum RuleLevel {
    /** Every backend must follow it. */
    REQUIRED,
    /** A behaviour the model allows a backend to choose ([M] options) or not to guarantee. */
    OPTIONAL
}

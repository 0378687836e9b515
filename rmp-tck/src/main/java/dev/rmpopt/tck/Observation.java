package dev.rmpopt.tck;

import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.api.WrmsrResult;

import java.util.Objects;

/**
 * What one step did: its result, or the exception it threw. {@link IllegalArgumentException} is
 * part of the contract (a negative SPA, a CPU that does not exist, an access to non-RAM); any
 * other exception is recorded by class so that it shows up as a mismatch, never as a crash of the kit.
 *
 * @param value  the result, or null if the step threw
 * @param thrown the exception's class name (and message for unexpected ones), or null
 */
record Observation(Object value, String thrown) {

    static final String IAE = IllegalArgumentException.class.getSimpleName();

    /** Runs {@code step} on {@code machine}. */
    static Observation of(Step step, SnpMachine machine) {
        try {
            return new Observation(Objects.requireNonNull(step.applyTo(machine), "a backend returned null"), null);
        } catch (IllegalArgumentException e) {
            return new Observation(null, IAE);
        } catch (RuntimeException e) {
            return new Observation(null, e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /** Whether the step returned normally. */
    boolean returned() {
        return thrown == null;
    }

    /**
     * Whether two observations mean the same: equal results, except that a #GP's reason is free
     * text and not compared.
     */
    boolean sameAs(Observation other) {
        return Objects.equals(comparable(), other.comparable()) && Objects.equals(thrown, other.thrown);
    }

    private Object comparable() {
        return value instanceof WrmsrResult.GeneralProtection ? "#GP" : value;
    }

    @Override
    public String toString() {
        return thrown != null ? "throws " + thrown : Describe.result(value);
    }
}

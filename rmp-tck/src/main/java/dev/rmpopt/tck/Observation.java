package dev.rmpopt.tck;

import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.api.WrmsrResult;

import java.util.Objects;

/**
 * What one step did: its result, or the exception it threw. {@link NullPointerException} (a null
 * argument) and {@link IllegalArgumentException} (a negative SPA, a CPU that does not exist, an
 * access to non-RAM) are part of the contract and recorded by their simple names; any other
 * exception is recorded with its class and message so that it shows up as a mismatch, never as a
 * crash of the kit.
 *
 * @param value  the result, or null if the step threw
 * @param thrown the exception's class name (and message for unexpected ones), or null
 */
record Observation(Object value, String thrown) {

    static final String IAE = IllegalArgumentException.class.getSimpleName();
    static final String NPE = NullPointerException.class.getSimpleName();

    /** Runs {@code step} on {@code machine}. */
    static Observation of(Step step, SnpMachine machine) {
        Object value;
        try {
            value = step.applyTo(machine);
        } catch (IllegalArgumentException e) {
            return new Observation(null, IAE);
        } catch (NullPointerException e) {
            return new Observation(null, NPE);
        } catch (RuntimeException e) {
            return new Observation(null, e.getClass().getName() + ": " + e.getMessage());
        }
        return value == null ? new Observation(null, "no exception but a null result") : new Observation(value, null);
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

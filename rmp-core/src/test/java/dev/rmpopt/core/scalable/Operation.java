package dev.rmpopt.core.scalable;

import dev.rmpopt.api.SnpMachine;
import java.util.function.Function;

/**
 * One call on a machine, with its text for failure messages. {@link #apply} turns an exception
 * into a comparable value (its class and message), since backends must throw the same ones.
 */
record Operation(String text, Function<SnpMachine, Object> call) {

    Object apply(SnpMachine machine) {
        try {
            return call.apply(machine);
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    @Override
    public String toString() {
        return text;
    }
}

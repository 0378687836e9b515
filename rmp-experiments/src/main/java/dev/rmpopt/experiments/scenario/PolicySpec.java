package dev.rmpopt.experiments.scenario;

import dev.rmpopt.kernel.Policies;
import dev.rmpopt.kernel.RmpoptPolicy;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A policy to compare: a name {@link Policies#named} knows, its parameters, and manual passes.
 *
 * @param name            the policy's name
 * @param delayNanos      the delay after a destroy (v3-v7, v8-v10, targeted), if not the kernel's 10 s
 * @param debounce        targeted only: debounced like v8-v10 (the default) or not
 * @param manualEveryNanos a manual pass (configfs {@code action}) this often, if any
 */
public record PolicySpec(String name, OptionalLong delayNanos, Optional<Boolean> debounce, OptionalLong manualEveryNanos) {

    /** The policy, new for a run. */
    public RmpoptPolicy create() {
        if (delayNanos.isEmpty() && debounce.isEmpty()) {
            return Policies.named(name);
        }
        long delay = delayNanos.orElse(Policies.WORK_TIMEOUT_NANOS);
        return switch (name) {
            case "v3-v7" -> Policies.delayedAfterDestroy(delay);
            case "v8-v10" -> Policies.debouncedAfterLastDestroy(delay);
            case "targeted" -> Policies.targetedFreedRegions(delay, debounce.orElse(true));
            default -> throw new IllegalStateException("validated: " + name);
        };
    }

    /** The label of results: the policy's own name, with manual passes if any. */
    public String label() {
        String base = create().name();
        return manualEveryNanos.isEmpty() ? base : base + "+manual/" + manualEveryNanos.getAsLong() / 1_000_000_000L + "s";
    }
}

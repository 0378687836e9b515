package dev.rmpopt.kernel;

import java.util.Optional;
import java.util.function.Function;
import java.util.BitSet;

/** The kernel's re-optimization policies, version by version (SPEC 7). */
public final class Policies {

    /** The kernel's delay, {@code RMPOPT_WORK_TIMEOUT}: 10 s. */
    public static final long WORK_TIMEOUT_NANOS = 10 * EventScheduler.SECOND;

    private Policies() {
    }

    /** v1 and v2 without triggers: the boot pass only (and manual passes through configfs). */
    public static RmpoptPolicy bootOnly() {
        return new Named("boot-only", freed -> Optional.empty());
    }

    /**
     * v3-v7: {@code queue_delayed_work} 10 s after an SNP VM destroy; a destroy while a pass is
     * already queued adds nothing.
     */
    public static RmpoptPolicy delayedAfterDestroy() {
        return new Named("v3-v7", freed ->
                Optional.of(PassRequest.full(PassTrigger.VM_DESTROY_DELAYED, WORK_TIMEOUT_NANOS, false)));
    }

    /**
     * v8-v10: {@code mod_delayed_work}: every destroy pushes the pass to 10 s after the last
     * destroy.
     */
    public static RmpoptPolicy debouncedAfterLastDestroy() {
        return new Named("v8-v10", freed ->
                Optional.of(PassRequest.full(PassTrigger.VM_DESTROY_DEBOUNCED, WORK_TIMEOUT_NANOS, true)));
    }

    /**
     * The reviewers' proposal, never built upstream: a bitmap of 1 GiB regions freed since the last
     * pass, debounced like v8-v10; the pass touches only those regions.
     */
    public static RmpoptPolicy targetedFreedRegions() {
        return new Named("targeted", freed -> Optional.of(PassRequest.targeted(freed, WORK_TIMEOUT_NANOS)));
    }

    /**
     * v3-v7's shape with another delay: a full pass {@code delayNanos} after an SNP VM destroy; a
     * destroy while one is queued adds nothing. Named {@code v3-v7} at the kernel's 10 s, else
     * {@code v3-v7(delay=...)}.
     */
    public static RmpoptPolicy delayedAfterDestroy(long delayNanos) {
        return new Named(withDelay("v3-v7", delayNanos), freed ->
                Optional.of(PassRequest.full(PassTrigger.VM_DESTROY_DELAYED, delayNanos, false)));
    }

    /**
     * v8-v10's shape with another delay: a full pass {@code delayNanos} after the last SNP VM
     * destroy. Named {@code v8-v10} at the kernel's 10 s, else {@code v8-v10(delay=...)}.
     */
    public static RmpoptPolicy debouncedAfterLastDestroy(long delayNanos) {
        return new Named(withDelay("v8-v10", delayNanos), freed ->
                Optional.of(PassRequest.full(PassTrigger.VM_DESTROY_DEBOUNCED, delayNanos, true)));
    }

    /**
     * The targeted pass with another delay, and debounced ({@code mod_delayed_work}) or not
     * ({@code queue_delayed_work}: a destroy while one is queued only adds its regions). Named
     * {@code targeted} at 10 s debounced, else with its parameters.
     */
    public static RmpoptPolicy targetedFreedRegions(long delayNanos, boolean debounce) {
        String name = withDelay("targeted", delayNanos);
        if (!debounce) {
            name = name.equals("targeted") ? "targeted(no-debounce)" : name.replace(")", ",no-debounce)");
        }
        return new Named(name, freed -> Optional.of(
                new PassRequest(PassTrigger.TARGETED, delayNanos, debounce, Optional.of(freed))));
    }

    private static String withDelay(String name, long delayNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("a delay cannot be negative: " + delayNanos);
        }
        return delayNanos == WORK_TIMEOUT_NANOS ? name
                : name + "(delay=" + (delayNanos % EventScheduler.SECOND == 0 ? delayNanos / EventScheduler.SECOND + "s"
                        : delayNanos / 1e6 + "ms") + ")";
    }

    /** A policy that is a name and what it asks for on a destroy. */
    private record Named(String name, Function<BitSet, Optional<PassRequest>> onDestroy) implements RmpoptPolicy {
        @Override
        public Optional<PassRequest> onSnpVmDestroyed(BitSet freedRegions) {
            return onDestroy.apply(freedRegions);
        }
    }
}

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

    /** A policy that is a name and what it asks for on a destroy. */
    private record Named(String name, Function<BitSet, Optional<PassRequest>> onDestroy) implements RmpoptPolicy {
        @Override
        public Optional<PassRequest> onSnpVmDestroyed(BitSet freedRegions) {
            return onDestroy.apply(freedRegions);
        }
    }
}

package dev.rmpopt.kvm;

import java.util.BitSet;
import java.util.function.BiConsumer;

/** The kernel's re-optimization policies, version by version (SPEC 7). */
public final class Policies {

    /** The kernel's delay, {@code RMPOPT_WORK_TIMEOUT}: 10 s. */
    public static final long WORK_TIMEOUT_NANOS = 10 * EventScheduler.SECOND;

    private Policies() {
    }

    /** v1 and v2 without triggers: the boot pass only (and manual passes through configfs). */
    public static RmpoptPolicy bootOnly() {
        return new Named("boot-only", (kernel, freed) -> { });
    }

    /**
     * v3-v7: {@code queue_delayed_work} 10 s after an SNP VM destroy; a destroy while a pass is
     * already queued adds nothing.
     */
    public static RmpoptPolicy delayedAfterDestroy() {
        return new Named("v3-v7", (kernel, freed) ->
                kernel.queueFullPass(PassTrigger.VM_DESTROY_DELAYED, WORK_TIMEOUT_NANOS, false));
    }

    /**
     * v8-v10: {@code mod_delayed_work}: every destroy pushes the pass to 10 s after the last
     * destroy.
     */
    public static RmpoptPolicy debouncedAfterLastDestroy() {
        return new Named("v8-v10", (kernel, freed) ->
                kernel.queueFullPass(PassTrigger.VM_DESTROY_DEBOUNCED, WORK_TIMEOUT_NANOS, true));
    }

    /**
     * The reviewers' proposal, never built upstream: a bitmap of 1 GiB regions freed since the last
     * pass, debounced like v8-v10; the pass touches only those regions.
     */
    public static RmpoptPolicy targetedFreedRegions() {
        return new Named("targeted", (kernel, freed) -> kernel.queueTargetedPass(freed, WORK_TIMEOUT_NANOS));
    }

    /** A policy that is a name and what it does on a destroy. */
    private record Named(String name, BiConsumer<KernelRmpopt, BitSet> onDestroy) implements RmpoptPolicy {
        @Override
        public void onSnpVmDestroyed(KernelRmpopt kernel, BitSet freedRegions) {
            onDestroy.accept(kernel, freedRegions);
        }
    }
}

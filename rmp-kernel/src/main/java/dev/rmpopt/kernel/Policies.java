package dev.rmpopt.kernel;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** The kernel's RMPOPT behaviour, version by version, and the reviewers' proposal (model §7.3, §7.4). */
public final class Policies {

    /** The kernel's delay, {@code RMPOPT_WORK_TIMEOUT}: 10 s. */
    public static final long WORK_TIMEOUT_NANOS = 10 * EventScheduler.SECOND;

    private static final List<Supplier<RmpoptPolicy>> ALL = List.of(Policies::v1, Policies::v2, Policies::delayedAfterDestroy,
            Policies::debouncedAfterLastDestroy, Policies::targetedFreedRegions, Policies::bootOnly);

    private Policies() {
    }

    /** The names {@link #named} knows, in version order. */
    public static List<String> names() {
        return ALL.stream().map(p -> p.get().name()).toList();
    }

    /**
     * The policy called {@code name}: {@code v1}, {@code v2}, {@code v3-v7}, {@code v8-v10},
     * {@code targeted} or {@code boot-only}.
     *
     * @throws IllegalArgumentException naming the known ones, for any other name
     */
    public static RmpoptPolicy named(String name) {
        return ALL.stream().map(Supplier::get).filter(p -> p.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no RMPOPT policy named '" + name + "'; known: " + String.join(", ", names())));
    }

    /**
     * v1: passes on the primary thread of every core with no leader; the boot pass, then only what is
     * asked through configfs ({@link KernelRmpopt#requestManualPass()}).
     */
    public static RmpoptPolicy v1() {
        return new Named("v1", PassShape.PRIMARY_THREADS_NO_LEADER, false, freed -> Optional.empty());
    }

    /**
     * v2: passes on every online CPU with no leader (AMD's naive loop), run when an SNP guest's
     * guest_memfd memory is freed [M: once per destroy, after its memory is freed, at once; a request
     * while one is pending adds nothing].
     */
    public static RmpoptPolicy v2() {
        return new Named("v2", PassShape.ALL_CPUS_NO_LEADER, false, freed ->
                Optional.of(PassRequest.full(PassTrigger.GUEST_MEMFD_FREE, 0, false)));
    }

    /** The boot pass only (and manual passes through configfs), in the v3+ shape: for tests and baselines. */
    public static RmpoptPolicy bootOnly() {
        return new Named("boot-only", PassShape.LEADER_THEN_FOLLOWERS, false, freed -> Optional.empty());
    }

    /**
     * v3-v7: leader then followers; {@code queue_delayed_work} 10 s after an SNP VM destroy; a
     * destroy while a pass is already queued adds nothing.
     */
    public static RmpoptPolicy delayedAfterDestroy() {
        return new Named("v3-v7", PassShape.LEADER_THEN_FOLLOWERS, false, freed ->
                Optional.of(PassRequest.full(PassTrigger.VM_DESTROY_DELAYED, WORK_TIMEOUT_NANOS, false)));
    }

    /**
     * v8-v10: leader then followers; the boot pass is delayed work; {@code mod_delayed_work}: every
     * destroy pushes the pass to 10 s after the last destroy.
     */
    public static RmpoptPolicy debouncedAfterLastDestroy() {
        return new Named("v8-v10", PassShape.LEADER_THEN_FOLLOWERS, true, freed ->
                Optional.of(PassRequest.full(PassTrigger.VM_DESTROY_DEBOUNCED, WORK_TIMEOUT_NANOS, true)));
    }

    /**
     * The reviewers' proposal on top of v8-v10, never built upstream: a bitmap of 1 GiB regions freed
     * since the last pass, debounced like v8-v10; the pass touches only those regions.
     */
    public static RmpoptPolicy targetedFreedRegions() {
        return new Named("targeted", PassShape.LEADER_THEN_FOLLOWERS, true,
                freed -> Optional.of(PassRequest.targeted(freed, WORK_TIMEOUT_NANOS)));
    }

    /**
     * v3-v7's shape with another delay: a full pass {@code delayNanos} after an SNP VM destroy; a
     * destroy while one is queued adds nothing. Named {@code v3-v7} at the kernel's 10 s, else
     * {@code v3-v7(delay=...)}.
     */
    public static RmpoptPolicy delayedAfterDestroy(long delayNanos) {
        return new Named(withDelay("v3-v7", delayNanos), PassShape.LEADER_THEN_FOLLOWERS, false, freed ->
                Optional.of(PassRequest.full(PassTrigger.VM_DESTROY_DELAYED, delayNanos, false)));
    }

    /**
     * v8-v10's shape with another delay: a full pass {@code delayNanos} after the last SNP VM
     * destroy. Named {@code v8-v10} at the kernel's 10 s, else {@code v8-v10(delay=...)}.
     */
    public static RmpoptPolicy debouncedAfterLastDestroy(long delayNanos) {
        return new Named(withDelay("v8-v10", delayNanos), PassShape.LEADER_THEN_FOLLOWERS, true, freed ->
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
        return new Named(name, PassShape.LEADER_THEN_FOLLOWERS, true, freed -> Optional.of(
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

    /** A policy that is a name, a shape, a boot mode and what it asks for on a destroy. */
    private record Named(String name, PassShape shape, boolean delaysBootPass,
                         Function<BitSet, Optional<PassRequest>> onDestroy) implements RmpoptPolicy {
        @Override
        public Optional<PassRequest> onSnpVmDestroyed(BitSet freedRegions) {
            return onDestroy.apply(freedRegions);
        }
    }
}

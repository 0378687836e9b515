package dev.rmpopt.kernel;

import java.util.BitSet;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link RmpoptPolicy} asks of the kernel after an event: a pass, when, and over what
 * (model §7.4). The kernel applies it to its one delayed work item; the policy never calls the kernel.
 *
 * @param trigger      what the pass will be recorded as
 * @param delayNanos   how long after now the work item runs
 * @param restartDelay whether a request while one is pending pushes the pending one back
 *                     ({@code mod_delayed_work}, v8-v10) rather than being dropped
 *                     ({@code queue_delayed_work}, v3-v7)
 * @param regions      empty for a full pass over the pass range; otherwise the 1 GiB regions to add to
 *                     the reviewers' bitmap, which the next pass covers alone (a copy is kept)
 */
public record PassRequest(PassTrigger trigger, long delayNanos, boolean restartDelay, Optional<BitSet> regions) {

    /** Validates and copies the region set. */
    public PassRequest {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(regions, "regions");
        if (delayNanos < 0) {
            throw new IllegalArgumentException("a pass cannot be requested in the past: delay " + delayNanos);
        }
        if (regions.isPresent() && trigger != PassTrigger.TARGETED) {
            throw new IllegalArgumentException("only a targeted pass names its regions, not a " + trigger + " pass");
        }
        regions = regions.map(set -> (BitSet) set.clone());
    }

    /** A full pass {@code delayNanos} from now. */
    public static PassRequest full(PassTrigger trigger, long delayNanos, boolean restartDelay) {
        return new PassRequest(trigger, delayNanos, restartDelay, Optional.empty());
    }

    /** A targeted pass over {@code regions} (and any still pending), the delay restarted. */
    public static PassRequest targeted(BitSet regions, long delayNanos) {
        return new PassRequest(PassTrigger.TARGETED, delayNanos, true, Optional.of(regions));
    }

    /** The regions, copied, when this asks for a targeted pass. */
    @Override
    public Optional<BitSet> regions() {
        return regions.map(set -> (BitSet) set.clone());
    }
}

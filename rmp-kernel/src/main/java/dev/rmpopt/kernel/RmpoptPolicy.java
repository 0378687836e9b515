package dev.rmpopt.kernel;

import java.util.BitSet;
import java.util.Optional;

/**
 * A kernel version's RMPOPT behaviour after setup (model §7.2-§7.4): the shape of its passes,
 * whether its boot pass is delayed work, and when it re-runs passes. A policy decides, the kernel
 * acts: it is told of each SNP VM destroy and answers with the pass it wants, if any, which the
 * kernel queues on its one work item. {@link Policies} has every version by name; bind another
 * implementation in {@link KernelModule} to try a new one.
 */
public interface RmpoptPolicy {

    /** A short name for reports, for example {@code v8-v10}. */
    String name();

    /** How its passes spread over the CPUs; the leader-then-followers shape of v3+ unless overridden. */
    default PassShape shape() {
        return PassShape.LEADER_THEN_FOLLOWERS;
    }

    /**
     * Whether the boot pass is queued as delayed work with no delay (v8+: {@code queue_delayed_work(...,
     * 0)}, so a destroy before it runs pushes it out) rather than run during setup; false unless
     * overridden.
     */
    default boolean delaysBootPass() {
        return false;
    }

    /**
     * An SNP VM was destroyed (after DECOMMISSION and after its pages were made shared and freed);
     * {@code freedRegions} are the 1 GiB regions that held its private memory.
     *
     * @return the pass to queue, or empty for none
     */
    Optional<PassRequest> onSnpVmDestroyed(BitSet freedRegions);
}

package dev.rmpopt.kernel;

import java.util.BitSet;
import java.util.Optional;

/**
 * When the kernel re-runs RMPOPT passes after boot (SPEC 7). A policy decides, the kernel acts: it is
 * told of each SNP VM destroy and answers with the pass it wants, if any, which the kernel queues on
 * its one work item. Bind another implementation in {@link KernelModule} to try a new one.
 */
public interface RmpoptPolicy {

    /** A short name for reports, for example {@code v8-v10}. */
    String name();

    /**
     * An SNP VM was destroyed (after DECOMMISSION and after its pages were made shared and freed);
     * {@code freedRegions} are the 1 GiB regions that held its private memory.
     *
     * @return the pass to queue, or empty for none
     */
    Optional<PassRequest> onSnpVmDestroyed(BitSet freedRegions);
}

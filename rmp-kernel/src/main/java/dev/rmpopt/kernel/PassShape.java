package dev.rmpopt.kernel;

/**
 * How a pass spreads RMPOPT over the CPUs, version by version (model §7.2, §7.3). In every shape the
 * CPU that runs the work item, the <em>issuer</em>, sends one IPI round per region and waits for it.
 */
public enum PassShape {
    /**
     * v1: for each region, {@code on_each_cpu_mask} over the primary thread of every core: every core
     * VERIFYs the region at once, the issuer too when it is a primary thread; no leader scans first.
     */
    PRIMARY_THREADS_NO_LEADER,
    /**
     * v2: for each region, {@code on_each_cpu_mask(cpu_online_mask)}: every online logical CPU
     * VERIFYs the region at once (what AMD measured as the naive loop); no leader.
     */
    ALL_CPUS_NO_LEADER,
    /**
     * v3-v10: the issuer, the leader, VERIFYs every region first, which caches each region's scan;
     * then, region by region, the primary thread of every other core VERIFYs it (one IPI round per
     * region). A leader on a secondary thread leaves its core's primary thread out of the followers.
     */
    LEADER_THEN_FOLLOWERS;

    /** Whether a leader scans every region before the rounds. */
    public boolean hasLeader() {
        return this == LEADER_THEN_FOLLOWERS;
    }
}

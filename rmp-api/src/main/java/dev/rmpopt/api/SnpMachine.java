package dev.rmpopt.api;

/**
 * One modelled SEV-SNP host: its RMP, firmware, per-core RMPOPT tables and memory accesses, as a
 * backend implements them. Instances come from a {@link RmpBackendProvider}.
 *
 * <p>All methods are safe to call from many threads at once, each thread acting as one CPU. The
 * model §6 invariants hold in every reachable state.
 */
public interface SnpMachine extends ReverseMapTable, SecureProcessor, RmpoptUnit, MemoryAccess {

    /** The host this machine models. */
    HostDescription host();

    /** The behaviour options this machine was built with. */
    ModelOptions options();

    /**
     * Whether RMP checks are on: exactly while SnpEn is set (model §5.5), which every transition sets
     * or clears on every core at once, so {@link #snpEnabled} of any CPU answers the same.
     */
    boolean rmpChecksEnabled();

    /**
     * One IPI round (model §7): RMPOPT with RAX = {@code spa} and RCX = {@code function} on every CPU of
     * {@code cpus}, as if each ran {@link #rmpopt} at once (model §4.9: RMPOPT on different CPUs for
     * one region may run concurrently), and each CPU's result. The results and the state afterwards
     * are those of the single calls in any order.
     *
     * <p>Out-of-contract arguments are refused before any CPU runs, as {@link #rmpopt} refuses them: a
     * {@code null} function or mask raises {@link NullPointerException}; a CPU of the mask that does
     * not exist or a negative address raises {@link IllegalArgumentException}.
     *
     * <p>The default runs {@link #rmpopt} on each CPU in ascending order, so it reports one
     * {@link RmpEventListener#onRmpopt} per CPU. A backend that overrides it (to do a round in
     * O(CPUs / 64) word operations) reports the round as one {@link RmpEventListener#onRmpoptRound}
     * instead, whose default delivers the same per-CPU events.
     */
    default RmpoptResults rmpoptOnCpus(CpuMask cpus, long spa, RmpoptFunction function) {
        java.util.Objects.requireNonNull(function, "function");
        java.util.Objects.requireNonNull(cpus, "cpus");
        requireRound(cpus, spa);
        long[] carry = new long[cpus.wordCount()];
        long[] ud = new long[cpus.wordCount()];
        for (int cpu = cpus.nextCpu(0); cpu >= 0; cpu = cpus.nextCpu(cpu + 1)) {
            RmpoptResult result = rmpopt(cpu, spa, function);
            if (result instanceof RmpoptResult.InvalidOpcode) {
                ud[cpu >> 6] |= 1L << cpu;
            } else if (result.carry()) {
                carry[cpu >> 6] |= 1L << cpu;
            }
        }
        return new RmpoptResults(cpus, carry, ud);
    }

    /** The out-of-contract checks of {@link #rmpoptOnCpus}, in {@link #rmpopt}'s order: CPU, then address. */
    private void requireRound(CpuMask cpus, long spa) {
        int cpuCount = host().topology().cpuCount();
        if (cpus.length() > cpuCount) {
            throw new IllegalArgumentException("no CPU " + (cpus.length() - 1) + " (this host has CPUs 0-" + (cpuCount - 1) + ")");
        }
        if (spa < 0) {
            throw new IllegalArgumentException("not a system physical address: " + spa);
        }
    }

    /**
     * SYSCFG.SnpEn of {@code cpu}'s core (model §4.2, §4.8): clear at power-on unless
     * {@link ModelOptions#snpEnabledAtPowerOn()}, set on every core by a successful SNP_INIT, cleared
     * on every core by {@link ShutdownKind#X86_SNP_SHUTDOWN}, kept by the legacy shutdown (so a kernel
     * started by kexec afterwards finds it set). An observation, not an instruction: no event.
     *
     * @throws IllegalArgumentException if {@code cpu} does not exist
     */
    boolean snpEnabled(int cpu);

    /**
     * The assigned (A=1) 4 KiB pages of the 1 GiB region {@code regionIndex} now, a 2M entry counting
     * as 512 (model §3: what keeps a region from optimizing). An observation of the model, not an
     * instruction: it raises no event and costs nothing in modelled time. Every caller that needs the
     * figure asks here, so there is one count of it.
     *
     * <p>The default reads the RMP with RMPREAD, 512 reads for a region of 2M entries and up to 262,144
     * for one of 4K entries; a backend that keeps the count (as VERIFY needs) answers in O(1).
     *
     * @throws IllegalArgumentException if the region is not one of the host's
     */
    default long assignedPages(long regionIndex) {
        HostDescription host = host();
        if (regionIndex < 0 || regionIndex >= host.regionCount()) {
            throw new IllegalArgumentException("region " + regionIndex + " is not one of the host's " + host.regionCount());
        }
        long base = Geometry.regionBase(regionIndex);
        long end = Math.min(base + Geometry.REGION_1G, host.ramEnd());
        long assigned = 0;
        for (long range = base; range < end; range += Geometry.PAGE_2M) {
            long rangeEnd = Math.min(range + Geometry.PAGE_2M, end);
            if (rmpRead(range) instanceof RmpReadResult.Read read && read.entry().pageSize() == PageSize.SIZE_2M) {
                assigned += read.entry().assigned() ? Geometry.PAGES_PER_2M : 0;
                continue;
            }
            for (long spa = range; spa < rangeEnd; spa += Geometry.PAGE_4K) {
                if (rmpRead(spa) instanceof RmpReadResult.Read read && read.entry().assigned()) {
                    assigned++;
                }
            }
        }
        return assigned;
    }

    /**
     * Where a VERIFY of region {@code regionIndex} would stop: the index within the region (0 to
     * 262,143, in address order) of its first assigned 4 KiB page, or -1 when it has none. The cost
     * model charges a failing VERIFY's scan up to that page (model §8.2). An observation of the
     * model, not an instruction: it raises no event and costs nothing in modelled time.
     *
     * <p>The default reads the RMP with RMPREAD, range by range, up to the first assigned entry.
     *
     * @throws IllegalArgumentException if the region is not one of the host's
     */
    default long firstAssignedPage(long regionIndex) {
        HostDescription host = host();
        if (regionIndex < 0 || regionIndex >= host.regionCount()) {
            throw new IllegalArgumentException("region " + regionIndex + " is not one of the host's " + host.regionCount());
        }
        long base = Geometry.regionBase(regionIndex);
        long end = Math.min(base + Geometry.REGION_1G, host.ramEnd());
        for (long range = base; range < end; range += Geometry.PAGE_2M) {
            if (rmpRead(range) instanceof RmpReadResult.Read read && read.entry().pageSize() == PageSize.SIZE_2M) {
                if (read.entry().assigned()) {
                    return (range - base) / Geometry.PAGE_4K;
                }
                continue;
            }
            for (long spa = range; spa < Math.min(range + Geometry.PAGE_2M, end); spa += Geometry.PAGE_4K) {
                if (rmpRead(spa) instanceof RmpReadResult.Read read && read.entry().assigned()) {
                    return (spa - base) / Geometry.PAGE_4K;
                }
            }
        }
        return -1;
    }
}

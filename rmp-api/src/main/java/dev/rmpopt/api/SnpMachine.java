package dev.rmpopt.api;

/**
 * One modelled SEV-SNP host: its RMP, firmware, per-core RMPOPT tables and memory accesses, as a
 * backend implements them. Instances come from a {@link RmpBackendProvider}.
 *
 * <p>All methods are safe to call from many threads at once, each thread acting as one CPU. The
 * SPEC 6 invariants hold in every reachable state.
 */
public interface SnpMachine extends ReverseMapTable, SecureProcessor, RmpoptUnit, MemoryAccess {

    /** The host this machine models. */
    HostDescription host();

    /** The behaviour options this machine was built with. */
    ModelOptions options();

    /** Whether RMP checks are on (since the first SNP_INIT; SNP_SHUTDOWN does not turn them off). */
    boolean rmpChecksEnabled();
}

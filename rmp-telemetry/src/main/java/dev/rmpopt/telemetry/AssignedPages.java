package dev.rmpopt.telemetry;

import dev.rmpopt.api.SnpMachine;

/**
 * Where a {@link CoverageSampler} gets the assigned (A=1) 4 KiB pages of every 1 GiB region
 * (SPEC 3: assigned pages are what keeps a region from optimizing).
 *
 * <p>The event SPI cannot give this figure alone: an RMPUPDATE event carries the new state but not
 * the old one, so a listener cannot tell an assignment from a re-assignment without its own copy of
 * the RMP. Two sources are offered:
 * <ul>
 *   <li>the caller's own bookkeeping, as a lambda: a hypervisor model knows which guest pages it
 *       made private, at no cost;</li>
 *   <li>{@link #byRmpRead}: exact, from the RMP itself, rescanning with RMPREAD only the regions
 *       whose entries changed since the last sample, so its cost follows the churn, not the host's
 *       size.</li>
 * </ul>
 */
@FunctionalInterface
public interface AssignedPages {

    /** Assigned 4 KiB pages per region now, one entry per region of the host ({@code HostDescription.regionCount()}). */
    long[] perRegion();

    /**
     * Exact counts read from {@code machine}'s RMP. Each call rescans, with RMPREAD (which raises no
     * event), the regions in which {@code telemetry} saw a successful RMPUPDATE or a firmware clear
     * since the previous call, and the regions holding RMP and firmware pages after SNP_INIT or
     * SNP_SHUTDOWN; other regions keep their count. A region of 2 MiB entries costs 512 reads, one
     * of 4 KiB entries 262,144. {@code telemetry} must have been {@code machine}'s listener since the
     * machine was created, or earlier changes are missed.
     */
    static AssignedPages byRmpRead(SnpMachine machine, RmpTelemetry telemetry) {
        return new RmpReadAssignedPages(machine, telemetry);
    }
}

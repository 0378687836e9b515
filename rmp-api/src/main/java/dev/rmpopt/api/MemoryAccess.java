package dev.rmpopt.api;

/**
 * Memory accesses by a CPU on behalf of an accessor through a mapping (model §5): the write check
 * RMPOPT exists to skip.
 *
 * <p>No such access can be made, so these are refused before anything else is looked at, change
 * nothing and report no event: a {@code null} accessor, kind or mapping raises
 * {@link NullPointerException} (checked first); an address that is not RAM (negative, in a hole,
 * beyond the top) or a non-existent CPU raises {@link IllegalArgumentException}. An address need not
 * be aligned: an access names a byte. Safe for concurrent use.
 */
public interface MemoryAccess {

    /**
     * One access. A host-side read is never checked; a host-side write is {@link AccessOutcome#SKIPPED}
     * if the CPU's core holds the RMPOPT bit of the region, else checked against the RMP for the
     * page (4K mapping) or the whole enclosing 2 MiB range (2M and 1G mappings). An SNP guest's
     * access is always checked and never skipped (model §5.4): a private one needs the guest's own
     * page (ASID, the GPA of an {@link Accessor.SnpGuestView}, mutable, an entry at least as large as
     * the mapping, else a nested page fault, with the size-mismatch bit for the size) and a validated
     * one (else {@link AccessOutcome#VC_PAGE_NOT_VALIDATED}); a shared write is checked as a
     * hypervisor-owned page, a shared read is not checked. While RMP checks are off every SNP guest
     * access is {@link AccessOutcome#UNCHECKED}.
     */
    AccessOutcome access(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping);

    /** A write; see {@link #access}. */
    default AccessOutcome write(int cpu, Accessor accessor, long spa, MappingSize mapping) {
        return access(cpu, accessor, AccessKind.WRITE, spa, mapping);
    }

    /** A read; see {@link #access}. */
    default AccessOutcome read(int cpu, Accessor accessor, long spa, MappingSize mapping) {
        return access(cpu, accessor, AccessKind.READ, spa, mapping);
    }
}

package dev.rmpopt.api;

/**
 * On whose behalf a CPU accesses memory (model §5): the hypervisor, a non-SNP guest, or an SNP
 * guest identified by its ASID, through its private view by default ({@link SnpGuest}) or through
 * a view named with its C-bit and guest physical address ({@link SnpGuestView}). Hypervisor and
 * non-SNP-guest writes are RMP-checked and may be skipped by RMPOPT; SNP guests' own accesses are
 * always checked and never use RMPOPT.
 */
public sealed interface Accessor permits Accessor.Hypervisor, Accessor.NonSnpGuest, Accessor.SnpGuest, Accessor.SnpGuestView {

    /** The hypervisor (host kernel or user space), the only caller of RMPUPDATE and PSMASH. */
    Hypervisor HYPERVISOR = new Hypervisor();

    /** Whether RMPOPT may let this accessor's writes skip the RMP check. */
    default boolean mayUseRmpopt() {
        return !(this instanceof SnpGuest) && !(this instanceof SnpGuestView);
    }

    /** The hypervisor. */
    record Hypervisor() implements Accessor {
    }

    /**
     * A legacy (non-SNP) guest; its RMP faults are nested page faults.
     *
     * @param vmId the hypervisor's identifier of the VM, for telemetry only
     */
    record NonSnpGuest(int vmId) implements Accessor {
    }

    /**
     * An SNP guest. As an accessor, its private view (C=1) at whatever GPA the RMP entry records:
     * the private rule of model §5.4 without the GPA comparison.
     *
     * @param asid the guest's ASID, 1 to {@value RmpState#MAX_ASID}
     */
    record SnpGuest(int asid) implements Accessor {
        /** Rejects an ASID outside 1..{@value RmpState#MAX_ASID}. */
        public SnpGuest {
            if (asid < 1 || asid > RmpState.MAX_ASID) {
                throw new IllegalArgumentException("an SNP guest's ASID is 1.." + RmpState.MAX_ASID + ", not " + asid);
            }
        }
    }

    /**
     * An SNP guest's access through one of its views (model §5.4). Private (C=1): the page must be
     * the guest's own (assigned to its ASID, at {@code gpa}, mutable, an RMP entry at least as large
     * as the mapping), else a nested page fault, and validated, else #VC 0x404. Shared (C=0): a write
     * is checked as a hypervisor-owned page, the page (4K mapping) or its 2 MiB range unassigned,
     * else a nested page fault without the encrypted bit; a shared read is not checked.
     *
     * @param asid      the guest's ASID, 1 to {@value RmpState#MAX_ASID}
     * @param encrypted the C-bit of the guest's mapping: private (true) or shared (false)
     * @param gpa       the guest physical address of the access (its page is compared with the
     *                  entry's for a private access), 0 to 2^52 - 1
     */
    record SnpGuestView(int asid, boolean encrypted, long gpa) implements Accessor {
        /** Rejects an ASID outside 1..{@value RmpState#MAX_ASID} and a GPA outside the physical address width. */
        public SnpGuestView {
            if (asid < 1 || asid > RmpState.MAX_ASID) {
                throw new IllegalArgumentException("an SNP guest's ASID is 1.." + RmpState.MAX_ASID + ", not " + asid);
            }
            if (gpa < 0 || gpa >= RmpState.GPA_LIMIT) {
                throw new IllegalArgumentException("a GPA is below 2^52, not " + gpa);
            }
        }

        /** The guest, as PVALIDATE names it. */
        public SnpGuest guest() {
            return new SnpGuest(asid);
        }
    }
}

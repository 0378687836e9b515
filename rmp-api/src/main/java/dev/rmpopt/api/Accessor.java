package dev.rmpopt.api;

/**
 * On whose behalf a CPU accesses memory (model §5): the hypervisor, a non-SNP guest, or an SNP
 * guest identified by its ASID. Hypervisor and non-SNP-guest writes are RMP-checked and may be
 * skipped by RMPOPT; SNP guests' own accesses are always checked.
 */
public sealed interface Accessor permits Accessor.Hypervisor, Accessor.NonSnpGuest, Accessor.SnpGuest {

    /** The hypervisor (host kernel or user space), the only caller of RMPUPDATE and PSMASH. */
    Hypervisor HYPERVISOR = new Hypervisor();

    /** Whether RMPOPT may let this accessor's writes skip the RMP check. */
    default boolean mayUseRmpopt() {
        return !(this instanceof SnpGuest);
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
     * An SNP guest.
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
}

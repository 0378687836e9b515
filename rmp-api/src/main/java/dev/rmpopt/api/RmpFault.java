package dev.rmpopt.api;

/**
 * An RMP violation (model §5): a #PF with error-code bit 31 for a host access, or a nested page
 * fault with EXITINFO1 bit 31 for a guest access.
 */
public sealed interface RmpFault extends AccessOutcome permits RmpFault.HostPageFault, RmpFault.NestedPageFault {

    /** #PF error code: the page was present. */
    long PF_PRESENT = 1L;
    /** #PF error code: the access was a write. */
    long PF_WRITE = 1L << 1;
    /** #PF error code: the access was from user mode. */
    long PF_USER = 1L << 2;
    /** #PF error code: the fault was an RMP violation ({@code X86_PF_RMP}). */
    long PF_RMP = 1L << 31;
    /** NPF EXITINFO1: RMP violation ({@code PFERR_GUEST_RMP}). */
    long NPF_RMP = 1L << 31;
    /** NPF EXITINFO1: the fault was on the final guest physical address translation. */
    long NPF_FINAL = 1L << 32;
    /** NPF EXITINFO1: the fault was on a guest page-table walk. */
    long NPF_PAGE = 1L << 33;
    /** NPF EXITINFO1: the access was encrypted (a private access by an SNP guest). */
    long NPF_ENC = 1L << 34;
    /** NPF EXITINFO1: the mapping size did not match the RMP entry's. */
    long NPF_SIZEM = 1L << 35;

    /** The architectural error code (#PF) or EXITINFO1 (NPF). */
    long errorCode();

    /**
     * The fault an RMP violation raises for {@code accessor} (model §5): for the hypervisor a #PF
     * with the present, write (for a write) and RMP bits, the kernel's mode (no user bit); for a
     * guest an NPF on the final translation with the same bits, plus the encrypted bit for an SNP
     * guest's private access.
     */
    static RmpFault of(Accessor accessor, AccessKind kind) {
        long access = PF_PRESENT | (kind == AccessKind.WRITE ? PF_WRITE : 0);
        if (accessor instanceof Accessor.Hypervisor) {
            return new HostPageFault(access | PF_RMP);
        }
        long exitInfo1 = access | NPF_RMP | NPF_FINAL;
        if (accessor instanceof Accessor.SnpGuest || accessor instanceof Accessor.SnpGuestView v && v.encrypted()) {
            exitInfo1 |= NPF_ENC;
        }
        return new NestedPageFault(exitInfo1);
    }

    /**
     * A host #PF caused by the RMP.
     *
     * @param errorCode the #PF error code; bit 31 ({@link #PF_RMP}) is always set
     */
    record HostPageFault(long errorCode) implements RmpFault {
        /** Rejects an error code without the RMP bit. */
        public HostPageFault {
            if ((errorCode & PF_RMP) == 0) {
                throw new IllegalArgumentException("an RMP #PF has bit 31 set");
            }
        }
    }

    /**
     * A nested page fault (#VMEXIT(NPF)) caused by the RMP.
     *
     * @param exitInfo1 EXITINFO1; bit 31 ({@link #NPF_RMP}) is always set
     */
    record NestedPageFault(long exitInfo1) implements RmpFault {
        /** Rejects an EXITINFO1 without the RMP bit. */
        public NestedPageFault {
            if ((exitInfo1 & NPF_RMP) == 0) {
                throw new IllegalArgumentException("an RMP NPF has EXITINFO1 bit 31 set");
            }
        }

        @Override
        public long errorCode() {
            return exitInfo1;
        }
    }
}

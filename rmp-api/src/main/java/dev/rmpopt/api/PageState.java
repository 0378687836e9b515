package dev.rmpopt.api;

/**
 * The page state derived from an RMP entry's fields, as the SEV firmware names it (model §3). Only
 * the {@linkplain #isAssigned() assigned} states block RMPOPT; {@link #HV_FIXED} does not.
 */
public enum PageState {
    /** A=0, I=0: ordinary hypervisor memory. */
    HYPERVISOR(false),
    /** A=0, I=1: hypervisor-owned and fixed by firmware; writable by the host, no RMPOPT blocker. */
    HV_FIXED(false),
    /** A=1, ASID 0, I=1: owned by the firmware (the RMP itself, firmware pages). */
    FIRMWARE(true),
    /** A=1, ASID 0, I=0: released by firmware, waiting for the host to take it back. */
    RECLAIM(true),
    /** A=1, ASID 0, I=1, VMSA=1: a guest context page of the firmware. */
    CONTEXT(true),
    /** A=1, ASID 0, I=1, GPA&gt;0: firmware metadata. */
    METADATA(true),
    /** A=1, ASID&gt;0, I=1, V=0: a guest page being launched. */
    PRE_GUEST(true),
    /** A=1, ASID&gt;0, I=1, V=1: a guest page being swapped. */
    PRE_SWAP(true),
    /** A=1, ASID&gt;0, I=0, V=0: a guest page not yet validated. */
    GUEST_INVALID(true),
    /** A=1, ASID&gt;0, I=0, V=1: a validated guest page. */
    GUEST_VALID(true);

    private final boolean assigned;

    PageState(boolean assigned) {
        this.assigned = assigned;
    }

    /** Whether pages in this state are assigned (A=1), which blocks RMPOPT for their region. */
    public boolean isAssigned() {
        return assigned;
    }
}

package dev.rmpopt.api;

/**
 * What happened to one memory access (model §5): allowed without consulting the RMP because the
 * core's RMPOPT bit was set ({@link Skipped}), allowed after the RMP check ({@link Checked}),
 * allowed because the access is not subject to RMP checks ({@link Unchecked}), an
 * {@link RmpFault}, or, for an SNP guest's private access to its own page that is not validated, a
 * #VC exception raised inside the guest ({@link VmmCommunication}, model §5.4).
 *
 * <p>The three allowed outcomes are singletons so that the write fast path allocates nothing.
 */
public sealed interface AccessOutcome permits AccessOutcome.Skipped, AccessOutcome.Checked,
        AccessOutcome.Unchecked, AccessOutcome.VmmCommunication, RmpFault {

    /** The write skipped the RMP check: the core's RMPOPT bit covered the region. */
    Skipped SKIPPED = new Skipped();
    /** The RMP was consulted and allowed the access. */
    Checked CHECKED = new Checked();
    /** The access is not RMP-checked: a host-side read, or RMP checks are not enabled yet. */
    Unchecked UNCHECKED = new Unchecked();

    /** The #VC of a private access to the guest's own page that is not validated: error code 0x404. */
    VmmCommunication VC_PAGE_NOT_VALIDATED = new VmmCommunication(VmmCommunication.PAGE_NOT_VALIDATED);

    /** Whether the access went through (every outcome but a fault or a #VC). */
    default boolean allowed() {
        return !(this instanceof RmpFault) && !(this instanceof VmmCommunication);
    }

    /** Allowed without an RMP lookup, thanks to RMPOPT. */
    record Skipped() implements AccessOutcome {
    }

    /** Allowed after an RMP lookup. */
    record Checked() implements AccessOutcome {
    }

    /** Allowed, and not subject to an RMP check at all. */
    record Unchecked() implements AccessOutcome {
    }

    /**
     * A #VC (VMM communication exception) raised inside an SNP guest, not an exit to the hypervisor.
     *
     * @param errorCode the #VC error code: {@link #PAGE_NOT_VALIDATED} for a private access to an
     *                  unvalidated page
     */
    record VmmCommunication(long errorCode) implements AccessOutcome {
        /** #VC error code 0x404: the page of a private access is not validated. */
        public static final long PAGE_NOT_VALIDATED = 0x404;
    }
}

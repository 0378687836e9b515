package dev.rmpopt.api;

import java.util.Objects;

/**
 * What PVALIDATE does (model §4.7): it returns a code in EAX ({@link Returned}), or it does not
 * return at all but raises a nested page fault ({@link Faulted}) that the hypervisor sees as a
 * #VMEXIT(NPF).
 */
public sealed interface PvalidateResult permits PvalidateResult.Returned, PvalidateResult.Faulted {

    /** SUCCESS with or without a change of the validated bit. */
    static PvalidateResult success(boolean noChange) {
        return new Returned(RmpReturnCode.SUCCESS, noChange);
    }

    /** A failure returned in EAX: {@link RmpReturnCode#FAIL_INPUT} or {@link RmpReturnCode#FAIL_SIZEMISMATCH}. */
    static PvalidateResult failed(RmpReturnCode code) {
        return new Returned(code, false);
    }

    /**
     * The nested page fault of a PVALIDATE whose RMP check failed: present, RMP, final translation
     * and encrypted (PVALIDATE acts on the guest's private view), plus the size-mismatch bit when
     * the request was 4K and the RMP entry is 2M.
     */
    static Faulted nestedPageFault(boolean sizeMismatch) {
        return new Faulted(new RmpFault.NestedPageFault(RmpFault.PF_PRESENT | RmpFault.NPF_RMP | RmpFault.NPF_FINAL
                | RmpFault.NPF_ENC | (sizeMismatch ? RmpFault.NPF_SIZEM : 0)));
    }

    /** Whether PVALIDATE returned SUCCESS. */
    default boolean succeeded() {
        return this instanceof Returned r && r.code() == RmpReturnCode.SUCCESS;
    }

    /**
     * PVALIDATE returned: its code and, on success, whether the validated bit already had the
     * requested value (the instruction's "no change" carry flag).
     *
     * @param code     SUCCESS, FAIL_INPUT (1) or FAIL_SIZEMISMATCH (6): the only codes PVALIDATE returns
     * @param noChange the entry already had the requested validated bit (only with SUCCESS)
     */
    record Returned(RmpReturnCode code, boolean noChange) implements PvalidateResult {

        /** Rejects a code PVALIDATE never returns, and "no change" on a failure. */
        public Returned {
            Objects.requireNonNull(code, "code");
            if (code != RmpReturnCode.SUCCESS && code != RmpReturnCode.FAIL_INPUT && code != RmpReturnCode.FAIL_SIZEMISMATCH) {
                throw new IllegalArgumentException("PVALIDATE returns only 0, 1 and 6, not " + code);
            }
            if (noChange && code != RmpReturnCode.SUCCESS) {
                throw new IllegalArgumentException("noChange only accompanies SUCCESS");
            }
        }
    }

    /**
     * PVALIDATE raised a nested page fault and changed nothing: the page is not the guest's own
     * (not assigned, another ASID, immutable), or a 4K request met a 2M entry
     * ({@link RmpFault#NPF_SIZEM} set).
     *
     * @param fault the #VMEXIT(NPF) and its EXITINFO1
     */
    record Faulted(RmpFault.NestedPageFault fault) implements PvalidateResult {

        /** Rejects a missing fault. */
        public Faulted {
            Objects.requireNonNull(fault, "fault");
        }

        /** Whether EXITINFO1 has the size-mismatch bit. */
        public boolean sizeMismatch() {
            return (fault.exitInfo1() & RmpFault.NPF_SIZEM) != 0;
        }
    }
}

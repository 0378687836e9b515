package dev.rmpopt.api;

/**
 * The return codes of the host and guest RMP instructions (model §4), with the hardware's numbers.
 */
public enum RmpReturnCode {
    /** 0: the instruction completed. */
    SUCCESS(0),
    /** 1: bad input (address outside RMP coverage, misaligned, inconsistent fields). */
    FAIL_INPUT(1),
    /** 2: the caller may not change this entry (not the host, or the entry is immutable). */
    FAIL_PERMISSION(2),
    /** 3: the entry is in use. */
    FAIL_INUSE(3),
    /** 4: overlapping 4 KiB and 2 MiB entries (PSMASH first). */
    FAIL_OVERLAP(4),
    /** 6: PVALIDATE's page size does not match the entry's. */
    FAIL_SIZEMISMATCH(6),
    /** 7: PSMASH: the page does not meet the requirements for expansion. */
    FAIL_NOT_EXPANDABLE(7);

    private final int code;

    RmpReturnCode(int code) {
        this.code = code;
    }

    /** The numeric code as the instruction returns it in EAX. */
    public int code() {
        return code;
    }
}

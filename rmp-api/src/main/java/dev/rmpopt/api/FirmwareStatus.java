package dev.rmpopt.api;

/** The status codes of the SEV firmware commands this model issues (model §4), with their numbers. */
public enum FirmwareStatus {
    /** 0x00. */
    SUCCESS(0x00),
    /** 0x01: the platform is not in the state the command needs (for example not initialized). */
    INVALID_PLATFORM_STATE(0x01),
    /** 0x02: the guest is not in the state the command needs. */
    INVALID_GUEST_STATE(0x02),
    /** 0x09: the address is not RAM, not aligned, or not usable. */
    INVALID_ADDRESS(0x09),
    /** 0x0C: the ASID already has a guest. */
    ASID_OWNED(0x0C),
    /** 0x0D: the ASID is out of range. */
    INVALID_ASID(0x0D),
    /** 0x10: no guest has this ASID. */
    INVALID_GUEST(0x10),
    /** 0x1A: a page is not in the state the command needs. */
    INVALID_PAGE_STATE(0x1A),
    /** 0x1C: a page belongs to another owner. */
    INVALID_PAGE_OWNER(0x1C);

    private final int code;

    FirmwareStatus(int code) {
        this.code = code;
    }

    /** The numeric status. */
    public int code() {
        return code;
    }
}

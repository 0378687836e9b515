package dev.rmpopt.api;

import java.util.Objects;

/**
 * The 16-byte operand of RMPUPDATE (model §4): GPA, assigned, page size, immutable and ASID. It has
 * no validated or VMSA field: RMPUPDATE always leaves both clear, and only PVALIDATE and the
 * firmware set them.
 *
 * <p>The record accepts any field values; RMPUPDATE rejects inconsistent ones with
 * {@link RmpReturnCode#FAIL_INPUT} (see {@link #isWellFormed()}).
 *
 * @param assigned  A: the page is owned by a guest (ASID &gt; 0) or the firmware (ASID 0)
 * @param pageSize  4K, or 2M for a 2 MiB-aligned SPA covering its whole 2 MiB range
 * @param immutable I: only the firmware may change the entry afterwards
 * @param asid      owner's ASID, 1 to {@value #MAX_ASID} for a guest, 0 for host and firmware
 * @param gpa       guest physical address, 4 KiB-aligned (2 MiB-aligned for a 2M entry)
 */
public record RmpState(boolean assigned, PageSize pageSize, boolean immutable, int asid, long gpa) {

    /** The largest ASID the raw entry format holds (10 bits). */
    public static final int MAX_ASID = 1023;
    /**
     * The first GPA past the architectural 52-bit physical address space (MAXPHYADDR): no guest
     * page lives at or above it, and the raw entry format has no bits for it.
     */
    public static final long GPA_LIMIT = 1L << 52;

    /** Rejects a missing page size. */
    public RmpState {
        Objects.requireNonNull(pageSize, "pageSize");
    }

    /** A shared (hypervisor) page of the given size: Linux's {@code rmp_make_shared}. */
    public static RmpState shared(PageSize size) {
        return new RmpState(false, size, false, 0, 0);
    }

    /** A 4K shared page. */
    public static RmpState shared() {
        return shared(PageSize.SIZE_4K);
    }

    /**
     * A guest-private page: Linux's {@code rmp_make_private}. With {@code immutable} it is
     * PRE_GUEST (launch); without, GUEST_INVALID (runtime private fault).
     */
    public static RmpState guestPrivate(int asid, long gpa, PageSize size, boolean immutable) {
        return new RmpState(true, size, immutable, asid, gpa);
    }

    /** A firmware-owned page: Linux's {@code rmp_mark_pages_firmware}. */
    public static RmpState firmware() {
        return new RmpState(true, PageSize.SIZE_4K, true, 0, 0);
    }

    /**
     * Whether the fields are consistent: an unassigned state has ASID 0, GPA 0 and is mutable; the
     * ASID is within 0..{@value #MAX_ASID}; the GPA is non-negative, below {@link #GPA_LIMIT} and
     * aligned to the page size.
     */
    public boolean isWellFormed() {
        if (asid < 0 || asid > MAX_ASID || gpa < 0 || gpa >= GPA_LIMIT || !Geometry.isAligned(gpa, pageSize.bytes())) {
            return false;
        }
        return assigned || (asid == 0 && gpa == 0 && !immutable);
    }

    /** The entry RMPUPDATE writes for this state: validated and VMSA clear. */
    public RmpEntry toEntry() {
        return new RmpEntry(assigned, pageSize, immutable, false, false, asid, gpa);
    }
}

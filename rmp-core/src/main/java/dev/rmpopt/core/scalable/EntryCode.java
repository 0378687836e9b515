package dev.rmpopt.core.scalable;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpState;

/**
 * One RMP entry (model §3) packed into a {@code long}, so that a 2 MiB range of 4K entries is one
 * {@code long[512]} and a uniform range is a single {@code long}:
 *
 * <pre>
 *  bit 0      assigned (A)
 *  bit 1      page size (1 = 2M)
 *  bit 2      immutable (I)
 *  bit 3      validated (V)
 *  bit 4      VMSA
 *  bits 5-14  ASID (10 bits)
 *  bits 15-63 GPA &gt;&gt; 12 (49 bits; every GPA is below {@link RmpState#GPA_LIMIT} = 2^52)
 * </pre>
 *
 * <p>The power-on HYPERVISOR entry is {@code 0}, so fresh arrays need no filling. {@link #MIXED}
 * is not an entry: its GPA field would be 2^61 or more.
 */
final class EntryCode {
    static final long ASSIGNED = 1L;
    static final long SIZE_2M = 1L << 1;
    static final long IMMUTABLE = 1L << 2;
    static final long VALIDATED = 1L << 3;
    static final long VMSA = 1L << 4;
    private static final int ASID_SHIFT = 5;
    private static final long ASID_MASK = 0x3FFL;
    private static final int GPA_SHIFT = 15;

    /** The power-on entry: unassigned 4K hypervisor page. */
    static final long HYPERVISOR = 0L;
    /** The entry SNP_INIT gives the RMP and firmware pages. */
    static final long FIRMWARE = ASSIGNED | IMMUTABLE;
    /** The entry SNP_INIT gives HV-fixed pages. */
    static final long HV_FIXED = IMMUTABLE;
    /** Marks a 2 MiB range whose 4K entries differ and live in a detail array; never an entry. */
    static final long MIXED = -1L;

    private EntryCode() {
    }

    static long encode(RmpEntry e) {
        if (e.asid() < 0 || e.asid() > RmpState.MAX_ASID || e.gpa() < 0 || e.gpa() >= RmpState.GPA_LIMIT
                || !Geometry.isAligned(e.gpa(), Geometry.PAGE_4K)) {
            // Only well-formed states and entries derived from them are ever stored.
            throw new IllegalStateException("entry cannot be encoded: " + e);
        }
        return (e.assigned() ? ASSIGNED : 0)
                | (e.pageSize() == PageSize.SIZE_2M ? SIZE_2M : 0)
                | (e.immutable() ? IMMUTABLE : 0)
                | (e.validated() ? VALIDATED : 0)
                | (e.vmsa() ? VMSA : 0)
                | ((long) e.asid() << ASID_SHIFT)
                | ((e.gpa() >>> 12) << GPA_SHIFT);
    }

    /** The entry RMPUPDATE writes for a well-formed {@code state}: validated and VMSA clear. */
    static long of(RmpState state) {
        return encode(state.toEntry());
    }

    static RmpEntry decode(long code) {
        if (code == HYPERVISOR) {
            return RmpEntry.HYPERVISOR;
        }
        return new RmpEntry(isAssigned(code), is2M(code) ? PageSize.SIZE_2M : PageSize.SIZE_4K, isImmutable(code),
                (code & VALIDATED) != 0, (code & VMSA) != 0, asid(code), gpa(code));
    }

    static boolean isAssigned(long code) {
        return (code & ASSIGNED) != 0;
    }

    static boolean is2M(long code) {
        return (code & SIZE_2M) != 0;
    }

    static boolean isImmutable(long code) {
        return (code & IMMUTABLE) != 0;
    }

    static int asid(long code) {
        return (int) ((code >>> ASID_SHIFT) & ASID_MASK);
    }

    static long gpa(long code) {
        return (code >>> GPA_SHIFT) << 12;
    }

    /** {@code code} with {@code flag} (one of the single-bit fields) set or cleared. */
    static long with(long code, long flag, boolean set) {
        return set ? code | flag : code & ~flag;
    }

    /**
     * The 4K entry PSMASH makes for the page {@code offset} pages into a 2M entry, as
     * {@link RmpEntry#split(int)} does: GPA plus offset for a guest page, VMSA kept only at offset 0.
     */
    static long split(long code, int offset) {
        long c = code & ~SIZE_2M;
        if (offset != 0) {
            c &= ~VMSA;
            if (isAssigned(code) && asid(code) != 0) {
                c += (long) offset << GPA_SHIFT;
            }
        }
        return c;
    }
}

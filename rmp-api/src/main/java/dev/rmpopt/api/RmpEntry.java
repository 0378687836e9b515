package dev.rmpopt.api;

import java.util.Objects;

/**
 * One RMP entry as RMPREAD shows it (model §3): assigned, page size, immutable, validated, VMSA,
 * ASID (0 is the host; 10 bits in the raw format) and guest physical address.
 *
 * <p>The record holds whatever fields it is given; {@link #state()} derives the firmware's page
 * state from them. Entries a backend stores are always consistent (model §6, I6).
 *
 * @param assigned  A: owned by a guest or the firmware; blocks RMPOPT for the region
 * @param pageSize  the entry's size; a 2M entry is authoritative for its whole 2 MiB range
 * @param immutable I: only the firmware may change the entry
 * @param validated V: validated by the guest with PVALIDATE
 * @param vmsa      the page is a VMSA or guest context page
 * @param asid      owning guest's ASID, 0 for the host and firmware
 * @param gpa       guest physical address the page is mapped at
 */
public record RmpEntry(boolean assigned, PageSize pageSize, boolean immutable, boolean validated,
                       boolean vmsa, int asid, long gpa) {

    /** The entry of a page the hypervisor owns, as every page starts. */
    public static final RmpEntry HYPERVISOR = new RmpEntry(false, PageSize.SIZE_4K, false, false, false, 0, 0);
    /** The entry of a firmware-owned page (the RMP itself, firmware memory). */
    public static final RmpEntry FIRMWARE = new RmpEntry(true, PageSize.SIZE_4K, true, false, false, 0, 0);
    /** The entry of a hypervisor-fixed page. */
    public static final RmpEntry HV_FIXED = new RmpEntry(false, PageSize.SIZE_4K, true, false, false, 0, 0);

    /** Rejects a missing page size. */
    public RmpEntry {
        Objects.requireNonNull(pageSize, "pageSize");
    }

    /** A validated guest page of {@code asid} at {@code gpa}. */
    public static RmpEntry guestValid(int asid, long gpa, PageSize size) {
        return new RmpEntry(true, size, false, true, false, asid, gpa);
    }

    /** The firmware's page state for these fields (model §3). */
    public PageState state() {
        if (!assigned) {
            return immutable ? PageState.HV_FIXED : PageState.HYPERVISOR;
        }
        if (asid == 0) {
            if (!immutable) {
                return PageState.RECLAIM;
            }
            if (vmsa) {
                return PageState.CONTEXT;
            }
            return gpa != 0 ? PageState.METADATA : PageState.FIRMWARE;
        }
        if (immutable) {
            return validated ? PageState.PRE_SWAP : PageState.PRE_GUEST;
        }
        return validated ? PageState.GUEST_VALID : PageState.GUEST_INVALID;
    }

    /** This entry with {@code validated} replaced. */
    public RmpEntry withValidated(boolean newValidated) {
        return new RmpEntry(assigned, pageSize, immutable, newValidated, vmsa, asid, gpa);
    }

    /** This entry with {@code immutable} replaced. */
    public RmpEntry withImmutable(boolean newImmutable) {
        return new RmpEntry(assigned, pageSize, newImmutable, validated, vmsa, asid, gpa);
    }

    /** This entry with {@code vmsa} replaced. */
    public RmpEntry withVmsa(boolean newVmsa) {
        return new RmpEntry(assigned, pageSize, immutable, validated, newVmsa, asid, gpa);
    }

    /** This entry as a 4K entry for the page {@code offsetPages} into its 2M range (PSMASH). */
    public RmpEntry split(int offsetPages) {
        long splitGpa = assigned && asid != 0 ? gpa + offsetPages * Geometry.PAGE_4K : gpa;
        return new RmpEntry(assigned, PageSize.SIZE_4K, immutable, validated, vmsa && offsetPages == 0,
                asid, splitGpa);
    }
}

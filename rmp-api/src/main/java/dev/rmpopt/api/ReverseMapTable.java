package dev.rmpopt.api;

/**
 * The RMP instructions (model §3 and §4): RMPUPDATE and PSMASH (host), RMPREAD, and PVALIDATE (guest).
 *
 * <p>Instructions report bad input with their return codes, as hardware does, and change nothing
 * then (a misaligned address, an address outside RMP coverage, inconsistent fields). Arguments no
 * instruction could be given are refused with an exception instead, before anything else is
 * looked at: a {@code null} argument raises {@link NullPointerException} (checked first), a
 * negative address {@link IllegalArgumentException} (it is not an SPA at all). A refused call
 * changes nothing and reports no event. Implementations are safe for concurrent use by threads
 * acting as different CPUs.
 */
public interface ReverseMapTable {

    /**
     * RMPUPDATE: writes {@code state} as the entry of the page at {@code spa}, with validated and
     * VMSA clear. On success, the RMPOPT bit of the page's 1 GiB region is clear on every core
     * before this method returns (subject to the {@link ClearPolicy}).
     *
     * @param caller who executes it; anyone but the hypervisor gets FAIL_PERMISSION
     * @param spa    the page, 4 KiB-aligned (2 MiB-aligned for a 2M state)
     * @param state  the new state
     * @return SUCCESS, or FAIL_INPUT, FAIL_PERMISSION or FAIL_OVERLAP with nothing changed
     */
    RmpReturnCode rmpUpdate(Accessor caller, long spa, RmpState state);

    /** RMPUPDATE executed by the hypervisor. */
    default RmpReturnCode rmpUpdate(long spa, RmpState state) {
        return rmpUpdate(Accessor.HYPERVISOR, spa, state);
    }

    /**
     * PSMASH: splits the assigned 2M entry at {@code spa} into 512 4K entries with the same
     * attributes (GPA plus offset), preserving validated.
     *
     * @param caller who executes it; anyone but the hypervisor gets FAIL_PERMISSION
     * @param spa    the 2 MiB-aligned SPA of the entry
     * @return SUCCESS, FAIL_INPUT, FAIL_PERMISSION, or FAIL_NOT_EXPANDABLE if there is no assigned 2M entry
     */
    RmpReturnCode psmash(Accessor caller, long spa);

    /** PSMASH executed by the hypervisor. */
    default RmpReturnCode psmash(long spa) {
        return psmash(Accessor.HYPERVISOR, spa);
    }

    /**
     * RMPREAD: the authoritative entry for the page at {@code spa} (the 2M entry if one covers it),
     * or FAIL_INPUT outside RMP coverage or for a misaligned address.
     */
    RmpReadResult rmpRead(long spa);

    /**
     * PVALIDATE by an SNP guest: sets or clears validated on the guest's own assigned page (model §4.7).
     * It returns only SUCCESS, FAIL_INPUT (misaligned to {@code size}, or not RAM) and
     * FAIL_SIZEMISMATCH (a 2M request over 4K entries); a page that is not the guest's own (not
     * assigned, another ASID, immutable) and a 4K request inside a 2M entry (with the size-mismatch
     * bit) raise a nested page fault instead, changing nothing.
     *
     * @param guest     the guest executing it
     * @param spa       the page (the model names it by SPA), aligned to {@code size}
     * @param size      the page size the guest validates
     * @param validated the requested bit
     * @return what PVALIDATE returned, or the nested page fault it raised
     */
    PvalidateResult pvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated);
}

package dev.rmpopt.api;

/**
 * The SEV firmware running on the AMD secure processor (model §4). The firmware changes only pages
 * that are already assigned, except SNP_INIT, which assigns the RMP and firmware pages and then
 * zeroes every RMPOPT table.
 *
 * <p>Every command returns a status and changes nothing unless it is {@link FirmwareStatus#SUCCESS}.
 * The firmware answers any argument with a status, never an exception: an ASID outside
 * 1..{@value RmpState#MAX_ASID} gets {@link FirmwareStatus#INVALID_ASID}, a negative, misaligned or
 * non-RAM address {@link FirmwareStatus#INVALID_ADDRESS} (after the platform and guest checks).
 */
public interface SecureProcessor {

    /**
     * SNP_INIT: sets SYSCFG.SnpEn on every core where it is not set yet (the kernel's path to SNP_INIT,
     * {@code snp_prepare}, folded into the command, model §4.8), so RMP checks are on; marks the RMP
     * and firmware pages FIRMWARE and the HV-fixed pages HV_FIXED, and zeroes every RMPOPT table.
     * INVALID_PLATFORM_STATE if already initialized.
     */
    FirmwareStatus snpInit();

    /** Whether SNP_INIT has run and SNP_SHUTDOWN has not run since. */
    boolean isSnpInitialized();

    /**
     * SNP_LAUNCH_START (with GCTX_CREATE): creates the guest context of {@code asid} in
     * {@code contextPage}, which the host made a FIRMWARE page first; it becomes a CONTEXT page.
     */
    FirmwareStatus launchStart(int asid, long contextPage);

    /**
     * SNP_LAUNCH_UPDATE: measures the PRE_GUEST page (or 2M range) at {@code spa} that belongs to
     * {@code asid} and makes it GUEST_VALID.
     */
    FirmwareStatus launchUpdate(int asid, long spa);

    /**
     * SNP_DECOMMISSION: destroys the guest context of {@code asid}; its context page becomes a
     * FIRMWARE page again and the ASID is free. The guest's pages stay assigned until the host
     * makes them shared.
     */
    FirmwareStatus decommission(int asid);

    /**
     * SNP_PAGE_RECLAIM: an immutable page that no live guest context uses (a FIRMWARE page that is
     * not part of the RMP or the firmware's own memory, or a PRE_GUEST page of a decommissioned
     * guest) becomes RECLAIM, so the host can make it shared with RMPUPDATE.
     */
    FirmwareStatus pageReclaim(long spa);

    /**
     * SNP_SHUTDOWN_EX, with or without X86_SNP_SHUTDOWN (model §4.8). {@link ShutdownKind#X86_SNP_SHUTDOWN}
     * clears SnpEn on every core, which turns RMP checks off and makes RMPOPT raise #UD;
     * {@link ShutdownKind#LEGACY_SNP_SHUTDOWN_EX} leaves SnpEn set. Neither writes RMPOPT_BASE or
     * touches a table: after the X86 path it is the kernel that writes 0 (model §7.5). Either way SNP
     * is no longer initialized and SNP_INIT may run again. INVALID_PLATFORM_STATE, changing nothing,
     * if not initialized or while a guest context exists.
     *
     * @throws NullPointerException if {@code kind} is null, changing nothing and reporting no event
     */
    FirmwareStatus snpShutdown(ShutdownKind kind);
}

package dev.rmpopt.api;

/** The SEV firmware commands the model implements (model §4), as events name them. */
public enum FirmwareCommand {
    /** SNP_INIT: RMP checks on, RMP and firmware pages FIRMWARE, every RMPOPT table zeroed. */
    SNP_INIT,
    /** SNP_LAUNCH_START (with GCTX_CREATE): a guest context for an ASID. */
    LAUNCH_START,
    /** SNP_LAUNCH_UPDATE: a PRE_GUEST page becomes GUEST_VALID. */
    LAUNCH_UPDATE,
    /** SNP_DECOMMISSION: the guest context is destroyed. */
    DECOMMISSION,
    /** SNP_PAGE_RECLAIM: an immutable page the host wants back becomes RECLAIM. */
    PAGE_RECLAIM,
    /**
     * SNP_SHUTDOWN_EX with X86_SNP_SHUTDOWN ({@link ShutdownKind#X86_SNP_SHUTDOWN}): SnpEn cleared on
     * every core, RMP checks off.
     */
    X86_SNP_SHUTDOWN,
    /** The legacy SNP_SHUTDOWN_EX ({@link ShutdownKind#LEGACY_SNP_SHUTDOWN_EX}): SnpEn stays set. */
    SNP_SHUTDOWN_EX
}

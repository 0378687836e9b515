package dev.rmpopt.api;

/**
 * The per-core RMPOPT machinery (model §4): the RMPOPT_BASE MSR and the RMPOPT instruction.
 *
 * <p>Each physical core (or logical CPU, see {@link RmpoptTableScope}) has one bit per 1 GiB
 * region of its window {@code [base, base + window)}.
 *
 * <p>Out-of-contract arguments are refused before anything else is looked at, change nothing and
 * report no event: a {@code null} function raises {@link NullPointerException} (checked first); a
 * CPU that does not exist or a negative address raises {@link IllegalArgumentException}. A value
 * with reserved bits is not out of contract: WRMSR answers it with #GP, as hardware does.
 */
public interface RmpoptUnit {

    /**
     * WRMSR RMPOPT_BASE on {@code cpu}'s core (model §4.2). Without the segmented RMP, or with reserved
     * bits set, the write raises #GP; a value with the enable bit raises #GP too while the core's
     * SnpEn is clear (RMPOPT_EN can be set only while SNP is enabled), so before the first SNP_INIT
     * (unless {@link ModelOptions#snpEnabledAtPowerOn()}) and after X86_SNP_SHUTDOWN. A value without
     * the enable bit is accepted then: the kernel's cleanup writes 0 after X86_SNP_SHUTDOWN cleared
     * SnpEn (model §7.5). A write that takes effect resets the core's table, whose bits described the
     * old window.
     *
     * @param cpu   the logical CPU executing WRMSR; the MSR is per core
     * @param value the raw value: bit 0 enable, bits 30 and up the 1 GiB-aligned base
     */
    WrmsrResult wrmsrRmpoptBase(int cpu, long value);

    /** RDMSR RMPOPT_BASE on {@code cpu}'s core. */
    RmpoptBase rdmsrRmpoptBase(int cpu);

    /**
     * RMPOPT on {@code cpu}: RAX = {@code spa} (aligned down to 1 GiB), RCX = {@code function}.
     * #UD if the core's RMPOPT_BASE is not enabled or its SnpEn is clear (after X86_SNP_SHUTDOWN,
     * model §4.8); CF=0 and no change for a region outside the core's window.
     */
    RmpoptResult rmpopt(int cpu, long spa, RmpoptFunction function);
}

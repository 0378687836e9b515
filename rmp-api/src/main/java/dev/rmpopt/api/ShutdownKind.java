package dev.rmpopt.api;

/**
 * Which SNP shutdown the host asks the firmware for (model §4.8): the two paths of v5-v10, which
 * differ in what becomes of SYSCFG.SnpEn and so of RMP checks and RMPOPT.
 */
public enum ShutdownKind {
    /**
     * SNP_SHUTDOWN_EX with X86_SNP_SHUTDOWN: the firmware clears SnpEn on every core, so RMP checks
     * stop and RMPOPT is unusable until SNP is enabled again. The kernel then writes RMPOPT_BASE = 0
     * on its CPU set in {@code rmpopt_cleanup} (model §7.5); the firmware writes no MSR.
     */
    X86_SNP_SHUTDOWN(FirmwareCommand.X86_SNP_SHUTDOWN),
    /**
     * The legacy SNP_SHUTDOWN_EX, without X86_SNP_SHUTDOWN: SnpEn stays set on every core, RMP
     * checks stay on, and nobody writes RMPOPT_BASE, so every core keeps its MSR and its bits until
     * the next SNP_INIT zeroes the tables.
     */
    LEGACY_SNP_SHUTDOWN_EX(FirmwareCommand.SNP_SHUTDOWN_EX);

    private final FirmwareCommand command;

    ShutdownKind(FirmwareCommand command) {
        this.command = command;
    }

    /** The command events name this shutdown by. */
    public FirmwareCommand command() {
        return command;
    }
}

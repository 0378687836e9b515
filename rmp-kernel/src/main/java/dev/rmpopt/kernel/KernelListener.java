package dev.rmpopt.kernel;

/** Hears what the kernel's RMPOPT side does: its setup and every pass, for telemetry and reports. */
@FunctionalInterface
public interface KernelListener {

    /** A listener that ignores everything. */
    KernelListener NONE = pass -> { };

    /**
     * Setup completed ({@code snp_setup_rmpopt}, model §7): the MSRs are programmed and the boot pass,
     * reported to {@link #onPass} just before, has run.
     */
    default void onSetup(SetupResult setup) {
    }

    /** A pass completed. */
    void onPass(PassRecord pass);
}

package dev.rmpopt.kvm;

/** Receives every RMPOPT pass the kernel driver runs, for telemetry and reports. */
@FunctionalInterface
public interface PassListener {

    /** A pass that ignores everything. */
    PassListener NONE = pass -> { };

    /** A pass completed. */
    void onPass(PassRecord pass);
}

package dev.rmpopt.kernel;

/** What an attempt to take a CPU offline or bring it online did (model §7.5). */
public sealed interface HotplugResult permits HotplugResult.Done, HotplugResult.Refused {

    /** The CPU asked for. */
    int cpu();

    /**
     * The CPU is now online or offline as asked.
     *
     * @param cpu    the CPU
     * @param online its state now
     */
    record Done(int cpu, boolean online) implements HotplugResult {
    }

    /**
     * Nothing changed: hotplug is disabled.
     *
     * @param cpu    the CPU
     * @param reason why, as the kernel would log it
     */
    record Refused(int cpu, String reason) implements HotplugResult {
    }
}

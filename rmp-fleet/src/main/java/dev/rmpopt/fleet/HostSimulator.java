package dev.rmpopt.fleet;

import java.io.Serializable;

/**
 * Simulates one host: what each Spark task (or thread) runs. Serializable, since Spark ships it to
 * its executors with the task. {@link #standard()} is the model's; tests put another around it
 * (a fault in one host, for example).
 */
@FunctionalInterface
public interface HostSimulator extends Serializable {

    /** Runs {@code task} to its end and reports. */
    HostResult simulate(HostTask task);

    /**
     * The model's: a fresh host wired as the main job wires one (Guice, {@code RmpCoreModule} and
     * {@code KvmModule}, telemetry as the machine's and the kernel's listener), booted, then the
     * plan's VMs churned as a scripted workload ({@code ChurnSimulation}).
     */
    static HostSimulator standard() {
        return StandardHostSimulator.INSTANCE;
    }
}

package dev.rmpopt.fleet;

import java.io.Serializable;
import java.util.Objects;

/**
 * One host's simulation, as a Spark task (or a thread) runs it: the shared settings and the host's plan.
 *
 * @param settings what every host of the run shares
 * @param plan     the host and its VMs
 */
public record HostTask(SimSettings settings, HostPlan plan) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Rejects missing parts. */
    public HostTask {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(plan, "plan");
    }

    /** How messages name this task: {@code host big-0007 (2048 GiB x 256 cores, scheduler snp-aware)}. */
    public String label() {
        return "host " + plan.host().name() + " (" + plan.host().shape().summary() + ", scheduler " + settings.scheduler() + ")";
    }
}

package dev.rmpopt.telemetry;

/**
 * Starts an RMPOPT pass on behalf of configfs (SPEC 7, v1): the part the kernel does with
 * {@code wake_up_process(rmpopt_task)}. The kernel driver side (for example a discrete-event
 * simulation that schedules {@code RmpoptDriver.fullPass(MANUAL)}) plugs in here.
 *
 * <p>The runner may run the pass at once, before returning, or later on another thread or at a later
 * simulated time; either way it must call {@code passFinished} exactly once when the pass is over,
 * as the kthread clears {@code rmpopt_in_progress} after a full pass. Until then
 * {@link ConfigfsRmpopt} ignores further writes of {@code 1}.
 */
@FunctionalInterface
public interface PassRunner {

    /**
     * Starts one full pass. If this method throws, no pass was started and configfs is left as it
     * was before the write.
     *
     * @param passFinished to call once, when the pass is over
     */
    void startPass(Runnable passFinished);
}

package dev.rmpopt.fleet;

/**
 * One host's simulation failed: the message names the host ({@link HostTask#label()}) and the cause.
 * Thrown inside the task, so Spark reports it with the failed task, and the driver finds it in the
 * job's failure.
 */
public final class HostFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@code task} failed with {@code cause}. */
    public HostFailedException(HostTask task, Throwable cause) {
        super(task.label() + " failed: " + cause, cause);
    }
}

package dev.rmpopt.fleet;

/**
 * A fleet job that did not finish: a host's simulation failed (the message names the host) or the
 * engine failed. Nothing of the job is written as complete.
 */
public final class FleetJobException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public FleetJobException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The failure of a job that failed with {@code failure}: the failed host's message when one is in the causes. */
    static FleetJobException of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HostFailedException) {
                return new FleetJobException(t.getMessage(), failure);
            }
        }
        String message = String.valueOf(failure.getMessage());
        int at = message.indexOf("host ");
        return new FleetJobException(at >= 0 ? message.substring(at).lines().findFirst().orElse(message)
                : "the fleet job failed: " + message, failure);
    }
}

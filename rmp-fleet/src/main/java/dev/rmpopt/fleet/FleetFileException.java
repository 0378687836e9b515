package dev.rmpopt.fleet;

/**
 * A fleet description (or the trace it names) that cannot be run, found before any work: the
 * message names the file, the line and column where known, and the field's path, for example
 * {@code fleet.yaml:7:15: hosts[1].memoryGib: must be a whole number >= 1, not -3}.
 */
public final class FleetFileException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A problem described by {@code message}. */
    public FleetFileException(String message) {
        super(message);
    }

    /** A problem described by {@code message}, caused by {@code cause}. */
    public FleetFileException(String message, Throwable cause) {
        super(message, cause);
    }
}

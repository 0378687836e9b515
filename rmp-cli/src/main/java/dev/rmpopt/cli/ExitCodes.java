package dev.rmpopt.cli;

/** The exit statuses of {@code rmpopt}, as {@code --help} lists them. */
final class ExitCodes {

    /** Everything ran and was written. */
    static final int OK = 0;
    /** A run failed inside the model (a bug: the message says where). */
    static final int SOFTWARE = 1;
    /** The command line is wrong: an unknown option, a value of the wrong type. */
    static final int USAGE = 2;
    /** The input is wrong: a scenario field, a trace row, an option's value; nothing was run or written. */
    static final int INPUT = 3;
    /** Results cannot be written: the output directory, a full disk. */
    static final int IO = 4;
    /** Interrupted (SIGINT): complete runs and INCOMPLETE.json are left, or nothing. */
    static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}

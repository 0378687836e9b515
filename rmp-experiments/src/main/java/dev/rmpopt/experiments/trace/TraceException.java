package dev.rmpopt.experiments.trace;

import java.nio.file.Path;

/**
 * A trace that cannot be read as its format says: the message names the file, the line and the
 * column (1-based; the column counts characters, as an editor does) and what is wrong there.
 */
public final class TraceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final long column;

    /** A problem at {@code file:line:column}. */
    public TraceException(Path file, long line, long column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** The trace file. */
    public Path file() {
        return file;
    }

    /** The line, from 1. */
    public long line() {
        return line;
    }

    /** The column, from 1. */
    public long column() {
        return column;
    }
}

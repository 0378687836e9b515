package dev.rmpopt.experiments.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Reads a VM trace in one of the {@link TraceFormat}s. */
public final class TraceReader {

    private TraceReader() {
    }

    /**
     * Every VM of {@code file}, in the order the trace first names them.
     *
     * @throws TraceException a row that does not fit the format, naming the file, line and column
     * @throws IOException    the file cannot be read
     */
    public static List<TraceVm> read(Path file, TraceFormat format) throws IOException {
        Objects.requireNonNull(file, "file");
        return Objects.requireNonNull(format, "format").read(file);
    }
}

package dev.rmpopt.fleet;

import dev.rmpopt.experiments.trace.TraceFormat;
import java.util.List;
import java.util.NoSuchElementException;

/** The trace formats a fleet file can name: rmp-experiments' readers, one per {@link TraceFormat}. */
public final class TraceSources {

    private static final List<TraceSource> ALL = java.util.Arrays.stream(TraceFormat.values())
            .<TraceSource>map(ExperimentTraceSource::new).toList();

    private TraceSources() {
    }

    /** The formats' names. */
    public static List<String> names() {
        return ALL.stream().map(TraceSource::format).toList();
    }

    /** The source of {@code format}. */
    public static TraceSource named(String format) {
        return ALL.stream().filter(s -> s.format().equals(format)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no trace format '" + format + "'; known: " + String.join(", ", names())));
    }
}

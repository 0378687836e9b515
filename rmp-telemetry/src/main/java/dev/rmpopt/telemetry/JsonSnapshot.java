package dev.rmpopt.telemetry;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A {@link TelemetrySnapshot} as JSON, through Jackson's record support: objects indented, arrays
 * (per-region and per-core series, thousands of numbers) kept on one line each.
 */
final class JsonSnapshot {

    private static final ObjectWriter WRITER;

    static {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(DefaultPrettyPrinter.FixedSpaceIndenter.instance);
        WRITER = new ObjectMapper().writer(printer);
    }

    private JsonSnapshot() {
    }

    static void write(TelemetrySnapshot snapshot, OutputStream out) throws IOException {
        WRITER.writeValue(out, snapshot);
    }

    static String toJson(TelemetrySnapshot snapshot) throws IOException {
        return WRITER.writeValueAsString(snapshot);
    }
}

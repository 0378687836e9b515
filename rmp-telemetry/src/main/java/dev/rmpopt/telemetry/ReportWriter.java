package dev.rmpopt.telemetry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes what people look at: {@value #HTML_FILE}, one self-contained HTML page (inline CSS, SVG
 * and a few lines of script; nothing fetched from the network) with heat maps of the regions,
 * coverage over time and the passes; and {@value #JSON_FILE}, every counter of the snapshot as
 * JSON. The module README describes both; {@code scripts/render-report.sh} screenshots the page.
 */
public final class ReportWriter {

    /** The HTML report's file name. */
    public static final String HTML_FILE = "report.html";
    /** The JSON snapshot's file name. */
    public static final String JSON_FILE = "telemetry.json";

    private ReportWriter() {
    }

    /** Writes {@value #HTML_FILE} and {@value #JSON_FILE} into {@code dir}, creating it if needed. */
    public static void write(Path dir, TelemetrySnapshot snapshot) throws IOException {
        Files.createDirectories(dir);
        writeHtml(dir.resolve(HTML_FILE), snapshot);
        try (OutputStream out = Files.newOutputStream(dir.resolve(JSON_FILE))) {
            JsonSnapshot.write(snapshot, out);
        }
    }

    /** Writes only the HTML report to {@code file}. */
    public static void writeHtml(Path file, TelemetrySnapshot snapshot) throws IOException {
        Files.writeString(file, new HtmlReport(snapshot).render(), StandardCharsets.UTF_8);
    }

    /** Writes only the JSON snapshot to {@code out}, leaving it open. */
    public static void writeJson(OutputStream out, TelemetrySnapshot snapshot) throws IOException {
        out.write(JsonSnapshot.toJson(snapshot).getBytes(StandardCharsets.UTF_8));
    }
}

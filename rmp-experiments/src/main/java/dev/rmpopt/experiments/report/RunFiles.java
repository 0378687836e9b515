package dev.rmpopt.experiments.report;

import dev.rmpopt.experiments.scenario.Scenario;
import dev.rmpopt.experiments.sweep.RunResult;
import dev.rmpopt.telemetry.ReportWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's own directory: {@code report.html} and {@code telemetry.json} (telemetry's), the
 * Prometheus text {@code metrics.prom} labelled with the run, the debugfs table at the end
 * {@code rmpopt-table.txt}, and {@code run.json}, its manifest and figures. Filled under a
 * temporary name and renamed into place, so a run's directory is whole or absent.
 */
public final class RunFiles {

    /** The run's manifest and figures. */
    public static final String RUN_JSON = "run.json";
    /** The debugfs {@code rmpopt-table} at the run's end. */
    public static final String TABLE = "rmpopt-table.txt";
    /** The run's meters. */
    public static final String METRICS = "metrics.prom";

    private RunFiles() {
    }

    /** Writes {@code run}'s directory under {@code outDir}, atomically; returns it. */
    public static Path write(Path outDir, Scenario scenario, RunResult run) throws IOException {
        Path dir = outDir.resolve(run.key().directory(scenario.seeds().size() > 1));
        Files.createDirectories(outDir);
        Path tmp = Files.createTempDirectory(outDir, AtomicFiles.TEMP_PREFIX + dir.getFileName() + "-");
        try {
            ReportWriter.write(tmp, run.telemetry());
            Files.writeString(tmp.resolve(METRICS), run.prometheus());
            Files.writeString(tmp.resolve(TABLE), String.join("\n", run.table()) + "\n");
            Files.writeString(tmp.resolve(RUN_JSON), Json.text(Summaries.runJson(scenario, run)));
            AtomicFiles.readableByAll(tmp, true);
            AtomicFiles.publishDirectory(tmp, dir);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
        return dir;
    }
}

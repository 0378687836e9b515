package dev.rmpopt.fleet;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a fleet run's results go, written so that nothing incomplete looks complete: everything is
 * written into {@code DIR/.incomplete} first, then moved into {@code DIR}, {@code fleet.json} (which
 * says {@code "complete": true}) last. A run that fails writes nothing into {@code DIR} and leaves
 * no staging behind; the previous run's outputs are removed before the job starts.
 */
public final class FleetOutputs {

    /** The JSON file. */
    public static final String JSON_FILE = "fleet.json";
    /** The HTML report. */
    public static final String HTML_FILE = "report.html";
    /** The Parquet tables (directories, as Spark writes them). */
    public static final List<String> PARQUET_TABLES = List.of("hosts.parquet", "coverage.parquet");

    private static final String STAGING = ".incomplete";
    private static final ObjectWriter JSON = new ObjectMapper().writer(new DefaultPrettyPrinter());

    private final Path dir;

    /** Outputs into {@code dir}. */
    public FleetOutputs(Path dir) {
        this.dir = dir;
    }

    /** The output directory. */
    public Path dir() {
        return dir;
    }

    /**
     * Makes the directory (failing now, before any work, if it cannot be written) and removes a
     * previous run's outputs and staging from it.
     */
    public void prepare() throws IOException {
        Files.createDirectories(dir);
        Path probe = Files.createTempFile(dir, ".probe", "");
        Files.delete(probe);
        deleteTree(staging());
        deleteTree(dir.resolve(JSON_FILE));
        deleteTree(dir.resolve(HTML_FILE));
        for (String table : PARQUET_TABLES) {
            deleteTree(dir.resolve(table));
        }
    }

    /** The staging directory everything is written into first (made on demand). */
    public Path staging() {
        return dir.resolve(STAGING);
    }

    /** Writes the JSON and HTML of a finished run into staging, then moves all of staging into place, fleet.json last. */
    public void complete(FleetPlan plan, FleetRun run, double wallSeconds, boolean json, boolean html) throws IOException {
        Path staging = staging();
        Files.createDirectories(staging);
        if (html) {
            Files.writeString(staging.resolve(HTML_FILE), new FleetHtmlReport(plan, run, wallSeconds).render());
        }
        if (json) {
            JSON.writeValue(staging.resolve(JSON_FILE).toFile(), document(plan, run, wallSeconds));
        }
        List<Path> parts;
        try (Stream<Path> list = Files.list(staging)) {
            parts = list.sorted(Comparator.comparing((Path p) -> p.getFileName().toString().equals(JSON_FILE))).toList();
        }
        for (Path part : parts) {
            move(part, dir.resolve(part.getFileName()));
        }
        Files.delete(staging);
    }

    /** Removes staging after a failed run. */
    public void abandon() {
        try {
            deleteTree(staging());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What fleet.json holds. */
    static Map<String, Object> document(FleetPlan plan, FleetRun run, double wallSeconds) {
        FleetSpec spec = plan.spec();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", 1);
        doc.put("complete", true);
        doc.put("name", spec.name());
        doc.put("seed", spec.seed());
        doc.put("durationNanos", spec.durationNanos());
        doc.put("sampleNanos", spec.sampleNanos());
        doc.put("hostGroups", spec.hosts());
        doc.put("workload", spec.workload() instanceof FleetWorkload.Synthetic ? "synthetic"
                : "trace " + ((FleetWorkload.Trace) spec.workload()).format());
        doc.put("vms", plan.vms().size());
        doc.put("policy", spec.policy());
        doc.put("placement", spec.placement());
        doc.put("backend", spec.backend());
        doc.put("runner", run.runner());
        doc.put("wallSeconds", wallSeconds);
        doc.put("summaries", run.summaries());
        doc.put("hosts", run.hosts());
        return doc;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | DirectoryNotEmptyException e) {
            deleteTree(to);
            Files.move(from, to);
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

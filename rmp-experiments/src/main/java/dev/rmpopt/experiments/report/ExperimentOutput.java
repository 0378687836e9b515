package dev.rmpopt.experiments.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rmpopt.experiments.scenario.Scenario;
import dev.rmpopt.experiments.sweep.RunKey;
import dev.rmpopt.experiments.sweep.RunResult;
import dev.rmpopt.experiments.sweep.Sweep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Everything an experiment writes under its output directory: each run's directory as the run
 * finishes ({@link RunFiles}), then {@code index.html}, {@code summary.json} and
 * {@code summary.csv}. Every file is written atomically. An experiment that stopped early leaves
 * its complete runs and {@code INCOMPLETE.json} naming the missing ones, or, when no run
 * finished, nothing at all.
 */
public final class ExperimentOutput {

    /** The marker of an experiment that stopped early. */
    public static final String INCOMPLETE = "INCOMPLETE.json";
    /** The summary as JSON. */
    public static final String SUMMARY_JSON = "summary.json";
    /** The summary as CSV, one row per run. */
    public static final String SUMMARY_CSV = "summary.csv";

    private final Path dir;
    private final Scenario scenario;
    private final List<Path> written = new ArrayList<>();
    private IOException failure;

    /** Output of {@code scenario} under {@code dir} (checked beforehand with {@link OutputDirectory#problem}). */
    public ExperimentOutput(Path dir, Scenario scenario) {
        this.dir = dir;
        this.scenario = scenario;
    }

    /** Writes a finished run's directory; an I/O error is kept for {@link #finish} and later runs are not written. */
    public synchronized void runFinished(RunResult run) {
        if (failure != null) {
            return;
        }
        try {
            written.add(RunFiles.write(dir, scenario, run));
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Whether a run's directory could not be written. */
    public synchronized boolean failed() {
        return failure != null;
    }

    /**
     * Writes the experiment's own files for {@code outcome}: the summaries and index.html, and when
     * runs are missing, INCOMPLETE.json; with no run complete, removes what it wrote and leaves
     * nothing.
     *
     * @throws IOException the first write that failed, a run's or this one's
     */
    public synchronized void finish(Sweep.Outcome outcome) throws IOException {
        if (failure != null) {
            throw failure;
        }
        cleanTemporaries();
        if (outcome.completed().isEmpty()) {
            for (Path p : written) {
                AtomicFiles.deleteTree(p);
            }
            return;
        }
        List<RunResult> runs = outcome.completed();
        AtomicFiles.writeString(dir.resolve(SUMMARY_JSON), Summaries.json(scenario, runs, outcome.missing()));
        AtomicFiles.writeString(dir.resolve(SUMMARY_CSV), Summaries.csv(scenario, runs));
        AtomicFiles.writeString(dir.resolve(ExperimentReport.FILE), ExperimentReport.html(scenario, runs, outcome.missing()));
        if (outcome.complete()) {
            Files.deleteIfExists(dir.resolve(INCOMPLETE));
        } else {
            AtomicFiles.writeString(dir.resolve(INCOMPLETE), incomplete(outcome));
        }
    }

    private String incomplete(Sweep.Outcome outcome) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("manifest", Manifest.json(Manifest.of(scenario)));
        root.put("reason", outcome.failure().map(f -> "a run failed: " + f).orElse("interrupted"));
        boolean seeds = scenario.seeds().size() > 1;
        ArrayNode done = root.putArray("complete");
        outcome.completed().forEach(r -> done.add(r.key().directory(seeds)));
        ArrayNode missing = root.putArray("missing");
        for (RunKey k : outcome.missing()) {
            ObjectNode m = missing.addObject();
            m.put("directory", k.directory(seeds));
            m.put("policy", k.policy());
            m.put("placement", k.placement());
            m.put("seed", k.seed());
        }
        return Json.text(root);
    }

    /** Removes temporary files and directories a stopped run left. */
    private void cleanTemporaries() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)).toList()) {
                AtomicFiles.deleteTree(p);
            }
        }
    }
}

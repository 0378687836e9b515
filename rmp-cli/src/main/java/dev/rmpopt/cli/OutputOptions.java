package dev.rmpopt.cli;

import dev.rmpopt.experiments.scenario.Scenario;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of {@code simulate} and {@code run} that say where results go and how they print. */
final class OutputOptions {

    @Option(names = "--out", description = "Directory for the runs' directories, index.html and the summaries (default: the scenario's outputs.dir, rmpopt-out).")
    Path out;

    @Option(names = "--format", description = "The summary on standard output: text, json or csv (default: the scenario's, text).")
    String format;

    @Option(names = "--table", description = "Also print the debugfs rmpopt-table (always written to the run's rmpopt-table.txt).")
    boolean table;

    @Option(names = "--quiet", description = "No progress and no 'wrote' lines on standard error.")
    boolean quiet;

    @Option(names = "--jobs", description = "Runs at once (default: the machine's cores, ${DEFAULT-VALUE}).")
    int jobs = Runtime.getRuntime().availableProcessors();

    /** The overrides of the scenario these options make, with the option naming each. */
    void overrides(Map<String, Object> overrides, Map<String, String> names) {
        if (out != null) {
            overrides.put("outputs.dir", out.toString());
            names.put("outputs.dir", "--out");
        }
        if (format != null) {
            overrides.put("outputs.format", format);
            names.put("outputs.format", "--format");
        }
        if (table) {
            overrides.put("outputs.table", true);
        }
    }

    /** The runner's options: the scenario's outputs (these options already set in it), and the rest. */
    ExperimentRunner.Options resolve(Scenario scenario) {
        return new ExperimentRunner.Options(scenario.outputs().dir(), scenario.outputs().format(), scenario.outputs().table(), quiet,
                jobs);
    }
}
